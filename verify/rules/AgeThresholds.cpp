#include "verify/rules/AgeThresholds.h"

#include "verify/rules/Age.h"

namespace zaitaku::rules
{

Date preschoolUntil(Date birthdate)
{
    const Date reachesSix = ageReachingDay(birthdate, 6);
    const Date march31 = Date::fromYmd(reachesSix.year(), 3, 31).value();
    return reachesSix <= march31 ? march31 : Date::fromYmd(reachesSix.year() + 1, 3, 31).value();
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
