#include "verify/rules/AgeThresholds.h"

#include "verify/rules/Age.h"

namespace zaitaku::rules
{

Date preschoolUntil(Date birthdate)
{
    namespace chr = std::chrono;
    const Date reachesSix = ageReachingDay(birthdate, 6);
    const auto march31 = [](int year) {
        return Date::fromSysDays(chr::sys_days{chr::year_month_day{chr::year{year}, chr::March, chr::day{31}}});
    };
    return reachesSix <= march31(reachesSix.year()) ? march31(reachesSix.year()) : march31(reachesSix.year() + 1);
}

Date elderlyFrom(Date birthdate)
{
    return ageReachingDay(birthdate, 70).firstDayOfNextMonth();
}

Date koukiFrom(Date birthdate)
{
    return firstDayAtAge(birthdate, 75);
}

Date cardValidUntilBefore70(Date birthdate)
{
    // The old document covers every day before the elderly ratio starts.
    return elderlyFrom(birthdate).addDays(-1);
}

Date cardValidUntilBefore75(Date birthdate)
{
    return koukiFrom(birthdate).addDays(-1);
}

} // namespace zaitaku::rules
