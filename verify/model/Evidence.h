#pragma once

// What a visit proves about the person present (DESIGN.md §3.2–3.3). Never holds a PIN, a face
// image or the 個人番号: only the outcome, the signed challenge and who attested what.

#include "verify/model/CodeTable.h"
#include "verify/model/Timestamp.h"

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

template <> struct CodeTable<EvidenceMethod>
{
    static constexpr std::string_view name = "EvidenceMethod";
    static constexpr std::array<CodeEntry<EvidenceMethod>, 5> entries{{
        {EvidenceMethod::PinSignature, "pin_signature", "暗証番号による本人確認"},
        {EvidenceMethod::FaceMatch, "face_match", "顔認証による本人確認"},
        {EvidenceMethod::Visual, "visual", "目視による本人確認"},
        {EvidenceMethod::Requery, "requery", "再照会"},
        {EvidenceMethod::Fallback, "fallback", "代替手段"},
    }};
};

struct FaceMatchResult
{
    double score = 0.0;
    double threshold = 0.0;
    std::string modelId; // e.g. the sha256 of the model files used
};

struct Evidence
{
    std::string id;
    std::string visitId;
    EvidenceMethod method = EvidenceMethod::Visual;
    Timestamp capturedAt = Timestamp::fromUtc({});
    std::string deviceId;
    std::string staffId;

    // PIN path: the JPKI user-authentication certificate (DER) and the card's signature over
    // the gateway-issued challenge.
    std::vector<std::uint8_t> authCertificateDer;
    std::string challengeId;
    std::vector<std::uint8_t> signature;

    std::optional<FaceMatchResult> face;

    // Visual path: why staff chose it (e.g. face-auth-only card, PIN 1 try left).
    std::string visualReason;
};

} // namespace zaitaku::model
