#pragma once

// Japanese legal age (年齢計算ニ関スル法律, 民法 第143条): age is counted from the day of birth,
// so a person reaches age N at the end of the day before the N-th birthday (年齢到達日).
// For a 29 February birth in a year without 29 February, the period ends on the last day of
// February (第143条 ただし書), so the reaching day is 28 February in every year [I].

#include "base/Date.h"

namespace zaitaku::rules
{

using base::Date;

// The day the person reaches age n (n >= 0 years after birth).
Date ageReachingDay(Date birthdate, int n);
// The first day at age n: the day after the reaching day. Equals the N-th birthday, except for
// 29 February births in common years, where it is 1 March (docs/design/DOMAIN.md Q10) [I].
Date firstDayAtAge(Date birthdate, int n);
// Age on a date, in the legal sense. Requires on >= birthdate.
int ageOn(Date birthdate, Date on);

} // namespace zaitaku::rules
