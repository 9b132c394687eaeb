#include "verify/rules/Age.h"

namespace zaitaku::rules
{

Date ageReachingDay(Date birthdate, int n)
{
    namespace chr = std::chrono;
    // Calendar arithmetic only: Date::fromYmd refuses years past its range, which a far-future
    // birthdate's anniversaries reach (the caller reports those; this never aborts).
    const chr::year year{birthdate.year() + n};
    const chr::year_month_day anniversary{year, chr::month{birthdate.month()}, chr::day{birthdate.day()}};
    if (!anniversary.ok()) {
        // Only 29 February in a common year has no corresponding day: the period ends on the
        // last day of that month.
        return Date::fromSysDays(chr::sys_days{chr::year_month_day{year, chr::February, chr::day{28}}});
    }
    return Date::fromSysDays(chr::sys_days{anniversary}).addDays(-1);
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
