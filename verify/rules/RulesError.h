#pragma once

#include "base/CodeTable.h"
#include "base/Error.h"

#include <array>
#include <string_view>

namespace zaitaku::rules
{

enum class Errc
{
    MalformedRequest, // not JSON, or not a JSON object
    UnknownRule,
    MissingField,
    WrongType,    // e.g. a number where a date string is expected
    InvalidValue, // e.g. income "rich", kouki_percent 15
    InvalidDate,  // not YYYY-MM-DD, or not a calendar date (2025-02-30), or out of range
    DateOrder,    // a date before the date it must follow (on < birthdate)
};

using Error = BasicError<Errc>;

// "'on' (2025-06-01) is before 'birthdate' (2025-07-01)", about the later field.
Error dateOrderError(std::string_view laterField,
                     std::string_view later,
                     std::string_view earlierField,
                     std::string_view earlier);

} // namespace zaitaku::rules

namespace zaitaku::base
{
template <> struct CodeTable<rules::Errc>
{
    static constexpr std::string_view name = "rules::Errc";
    static constexpr std::array<CodeEntry<rules::Errc>, 7> entries{{
        {rules::Errc::MalformedRequest, "malformed_request", "要求の形式が正しくありません"},
        {rules::Errc::UnknownRule, "unknown_rule", "不明な規則です"},
        {rules::Errc::MissingField, "missing_field", "必須項目がありません"},
        {rules::Errc::WrongType, "wrong_type", "項目の型が正しくありません"},
        {rules::Errc::InvalidValue, "invalid_value", "項目の値が正しくありません"},
        {rules::Errc::InvalidDate, "invalid_date", "日付が正しくありません"},
        {rules::Errc::DateOrder, "date_order", "日付の前後関係が正しくありません"},
    }};
};
} // namespace zaitaku::base
