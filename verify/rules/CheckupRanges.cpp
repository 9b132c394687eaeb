#include "verify/rules/CheckupRanges.h"

#include <array>
#include <charconv>
#include <string_view>

namespace zaitaku::rules
{

namespace
{

struct Limit
{
    std::string_view name; // found in ItemName
    double value;
    bool high;            // true: ≥ value is out of range; false: < value
    std::string_view sex; // "" any, else the AdmGendCode the limit applies to
};

// 保健指導判定値 (標準的な健診・保健指導プログラム 令和6年度版). Longer names first, so that
// "HDLコレステロール" is not taken for "LDLコレステロール".
constexpr std::array<Limit, 13> kLimits{{
    {"収縮期血圧", 130, true, ""},
    {"拡張期血圧", 85, true, ""},
    {"HDLコレステロール", 40, false, ""},
    {"LDLコレステロール", 120, true, ""},
    {"中性脂肪", 150, true, ""},
    {"空腹時血糖", 100, true, ""},
    {"HbA1c", 5.6, true, ""},
    {"AST", 31, true, ""},
    {"ALT", 31, true, ""},
    {"γ-GT", 51, true, ""},
    {"腹囲", 85, true, "1"},
    {"腹囲", 90, true, "2"},
    {"BMI", 25, true, ""},
}};

std::optional<double> number(const std::string& text)
{
    double value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || p != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::string limitText(const Limit& l, const std::string& unit)
{
    std::string v = std::to_string(l.value);
    v.erase(v.find_last_not_of('0') + 1);
    if (!v.empty() && v.back() == '.') {
        v.pop_back();
    }
    return std::string(l.high ? "≥" : "<") + v + (unit.empty() ? "" : " " + unit);
}

} // namespace

std::optional<CheckupMark> checkupMark(const model::CheckupItem& item, const std::string& sexCode)
{
    const auto value = number(item.value);
    if (!value) {
        return std::nullopt;
    }
    for (const auto& l : kLimits) {
        if (item.name.find(l.name) == std::string::npos || (!l.sex.empty() && l.sex != sexCode)) {
            continue;
        }
        const bool out = l.high ? *value >= l.value : *value < l.value;
        if (out) {
            return CheckupMark{l.high, limitText(l, item.unit)};
        }
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace zaitaku::rules
