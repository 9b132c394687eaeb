#pragma once

// The dates at which a person's insurance treatment changes with age (docs/design/DOMAIN.md R1, R2).

#include "base/Date.h"

namespace zaitaku::rules
{

using base::Date;

// 未就学: the first 31 March on or after the day the child reaches 6
// (「6歳に達する日以後の最初の3月31日」) [S:P23].
Date preschoolUntil(Date birthdate);
// 高齢受給者 (70–74): from the 1st of the month after the 70-reaching day; for a birthday on
// the 1st that is the 1st of the birth month [S:P24].
Date elderlyFrom(Date birthdate);
// 後期高齢者: from the 75th birthday itself, mid-month [S:P26].
Date koukiFrom(Date birthdate);

// R2: the last valid day of the pre-70 insurance card / 資格確認書: the end of the birth month,
// or the end of the previous month for a birthday on the 1st [S:P25][seed 004].
Date cardValidUntilBefore70(Date birthdate);
// R2: the NHI / employer card ends the day before the 75th birthday [S:P26][seed 004].
Date cardValidUntilBefore75(Date birthdate);

} // namespace zaitaku::rules
