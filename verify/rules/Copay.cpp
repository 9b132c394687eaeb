#include "verify/rules/Copay.h"

#include "verify/rules/Age.h"
#include "verify/rules/AgeThresholds.h"

#include <string>

namespace zaitaku::rules
{

Expected<CopayResult, Error> copay(const CopayInput& input)
{
    if (input.on < input.birthdate) {
        return Unexpected(dateOrderError("on", input.on.toString(), "birthdate", input.birthdate.toString()));
    }
    if (input.koukiPercent != 10 && input.koukiPercent != 20 && input.koukiPercent != 30) {
        return Unexpected(Error{Errc::InvalidValue,
                                "'kouki_percent' must be 10, 20 or 30, not " + std::to_string(input.koukiPercent),
                                "kouki_percent"});
    }
    CopayResult result;
    result.age = ageOn(input.birthdate, input.on);
    if (input.on <= preschoolUntil(input.birthdate)) {
        result.percent = 20;
        result.basis = CopayBasis::Preschool;
    } else if (input.on >= koukiFrom(input.birthdate)) {
        result.percent = input.koukiPercent;
        result.basis = CopayBasis::Kouki;
    } else if (input.on >= elderlyFrom(input.birthdate)) {
        result.percent = input.income == Income::High ? 30 : 20;
        result.basis = CopayBasis::Elderly70to74;
    } else {
        result.percent = 30;
        result.basis = CopayBasis::General;
    }
    return result;
}

std::optional<CopayResult> copayDiscrepancy(const CopayInput& input, std::optional<int> oqsPercent)
{
    auto expected = copay(input);
    if (!oqsPercent || !expected) {
        return std::nullopt;
    }
    if (expected->basis == CopayBasis::Kouki || expected->basis == CopayBasis::Elderly70to74) {
        // The income class is the insurer's decision: any of the ratios the basis allows agrees.
        const bool plausible = expected->basis == CopayBasis::Kouki
                                   ? (*oqsPercent == 10 || *oqsPercent == 20 || *oqsPercent == 30)
                                   : (*oqsPercent == 20 || *oqsPercent == 30);
        return plausible ? std::nullopt : std::optional<CopayResult>(*expected);
    }
    return *oqsPercent == expected->percent ? std::nullopt : std::optional<CopayResult>(*expected);
}

} // namespace zaitaku::rules
