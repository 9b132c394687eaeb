#include "base/Clock.h"

namespace zaitaku::base
{

Timestamp Clock::nowJst() const
{
    return Timestamp::fromUtc(std::chrono::floor<std::chrono::seconds>(now()), Timestamp::kJstOffsetMinutes);
}

Date Clock::todayJst() const
{
    return nowJst().localDate();
}

} // namespace zaitaku::base
