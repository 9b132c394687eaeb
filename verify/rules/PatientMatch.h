#pragma once

// Does an answer (OQS, the card's 券面) belong to the roster patient? Seed 003's 「別人との紐付け誤り」
// and facilities holding many residents' cards (seed 004): a 生年月日 that differs stops the answer
// from being filed under that patient; a カナ氏名 that differs is a warning only — 「●」(外字) names
// are confirmed by the カナ氏名 and 「「●」表記のままでもレセプト請求が可能」 [seed 003].

#include "base/Date.h"

#include <optional>
#include <string>
#include <string_view>

namespace zaitaku::rules
{

// Empty when they agree (or the answer carries no date); otherwise the words for staff, both dates.
std::optional<std::string>
birthdateMismatch(const std::optional<base::Date>& answer, const base::Date& roster, std::string_view source);

// Kana compared as people write it: half-width (OQS's ｻﾞｲﾀｸ) and full-width (ザイタク) katakana,
// hiragana, and spaces of either width are the same.
std::string normalizedKana(std::string_view text);
bool sameKana(std::string_view a, std::string_view b);

// Empty when either is empty or they agree; otherwise the warning, with both spellings.
std::optional<std::string> kanaDifference(std::string_view answer, std::string_view roster);

} // namespace zaitaku::rules
