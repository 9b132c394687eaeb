#pragma once

// What the gateway checks before it accepts a record (docs/PROTOCOL.md, "Record intake"):
//   - the payload is canonical JSON whose SHA-256 is the one announced;
//   - it is a known kind of a known payload_version, its model fields parse strictly (no field
//     missing, of another type or unknown: issue 34) and a visit carries the basis its flow and
//     methods name (store/RecordBasis) and names the sending tablet;
//   - each evidence bundle hashes to its bundle_sha256, signed by the enrolled tablet's Ed25519 key;
//   - a PIN visit's card certificate chains to the JPKI CA, is not on its CRL, and its signature
//     covers the challenge; a pooled challenge is ours (HMAC), bound to this device, was used
//     inside its validity window and is uploaded within the grace period; a `local` challenge is
//     accepted only within the local window, and flagged.
// Single use of a challenge is checked later, in the intake transaction (GatewayStorage).

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/gateway/ChallengeIssuer.h"
#include "sync/gateway/EligibilityService.h"
#include "sync/gateway/GatewayStorage.h"
#include "sync/gateway/JpkiTrust.h"
#include "sync/protocol/Messages.h"
#include "verify/model/Evidence.h"
#include "verify/model/FallbackEvidence.h"
#include "verify/model/Visit.h"

#include <chrono>
#include <string>
#include <vector>

namespace zaitaku::sync::gateway
{

struct IntakePolicy
{
    std::chrono::seconds localChallengeWindow{72 * 3600}; // capture → receipt, for `local` challenges
    std::chrono::seconds uploadGrace{14 * 24 * 3600};     // pooled challenge expiry → receipt
    std::chrono::seconds skewTolerance{300};              // beyond this, records are flagged clock_skew
};

struct Verdict
{
    std::string patientId; // whom the record is about: intake checks it against the device's roster
    std::vector<std::string> flags;
    std::vector<std::string> challengeIds;
    std::vector<protocol::FeedItem> feed;
    std::vector<CareStart> careStarts;
    std::vector<CardQuery> cardQueries;       // first visits with a card read: asked of OQS after the commit
    std::vector<RevisitQuery> revisitQueries; // revisits recorded without an answer: re-queried after the commit
    // What the gateway derived from the record and stores beside it (exported, never sent back):
    // {"fusho_claims": [{fallback_id, claim…}]} for 申立書 fallbacks filed as 不詳 (docs/design/DOMAIN.md R4),
    // {"numbered_claims": [{fallback_id, order, basis, numbers}]} for those with ① current or ②
    // former numbers (seed 003's order ①→②→③).
    nlohmann::json derived = nlohmann::json::object();
    // 薬剤・特定健診 consents given on the visit, or the one a revocation withdraws (issue 33).
    std::vector<MedicalConsentRow> medicalConsents;
};

class RecordValidator
{
public:
    RecordValidator(const ChallengeIssuer& challenges, const JpkiTrust& jpki, IntakePolicy policy)
        : m_challenges(challenges)
        , m_jpki(jpki)
        , m_policy(policy)
    {}

    // Error: ProtocolViolation (malformed), SignatureInvalid (evidence) or Rejected (policy),
    // with the payload field at fault.
    Expected<Verdict, Error> validate(const protocol::RecordEnvelope& record,
                                      const DeviceRecord& device,
                                      const base::Timestamp& receivedAt) const;

    const IntakePolicy& policy() const { return m_policy; }

private:
    static void deriveClaim(const model::FallbackEvidence& fallback, Verdict& verdict);
    static void addFlag(Verdict& verdict, const std::string& flag);
    Expected<void, Error> checkVisit(const nlohmann::json& payload,
                                     const protocol::RecordEnvelope& record,
                                     const DeviceRecord& device,
                                     const base::Timestamp& receivedAt,
                                     Verdict& verdict) const;
    static Expected<void, Error>
    checkVisitDevice(const model::Visit& visit, const DeviceRecord& device, Verdict& verdict);
    // The item's bundle, checked (hash, tablet signature, fields, a PIN signature's chain).
    Expected<model::Evidence, Error> checkEvidence(const nlohmann::json& item,
                                                   std::size_t index,
                                                   const DeviceRecord& device,
                                                   const base::Timestamp& receivedAt,
                                                   Verdict& verdict) const;
    Expected<void, Error> checkPinSignature(const model::Evidence& evidence,
                                            const std::string& field,
                                            const DeviceRecord& device,
                                            const base::Timestamp& receivedAt,
                                            Verdict& verdict) const;

    const ChallengeIssuer& m_challenges;
    const JpkiTrust& m_jpki;
    IntakePolicy m_policy;
};

} // namespace zaitaku::sync::gateway
