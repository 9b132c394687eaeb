#pragma once

// Instants in the store are written in UTC ("2026-11-21T01:02:03+00:00"): one fixed width, so
// text comparison in SQL (retention deadlines, backoff) is time comparison.

#include "base/Timestamp.h"

#include <string>

namespace zaitaku::sync::sql
{

inline std::string utcText(const base::Timestamp& t)
{
    return t.withOffset(0).toString();
}

} // namespace zaitaku::sync::sql
