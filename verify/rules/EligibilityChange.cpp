#include "verify/rules/EligibilityChange.h"

#include "verify/rules/EligibilityCopay.h"

namespace zaitaku::rules
{

std::vector<std::string>
eligibilityChanges(const model::EligibilitySnapshot& before, const model::EligibilitySnapshot& after, base::Date on)
{
    std::vector<std::string> out;
    if (!before.insurerNumber.empty() && !after.insurerNumber.empty() && before.insurerNumber != after.insurerNumber) {
        out.push_back("保険者が変わりました（保険者番号 " + before.insurerNumber + " → " + after.insurerNumber +
                      "）。請求先を確認してください");
    }
    // Both ratios for the same date, so a birthday between the two answers is not a change of its own.
    const auto was = eligibilityCopay(before, on);
    const auto is = eligibilityCopay(after, on);
    if (was && is && was->percent != is->percent) {
        const std::string from = std::to_string(was->percent / 10) + "割";
        const std::string to = std::to_string(is->percent / 10) + "割";
        out.push_back("負担割合が変わりました（" + from + " → " + to + "）");
    }
    return out;
}

} // namespace zaitaku::rules
