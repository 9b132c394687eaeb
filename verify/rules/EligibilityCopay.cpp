#include "verify/rules/EligibilityCopay.h"

#include "verify/rules/Copay.h"

namespace zaitaku::rules
{

std::string_view copaySourceName(CopaySource source)
{
    switch (source) {
    case CopaySource::KoukiRatio:
        return "insured_partial_contribution_ratio";
    case CopaySource::ElderlyRatio:
        return "elderly_recipient_contribution_ratio";
    case CopaySource::AgeRule:
        break;
    }
    return "age_rule";
}

std::optional<EligibilityCopay> eligibilityCopay(const model::EligibilitySnapshot& s, base::Date on)
{
    std::optional<EligibilityCopay> out;
    if (s.insuredPartialContributionRatioPercent) {
        out = EligibilityCopay{*s.insuredPartialContributionRatioPercent, CopaySource::KoukiRatio, std::nullopt};
    } else if (s.elderlyRecipient && s.elderlyRecipient->contributionRatioPercent &&
               (!s.elderlyRecipient->validStart || *s.elderlyRecipient->validStart <= on) &&
               (!s.elderlyRecipient->validEnd || on <= *s.elderlyRecipient->validEnd)) {
        out = EligibilityCopay{*s.elderlyRecipient->contributionRatioPercent, CopaySource::ElderlyRatio, std::nullopt};
    }
    if (!s.birthdate) {
        return out;
    }
    CopayInput input{*s.birthdate, on, Income::General, 10};
    if (out) {
        if (auto differs = copayDiscrepancy(input, out->percent)) {
            out->ruleDisagrees = differs->percent;
        }
        return out;
    }
    auto byAge = copay(input);
    if (!byAge) {
        return std::nullopt; // a visit before the birthdate: nothing sensible to show
    }
    return EligibilityCopay{byAge->percent, CopaySource::AgeRule, std::nullopt};
}

} // namespace zaitaku::rules
