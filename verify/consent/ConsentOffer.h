#pragma once

// Which consent items are put to this patient at this visit (F5):
//   - 診療情報, 薬剤情報, 手術情報: always, unless the card's certificate is in its grace period
//     (qualification only: no 診療・薬剤 information [nishipla-kenpo.or.jp/news/2802], see
//     rules/CertificateExpiry.h; the seeds are silent on it);
//   - 特定健診情報: from age 40 (特定健康診査 is for people aged 40 and over);
//   - 処方箋の発行方法: always (a choice, not a consent);
//   - 限度額情報の提供: always, its own question [seed 001].

#include "base/Date.h"
#include "verify/model/Consent.h"

#include <optional>
#include <string>
#include <vector>

namespace zaitaku::consent
{

struct ConsentOfferInput
{
    base::Date birthdate;
    base::Date on;
    bool certificateInGrace = false;
};

struct ConsentOffer
{
    std::vector<model::ConsentKind> items; // in the order they are asked
    bool prescriptionChoice = true;
    // 「限度額情報を提供しますか 提供する／提供しない」, asked on its own after the medical-information
    // consents [seed 001]. Also in the certificate's grace period: it is qualification information,
    // not medical information [I].
    bool limitChoice = true;
    std::vector<std::string> notes; // why an item is missing, for the screen (Japanese)

    bool offers(model::ConsentKind kind) const;
};

ConsentOffer consentOffer(const ConsentOfferInput& input);

inline constexpr int kCheckupMinimumAge = 40;

} // namespace zaitaku::consent
