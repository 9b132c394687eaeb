#include "verify/rules/Age.h"

namespace zaitaku::rules
{

Date ageReachingDay(Date birthdate, int n)
{
    const int year = birthdate.year() + n;
    auto anniversary = Date::fromYmd(year, birthdate.month(), birthdate.day());
    if (!anniversary) {
        // Only 29 February in a common year has no corresponding day: the period ends on the
        // last day of that month.
        return Date::fromYmd(year, 2, 28).value();
    }
    return anniversary->addDays(-1);
}

Date firstDayAtAge(Date birthdate, int n)
{
    return ageReachingDay(birthdate, n).addDays(1);
}

int ageOn(Date birthdate, Date on)
{
    int age = on.year() - birthdate.year();
    // The age increases on the day after the reaching day.
    while (age > 0 && firstDayAtAge(birthdate, age) > on) {
        --age;
    }
    return age < 0 ? 0 : age;
}

} // namespace zaitaku::rules
