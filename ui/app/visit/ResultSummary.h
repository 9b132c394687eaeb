#pragma once

// A cached eligibility result in the words the nurse needs at the door: eligible or not, 負担割合,
// the insurer, 限度額, and how old the result is. Shared by the revisit review and the result
// screen.

#include "verify/visit/VisitPorts.h"

#include <QString>
#include <chrono>
#include <optional>

namespace zaitaku::app
{

QString eligibilitySummary(const visit::CachedResult& result,
                           const std::optional<std::chrono::minutes>& age,
                           const base::Date& today);

} // namespace zaitaku::app
