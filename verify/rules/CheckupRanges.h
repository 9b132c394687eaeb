#pragma once

// Out-of-range marks for 特定健診 items (issue 33). The limits are the 保健指導判定値 of MHLW's
// 標準的な健診・保健指導プログラム（令和6年度版）; OQS's files carry no reference range, and the
// item codes (JLAC10) are not interpreted here, so an item is recognised by its ItemName [I].
// An item that is not recognised, or whose value is not a number, gets no mark: never guessed.

#include "verify/model/MedicalInformation.h"

#include <optional>
#include <string>

namespace zaitaku::rules
{

struct CheckupMark
{
    bool high = true;  // false: below the lower limit
    std::string limit; // "≥130 mmHg", for the screen
};

// `sexCode`: AdmGendCode as written ("1" male, "2" female [I]); only 腹囲 depends on it.
std::optional<CheckupMark> checkupMark(const model::CheckupItem& item, const std::string& sexCode);

} // namespace zaitaku::rules
