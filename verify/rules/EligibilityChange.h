#pragma once

// What changed between two OQS answers for one patient that staff must act on at the door: the
// insurer (保険者番号) and the copay ratio (負担割合). Seed 004's re-query at each later visit is
// what tells the nurse today's eligibility; a change raises a route task and a notice.

#include "base/Date.h"
#include "verify/model/EligibilitySnapshot.h"

#include <string>
#include <vector>

namespace zaitaku::rules
{

// Each change in Japanese with both values, for the result screen and the route. Only fields both
// answers carry are compared (an answer without a ratio changes nothing).
std::vector<std::string>
eligibilityChanges(const model::EligibilitySnapshot& before, const model::EligibilitySnapshot& after, base::Date on);

} // namespace zaitaku::rules
