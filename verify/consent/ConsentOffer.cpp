#include "verify/consent/ConsentOffer.h"

#include "verify/rules/Age.h"

#include <algorithm>

namespace zaitaku::consent
{

bool ConsentOffer::offers(model::ConsentKind kind) const
{
    if (kind == model::ConsentKind::ElectronicPrescription) {
        return prescriptionChoice;
    }
    if (kind == model::ConsentKind::Limit) {
        return limitChoice;
    }
    return std::find(items.begin(), items.end(), kind) != items.end();
}

ConsentOffer consentOffer(const ConsentOfferInput& input)
{
    ConsentOffer offer;
    if (input.certificateInGrace) {
        offer.notes.emplace_back("電子証明書の有効期限切れ後の猶予期間中のため、資格確認のみ可能です（診療・薬剤等の情"
                                 "報提供への同意は取得しません）。お住まいの市区町村の窓口で速やかに更新してください");
        return offer;
    }
    offer.items = {model::ConsentKind::Diagnosis, model::ConsentKind::Pharmacy, model::ConsentKind::Operation};
    if (rules::ageOn(input.birthdate, input.on) >= kCheckupMinimumAge) {
        offer.items.push_back(model::ConsentKind::Checkup);
    } else {
        offer.notes.emplace_back("特定健診情報は40歳以上の方が対象です");
    }
    return offer;
}

} // namespace zaitaku::consent
