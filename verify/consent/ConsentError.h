#pragma once

#include "base/CodeTable.h"
#include "base/Error.h"

#include <array>
#include <string_view>

namespace zaitaku::consent
{

enum class Errc
{
    UnknownText,      // no such version / language / text
    NotOffered,       // an item that is not offered to this patient (特定健診 under 40, grace period)
    Unanswered,       // an offered item without an answer (no silent default)
    InvalidSelection, // a malformed selection ("diag,foo")
};

using Error = BasicError<Errc>;

} // namespace zaitaku::consent

namespace zaitaku::base
{
template <> struct CodeTable<consent::Errc>
{
    static constexpr std::string_view name = "consent::Errc";
    static constexpr std::array<CodeEntry<consent::Errc>, 4> entries{{
        {consent::Errc::UnknownText, "unknown_consent_text", "同意文の版が見つかりません"},
        {consent::Errc::NotOffered, "consent_not_offered", "この方には提示しない同意項目です"},
        {consent::Errc::Unanswered, "consent_unanswered", "回答のない同意項目があります"},
        {consent::Errc::InvalidSelection, "invalid_consent_selection", "同意の選択が正しくありません"},
    }};
};
} // namespace zaitaku::base
