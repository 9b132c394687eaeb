#pragma once

// Which consent items are put to this patient at this visit (F5):
//   - 診療情報, 薬剤情報, 手術情報: always, unless the card's certificate is in its grace period
//     (qualification only: medical-information consents are not honoured [S:P29]);
//   - 特定健診情報: from age 40 (特定健康診査 is for people aged 40 and over);
//   - 処方箋の発行方法: always (a choice, not a consent).

#include "verify/model/Consent.h"
#include "verify/model/Date.h"

#include <optional>
#include <string>
#include <vector>

namespace zaitaku::consent
{

struct ConsentOfferInput
{
    model::Date birthdate;
    model::Date on;
    bool certificateInGrace = false;
};

struct ConsentOffer
{
    std::vector<model::ConsentKind> items; // in the order they are asked
    bool prescriptionChoice = true;
    std::vector<std::string> notes; // why an item is missing, for the screen (Japanese)

    bool offers(model::ConsentKind kind) const;
};

ConsentOffer consentOffer(const ConsentOfferInput& input);

inline constexpr int kCheckupMinimumAge = 40;

} // namespace zaitaku::consent
