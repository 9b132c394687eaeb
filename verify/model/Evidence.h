#pragma once

// What a visit proves about the person present (docs/design/DESIGN.md §3.2–3.3). Never holds a PIN, a face
// image or the 個人番号: only the outcome, the signed challenge and who attested what.

#include "base/CodeTable.h"
#include "base/Timestamp.h"
#include "verify/model/Consent.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::model
{

enum class EvidenceMethod
{
    PinSignature, // VERIFY + the card signed the gateway's challenge
    FaceMatch,    // chip photo vs live camera
    Visual,       // 目視: staff attest face == printed photo
    Requery,      // F2: continuing care, no card needed
    Fallback,     // F6: see FallbackEvidence
};

} // namespace zaitaku::model

namespace zaitaku::base
{
template <> struct CodeTable<model::EvidenceMethod>
{
    static constexpr std::string_view name = "EvidenceMethod";
    static constexpr std::array<CodeEntry<model::EvidenceMethod>, 5> entries{{
        {model::EvidenceMethod::PinSignature, "pin_signature", "暗証番号による本人確認"},
        {model::EvidenceMethod::FaceMatch, "face_match", "顔認証による本人確認"},
        {model::EvidenceMethod::Visual, "visual", "目視による本人確認"},
        {model::EvidenceMethod::Requery, "requery", "再照会"},
        {model::EvidenceMethod::Fallback, "fallback", "代替手段"},
    }};
};
} // namespace zaitaku::base

namespace zaitaku::model
{

struct FaceMatchResult
{
    double score = 0.0;
    double threshold = 0.0;
    std::string modelId; // e.g. the sha256 of the model files used
};

// Where the challenge the card signed came from (docs/design/DESIGN.md §3.3). A local challenge is made on the
// tablet when the pool of gateway-issued ones ran dry; the gateway applies its own policy to it.
enum class ChallengeOrigin
{
    None, // no card signature in this evidence (visual, face, re-query, fallback)
    Pooled,
    Local,
};

} // namespace zaitaku::model

namespace zaitaku::base
{
template <> struct CodeTable<model::ChallengeOrigin>
{
    static constexpr std::string_view name = "ChallengeOrigin";
    static constexpr std::array<CodeEntry<model::ChallengeOrigin>, 3> entries{{
        {model::ChallengeOrigin::None, "none", "なし"},
        {model::ChallengeOrigin::Pooled, "pooled", "ゲートウェイ発行のチャレンジ"},
        {model::ChallengeOrigin::Local, "local", "端末で生成したチャレンジ（オフライン）"},
    }};
};
} // namespace zaitaku::base

namespace zaitaku::model
{

// What kind of card was presented, as classified from the card itself (docs/design/CARD.md §6).
enum class CardClass
{
    None,         // no card read (re-query, fallback)
    PinCard,      // 利用者証明用電子証明書 with a PIN
    FaceAuthOnly, // 顔認証マイナンバーカード: no PIN, face or visual only
};

} // namespace zaitaku::model

namespace zaitaku::base
{
template <> struct CodeTable<model::CardClass>
{
    static constexpr std::string_view name = "CardClass";
    static constexpr std::array<CodeEntry<model::CardClass>, 3> entries{{
        {model::CardClass::None, "none", "カードなし"},
        {model::CardClass::PinCard, "pin_card", "マイナンバーカード（暗証番号あり）"},
        {model::CardClass::FaceAuthOnly, "face_auth_only", "顔認証マイナンバーカード"},
    }};
};
} // namespace zaitaku::base

namespace zaitaku::model
{

// Why staff confirmed the person by sight instead of by PIN or face [I]: the app's own reasons.
enum class VisualReason
{
    FaceAuthOnlyCard, // the card has no PIN
    PinLastTry,       // one try left: the PIN path is refused
    PinBlocked,
    PinUnknown,     // the patient does not remember the PIN
    CannotEnterPin, // cannot operate the pad (dementia, motor impairment, sight)
    FaceUnavailable,
};

} // namespace zaitaku::model

namespace zaitaku::base
{
template <> struct CodeTable<model::VisualReason>
{
    static constexpr std::string_view name = "VisualReason";
    static constexpr std::array<CodeEntry<model::VisualReason>, 6> entries{{
        {model::VisualReason::FaceAuthOnlyCard, "face_auth_only_card", "顔認証マイナンバーカードのため"},
        {model::VisualReason::PinLastTry, "pin_last_try", "暗証番号の残り回数が1回のため"},
        {model::VisualReason::PinBlocked, "pin_blocked", "暗証番号がロックされているため"},
        {model::VisualReason::PinUnknown, "pin_unknown", "暗証番号が分からないため"},
        {model::VisualReason::CannotEnterPin, "cannot_enter_pin", "暗証番号の入力が困難なため"},
        {model::VisualReason::FaceUnavailable, "face_unavailable", "顔認証が利用できないため"},
    }};
};
} // namespace zaitaku::base

namespace zaitaku::model
{

// Staff attest that the person present matches the card's printed photo (目視確認).
struct VisualAttestation
{
    std::string staffId;
    VisualReason reason = VisualReason::CannotEnterPin;
    std::string statement; // the exact attestation text staff confirmed
};

// The consent given in the same visit, by its text's hash (the consent rows carry the rest).
struct ConsentDigest
{
    std::string consentId;
    ConsentKind kind = ConsentKind::Diagnosis;
    bool given = false;
    std::string textVersion;
    std::string textSha256;
};

struct Evidence
{
    std::string id;
    std::string visitId;
    std::string patientId; // bound in the signed bundle: the evidence cannot be moved to another patient
    EvidenceMethod method = EvidenceMethod::Visual;
    base::Timestamp capturedAt = base::Timestamp::fromUtc({});
    std::string deviceId;
    std::string staffId;

    // PIN path: the JPKI user-authentication certificate (DER) and the card's signature over
    // the gateway-issued challenge.
    std::vector<std::uint8_t> authCertificateDer;
    std::string challengeId;
    std::vector<std::uint8_t> signature;

    ChallengeOrigin challengeOrigin = ChallengeOrigin::None;
    std::vector<std::uint8_t> challengeNonce; // the bytes the card signed (SHA-256 DigestInfo of them)
    std::optional<int> triesLeftBefore;       // read (no try spent) before the first VERIFY
    std::optional<int> triesLeftAfter;        // after the last VERIFY of this visit
    std::string lastTryOverrideBy;            // staff who allowed the last PIN try; empty: none

    CardClass card = CardClass::None;

    std::optional<FaceMatchResult> face;
    std::optional<VisualAttestation> visual;

    std::vector<ConsentDigest> consents;

    std::int64_t monotonicNs = 0; // the tablet's steady clock at capture (orders events across clock changes)
    std::string appVersion;
};

} // namespace zaitaku::model
