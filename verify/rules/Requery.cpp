#include "verify/rules/Requery.h"

namespace zaitaku::rules
{

Date requeryRuleEffective()
{
    return Date::fromYmd(2023, 12, 1).value();
}

Expected<RequeryDecision, Error> requery(const RequeryInput& input)
{
    if (input.on < input.firstOnlineConfirm) {
        return Unexpected(
            dateOrderError("on", input.on.toString(), "first_online_confirm", input.firstOnlineConfirm.toString()));
    }
    RequeryDecision decision;
    if (input.setting != CareSetting::Home) {
        decision.reasons.push_back(RequeryReason::NotHomeSetting);
    }
    if (!input.sameProvider) {
        decision.reasons.push_back(RequeryReason::NotSameProvider);
    }
    if (!input.continuous) {
        decision.reasons.push_back(RequeryReason::NotContinuous);
    }
    if (input.on < requeryRuleEffective()) {
        decision.reasons.push_back(RequeryReason::BeforeRuleEffective);
    }
    decision.allowed = decision.reasons.empty();
    decision.reason = decision.allowed ? RequeryReason::Allowed : decision.reasons.front();
    return decision;
}

} // namespace zaitaku::rules
