#pragma once

// The copay to ask at the door when no ratio came from OQS, in words staff can say: never 10割
// [seed 003: 「自己負担10割でなく、これまで通りの自己負担額です」], and never a guessed income class.
//   - a ratio printed on the document (資格確認書 from 70, 申立書 ※2) wins;
//   - 被保険者資格申立書: 「3割負担（未就学児は2割負担。70歳以上等の方は1～3割）により自己負担額を計算」
//     [seed 003]; from 70 the form's declared ratio is required (別紙様式 ※2);
//   - otherwise by age with the income unknown: 未就学 2割, to 69 3割, 70–74 「2割または3割（所得区分に
//     よる）」, 後期高齢者医療 「1〜3割（所得区分による）」.

#include "base/Date.h"
#include "verify/model/EligibilitySnapshot.h"

#include <optional>
#include <string>

namespace zaitaku::rules
{

// In words for staff: 「3割（申立書: 70歳未満）」「2割または3割（所得区分による）」…
// `declaredRatio`: "1", "2", "3" (割) as printed or declared; "unknown" or "" when none.
// `kouki`: a 後期高齢者医療 member (insurer 39…, or 75 and over).
std::string
doorCopay(base::Date birthdate, base::Date on, const std::string& declaredRatio, bool moushitatesho, bool kouki);

// The label for an income-dependent age band, or nothing when the age alone decides the ratio.
std::optional<std::string> incomeDependentLabel(base::Date birthdate, base::Date on, bool kouki);

// The copay of an OQS answer in words: the ratio OQS sent (「2割」), or without one the age rule's
// (「3割」) — for 70–74 and 後期 the band with the income unknown, never a guessed 一般. Empty
// when the answer carries neither a ratio nor a birthdate.
std::string eligibilityCopayLabel(const model::EligibilitySnapshot& snapshot, base::Date on);

} // namespace zaitaku::rules
