#include "sync/gateway/RecordValidator.h"

#include "base/BoundedJson.h"
#include "base/Bytes.h"
#include "base/CanonicalJson.h"
#include "base/Sha256.h"
#include "device/mynacard/Certificate.h"
#include "sync/protocol/EvidenceSignature.h"
#include "sync/protocol/ModelJson.h"
#include "sync/protocol/RecordBasis.h"
#include "verify/rules/CertificateExpiry.h"
#include "verify/visit/FallbackForms.h"

#include <algorithm>

namespace zaitaku::sync::gateway
{

namespace
{

Unexpected<Error> refuse(Errc code, const std::string& field, const std::string& message)
{
    return Unexpected(Error{code, message, field});
}

std::string bytesAsString(const std::vector<std::uint8_t>& bytes)
{
    return std::string(bytes.begin(), bytes.end());
}

// The consents the gateway acts on itself (issue 33): OQS's 薬剤情報 and 特定健診情報.
bool isMedicalInfoConsent(model::ConsentKind kind)
{
    return kind == model::ConsentKind::Pharmacy || kind == model::ConsentKind::Checkup;
}

} // namespace

Expected<Verdict, Error> RecordValidator::validate(const protocol::RecordEnvelope& record,
                                                   const DeviceRecord& device,
                                                   const base::Timestamp& receivedAt) const
{
    if (base::sha256Hex(record.payload) != record.payloadSha256) {
        return refuse(Errc::ProtocolViolation, "payload_sha256", "payload_sha256 is not the SHA-256 of the payload");
    }
    auto payload = base::parseJson(record.payload);
    if (payload.is_discarded() || !payload.is_object()) {
        return refuse(Errc::ProtocolViolation, "payload",
                      "the payload is not a JSON object nested at most " + std::to_string(base::kMaxJsonDepth) +
                          " deep");
    }
    if (base::canonicalJson(payload) != record.payload) {
        return refuse(Errc::ProtocolViolation, "payload",
                      "the payload is not in canonical form (sorted keys, no spaces)");
    }
    // Issue 34: fields are added under a new payload version, never silently; absent = 1.
    if (payload.contains("payload_version")) {
        const auto& version = payload["payload_version"];
        if (!version.is_number_integer() || version.get<std::int64_t>() < 1) {
            return refuse(Errc::ProtocolViolation, "payload_version", "payload_version must be a positive integer");
        }
        if (version.get<std::int64_t>() > protocol::kRecordPayloadVersion) {
            return refuse(Errc::ProtocolViolation, "payload_version",
                          "payload version " + version.dump() + " is newer than this gateway knows (" +
                              std::to_string(protocol::kRecordPayloadVersion) +
                              "): upgrade the gateway, then send the record again (sync-retry)");
        }
        payload.erase("payload_version");
    }
    Verdict verdict;
    if (record.kind == "visit") {
        if (auto done = checkVisit(payload, record, device, receivedAt, verdict); !done) {
            return Unexpected(done.error());
        }
    } else if (record.kind == "consent_revocation") {
        auto consent = protocol::consentFromJson(payload);
        if (!consent) {
            return refuse(Errc::ProtocolViolation, consent.error().field, consent.error().message);
        }
        if (consent->revokesConsentId.empty()) {
            return refuse(Errc::ProtocolViolation, "revokes_consent_id",
                          "a revocation must name the consent it withdraws");
        }
        verdict.patientId = consent->patientId;
        protocol::FeedItem item;
        item.kind = "consent_revocation";
        item.patientId = consent->patientId;
        item.at = receivedAt;
        item.body = {{"revocation_id", consent->id},
                     {"revokes_consent_id", consent->revokesConsentId},
                     {"kind", std::string(base::toCode(consent->kind))},
                     {"device_id", device.id}};
        verdict.feed.push_back(std::move(item));
        if (isMedicalInfoConsent(consent->kind)) {
            verdict.medicalConsents.push_back({consent->revokesConsentId, consent->patientId, consent->kind, "",
                                               receivedAt, consent->revokedAt.value_or(receivedAt)});
        }
    } else if (record.kind == "custody") {
        auto event = protocol::custodyEventFromJson(payload);
        if (!event) {
            return refuse(Errc::ProtocolViolation, event.error().field, event.error().message);
        }
        verdict.patientId = event->patientId;
    } else {
        return refuse(Errc::ProtocolViolation, "kind", "unknown record kind '" + record.kind + "'");
    }
    return verdict;
}

// A visit record (issue 34): exactly the parts a tablet writes, each strictly parsed, the evidence
// sealed by the sender, the visit named by the sender, and the basis its flow and methods name
// (store/RecordBasis, the rules the tablet applied before it queued the record).
Expected<void, Error> RecordValidator::checkVisit(const nlohmann::json& payload,
                                                  const protocol::RecordEnvelope& record,
                                                  const DeviceRecord& device,
                                                  const base::Timestamp& receivedAt,
                                                  Verdict& verdict) const
{
    for (const auto& item : payload.items()) {
        if (item.key() != "visit" && item.key() != "evidence" && item.key() != "consents" &&
            item.key() != "fallbacks") {
            return refuse(Errc::ProtocolViolation, item.key(),
                          "field " + item.key() + " is not part of a visit record");
        }
    }
    if (!payload.contains("visit") || !payload["visit"].is_object()) {
        return refuse(Errc::ProtocolViolation, "visit", "a visit record needs a 'visit' object");
    }
    for (const char* list : {"evidence", "consents", "fallbacks"}) {
        if (!payload.contains(list) || !payload[list].is_array()) {
            return refuse(Errc::ProtocolViolation, list,
                          std::string("a visit record needs a '") + list + "' list (empty when there is none)");
        }
    }
    auto visit = protocol::visitFromJson(payload["visit"]);
    if (!visit) {
        return refuse(Errc::ProtocolViolation, "visit." + visit.error().field, visit.error().message);
    }
    if (visit->id != record.recordId) {
        return refuse(Errc::ProtocolViolation, "visit.id", "the visit id is not the record id");
    }
    if (auto named = checkVisitDevice(*visit, device, verdict); !named) {
        return named;
    }
    verdict.patientId = visit->patientId;
    const auto& evidenceItems = payload["evidence"];
    std::vector<model::Evidence> evidence;
    for (std::size_t i = 0; i < evidenceItems.size(); ++i) {
        auto checked = checkEvidence(evidenceItems[i], i, device, receivedAt, verdict);
        if (!checked) {
            return Unexpected(checked.error());
        }
        if (checked->patientId.empty()) {
            addFlag(verdict, "evidence_without_patient"); // sealed by an older tablet
        }
        evidence.push_back(std::move(*checked));
    }
    std::vector<model::Consent> consents;
    bool limitConsent = false;
    for (std::size_t i = 0; i < payload["consents"].size(); ++i) {
        auto parsed = protocol::consentFromJson(payload["consents"][i]);
        if (!parsed) {
            return refuse(Errc::ProtocolViolation, protocol::listItemField("consents", i, parsed.error().field),
                          parsed.error().message);
        }
        limitConsent = limitConsent || (parsed->kind == model::ConsentKind::Limit && parsed->given);
        if (parsed->given && isMedicalInfoConsent(parsed->kind)) {
            const auto at = parsed->consentTime ? parsed->consentTime
                                                : (visit->completedAt ? visit->completedAt : visit->startedAt);
            verdict.medicalConsents.push_back({parsed->id, visit->patientId, parsed->kind,
                                               std::string(base::toCode(visit->serviceKind)), at.value_or(receivedAt),
                                               std::nullopt});
        }
        consents.push_back(std::move(*parsed));
    }
    std::vector<model::FallbackEvidence> fallbacks;
    for (std::size_t i = 0; i < payload["fallbacks"].size(); ++i) {
        auto parsed = protocol::fallbackFromJson(payload["fallbacks"][i]);
        if (!parsed) {
            return refuse(Errc::ProtocolViolation, protocol::listItemField("fallbacks", i, parsed.error().field),
                          parsed.error().message);
        }
        fallbacks.push_back(std::move(*parsed));
    }
    if (auto based = protocol::checkVisitBasis({*visit, evidence, consents, fallbacks}); !based) {
        const bool sealed = based.error().field.rfind("evidence[", 0) == 0;
        return refuse(sealed ? Errc::SignatureInvalid : Errc::ProtocolViolation, based.error().field,
                      based.error().message);
    }
    for (const auto& fallback : fallbacks) {
        if (fallback.kind == model::FallbackKind::Moushitatesho) {
            deriveClaim(fallback, verdict);
        }
    }
    // Seed 004 再照会: a revisit OQS did not answer at the door (no signal; or a tablet from before
    // revisits re-queried) is re-queried for its visit date once the record is stored.
    if (visit->flow == model::VisitFlow::Revisit && visit->requery != model::RequeryState::Answered) {
        const auto date = visit->completedAt ? visit->completedAt->localDate() : visit->scheduledFor;
        verdict.revisitQueries.push_back(
            {visit->patientId, std::string(base::toCode(visit->serviceKind)), visit->id, date});
        addFlag(verdict, "requery_pending");
    }
    // docs/design/DOMAIN.md R7: a first visit (its person identified: RecordBasis) starts the care relationship
    // the gateway tracks; re-query becomes allowed once OQS confirmed it online.
    if (visit->flow == model::VisitFlow::FirstVisit && !evidence.empty()) {
        verdict.careStarts.push_back(
            {visit->patientId, std::string(base::toCode(visit->serviceKind)), evidence.front().capturedAt});
        // The card's certificate is the query key of the first online confirmation (F1).
        for (const auto& e : evidence) {
            if (e.authCertificateDer.empty()) {
                continue;
            }
            const auto source = e.method == model::EvidenceMethod::PinSignature ? model::SnapshotSource::CardPin
                                : e.method == model::EvidenceMethod::FaceMatch  ? model::SnapshotSource::CardFace
                                                                                : model::SnapshotSource::CardVisual;
            verdict.cardQueries.push_back({visit->patientId, std::string(base::toCode(visit->serviceKind)), source,
                                           e.authCertificateDer, e.capturedAt.localDate(), limitConsent});
            break;
        }
    }
    return {};
}

// Issue 34: a visit names the tablet that sends it (or one of its earlier enrollments). A store
// names itself `tablet-…` before it is enrolled: such a visit, made before the enrollment, is
// accepted and flagged; any other name is refused.
Expected<void, Error>
RecordValidator::checkVisitDevice(const model::Visit& visit, const DeviceRecord& device, Verdict& verdict)
{
    const auto& earlier = device.earlierIds;
    if (visit.deviceId == device.id || std::find(earlier.begin(), earlier.end(), visit.deviceId) != earlier.end()) {
        return {};
    }
    const auto madeAt = visit.startedAt ? visit.startedAt : visit.completedAt;
    if (visit.deviceId.rfind("tablet-", 0) == 0 && visit.deviceId.size() > 7 && madeAt &&
        madeAt->utc() <= device.enrolledAt.utc()) {
        addFlag(verdict, "recorded_before_enrollment");
        return {};
    }
    return refuse(Errc::ProtocolViolation, "visit.device_id",
                  visit.deviceId.empty() ? "the visit does not name the tablet that recorded it"
                                         : "the visit names another tablet (" + visit.deviceId + "), not " + device.id);
}

// The 申立書's claim again (seed 003's ①→②→③, R4 for ③), from the fields as received: the claim the facility files does
// not depend on the tablet's version of the rule. A tablet that derived something else is flagged, not refused (the
// visit happened; the clerk checks the claim).
void RecordValidator::deriveClaim(const model::FallbackEvidence& fallback, Verdict& verdict)
{
    const auto parsed = base::parseJson(fallback.capturedFieldsJson);
    const auto fields = parsed.is_object() ? parsed : nlohmann::json::object();
    // Seed 003's order: ① current numbers, ② former numbers, and only then ③ 不詳.
    const auto numbered = visit::claimFor(fields);
    const bool tabletClaim = fields.contains("claim") && fields["claim"].is_object();
    if (numbered["basis"] != "fusho") {
        auto entry = numbered;
        entry["fallback_id"] = fallback.id;
        addFlag(verdict, numbered["basis"] == "former" ? "claim_former_numbers" : "claim_current_numbers");
        verdict.derived["numbered_claims"].push_back(std::move(entry));
        if (!tabletClaim || fields["claim"].value("basis", "") != numbered["basis"] ||
            fields["claim"].value("insured_number", "") != numbered["insured_number"]) {
            addFlag(verdict, "claim_rederived");
        }
        return;
    }
    const auto claim = visit::fushoClaimFor(fields);
    if (!verdict.derived.contains("fusho_claims")) {
        verdict.derived["fusho_claims"] = nlohmann::json::array();
        verdict.flags.push_back("fusho_claim");
    }
    auto entry = claim;
    entry["fallback_id"] = fallback.id;
    verdict.derived["fusho_claims"].push_back(std::move(entry));
    const bool tabletAgrees = fields.contains("fusho_claim") && fields["fusho_claim"].is_object() &&
                              fields["fusho_claim"].value("insurer_number", "") == claim["insurer_number"] &&
                              fields["fusho_claim"].value("insured_number", "") == claim["insured_number"];
    if (!tabletAgrees) {
        addFlag(verdict, "fusho_claim_rederived");
    }
}

void RecordValidator::addFlag(Verdict& verdict, const std::string& flag)
{
    if (std::find(verdict.flags.begin(), verdict.flags.end(), flag) == verdict.flags.end()) {
        verdict.flags.push_back(flag);
    }
}

Expected<model::Evidence, Error> RecordValidator::checkEvidence(const nlohmann::json& item,
                                                                std::size_t index,
                                                                const DeviceRecord& device,
                                                                const base::Timestamp& receivedAt,
                                                                Verdict& verdict) const
{
    const std::string field = protocol::listItemField("evidence", index);
    if (!item.is_object()) {
        return refuse(Errc::ProtocolViolation, field, "each evidence item is an object");
    }
    for (const auto& part : item.items()) {
        if (part.key() != "bundle" && part.key() != "bundle_sha256" && part.key() != "device_signature") {
            return refuse(Errc::ProtocolViolation, field + "." + part.key(),
                          "field " + field + "." + part.key() + " is not part of an evidence item");
        }
    }
    if (!item.contains("bundle") || !item["bundle"].is_object()) {
        return refuse(Errc::ProtocolViolation, field + ".bundle", "each evidence item needs a 'bundle' object");
    }
    const auto& bundle = item["bundle"];
    if (!item.contains("bundle_sha256") || !item["bundle_sha256"].is_string()) {
        return refuse(Errc::ProtocolViolation, field + ".bundle_sha256", "each evidence item names its bundle's hash");
    }
    if (!item.contains("device_signature") || !item["device_signature"].is_string()) {
        return refuse(Errc::ProtocolViolation, field + ".device_signature",
                      "each evidence item is signed by its tablet");
    }
    const std::string sha = item["bundle_sha256"].get<std::string>();
    if (base::sha256Hex(base::canonicalJson(bundle)) != sha) {
        return refuse(Errc::SignatureInvalid, field + ".bundle_sha256",
                      "the evidence bundle does not hash to bundle_sha256");
    }
    auto signature = base::fromHex(item["device_signature"].get<std::string>());
    if (!signature || signature->empty() || !protocol::verifyDeviceSignature(device.signingKeyHex, sha, *signature)) {
        return refuse(Errc::SignatureInvalid, field + ".device_signature",
                      "the evidence is not signed by the enrolled tablet's key");
    }
    auto evidence = protocol::evidenceFromJson(bundle);
    if (!evidence) {
        return refuse(Errc::ProtocolViolation, field + ".bundle." + evidence.error().field, evidence.error().message);
    }
    if (evidence->deviceId != device.id) {
        addFlag(verdict, "device_id_differs"); // recorded before enrollment named the tablet
    }
    if (evidence->method == model::EvidenceMethod::PinSignature) {
        if (auto checked = checkPinSignature(*evidence, field + ".bundle", device, receivedAt, verdict); !checked) {
            return Unexpected(checked.error());
        }
    }
    return evidence;
}

Expected<void, Error> RecordValidator::checkPinSignature(const model::Evidence& e,
                                                         const std::string& field,
                                                         const DeviceRecord& device,
                                                         const base::Timestamp& receivedAt,
                                                         Verdict& verdict) const
{
    // Seed 003: 「有効期限が切れてから3か月間は健康保険証として利用可能」, identity by PIN as usual. A
    // signature made in that grace period is checked as of the certificate's last valid second; the
    // grace is judged by the visit (captured_at), never by when the record arrived.
    auto checkAt = e.capturedAt;
    if (auto info = device::parseCertificate(e.authCertificateDer); info && info->notAfter < e.capturedAt) {
        const auto status = rules::certificateStatus(info->notAfter.localDate(), e.capturedAt.localDate());
        if (status.state != rules::CertificateState::Grace) {
            return refuse(Errc::SignatureInvalid, field + ".auth_certificate_der",
                          "the card's certificate expired on " + info->notAfter.localDate().toString() +
                              " and its grace period had ended on the visit date");
        }
        checkAt = info->notAfter.plus(std::chrono::seconds(-1));
        addFlag(verdict, "ecert_grace"); // qualification only: no medical information is asked
    }
    if (auto trusted = m_jpki.check(bytesAsString(e.authCertificateDer), checkAt); !trusted) {
        return refuse(Errc::SignatureInvalid, field + ".auth_certificate_der", trusted.error().message);
    }
    auto verified = device::verifySha256Signature(e.authCertificateDer, e.challengeNonce, e.signature);
    if (!verified || !*verified) {
        return refuse(Errc::SignatureInvalid, field + ".signature",
                      "the card's signature does not verify over the challenge with its certificate");
    }
    switch (e.challengeOrigin) {
    case model::ChallengeOrigin::Pooled: {
        auto claim = m_challenges.check(e.challengeId, base::toHex(e.challengeNonce));
        if (!claim) {
            return refuse(Errc::SignatureInvalid, field + "." + claim.error().field, claim.error().message);
        }
        if (claim->deviceId != device.id) {
            // A re-enrolled tablet (same signing key, a code the operator issued) signs over the
            // challenges its earlier enrollment downloaded: its own, not another device's (M7).
            const auto& earlier = device.earlierIds;
            if (std::find(earlier.begin(), earlier.end(), claim->deviceId) == earlier.end()) {
                return refuse(Errc::SignatureInvalid, field + ".challenge_id",
                              "the challenge was issued to another device (" + claim->deviceId + ")");
            }
            addFlag(verdict, "challenge_of_earlier_enrollment");
        }
        if (e.capturedAt > claim->expiresAt) {
            return refuse(Errc::SignatureInvalid, field + ".challenge_id",
                          "the challenge had expired (" + claim->expiresAt.toString() + ") when it was signed");
        }
        if (e.capturedAt.plus(m_policy.skewTolerance) < claim->issuedAt) {
            return refuse(Errc::SignatureInvalid, field + ".captured_at",
                          "the evidence claims a time before its challenge was issued");
        }
        if (receivedAt > claim->expiresAt.plus(m_policy.uploadGrace)) {
            return refuse(Errc::SignatureInvalid, field + ".challenge_id",
                          "the challenge expired more than the upload grace period ago");
        }
        verdict.challengeIds.push_back(e.challengeId);
        return {};
    }
    case model::ChallengeOrigin::Local:
        if (e.capturedAt > receivedAt.plus(m_policy.skewTolerance) ||
            receivedAt > e.capturedAt.plus(m_policy.localChallengeWindow)) {
            return refuse(Errc::SignatureInvalid, field + ".challenge_origin",
                          "a local challenge is accepted only within " +
                              std::to_string(m_policy.localChallengeWindow.count() / 3600) + " h of the visit");
        }
        verdict.flags.push_back("local_challenge");
        // Claimed facility-wide: the same card signature over the same nonce cannot be replayed
        // by another tablet (each tablet's own claim would not collide).
        verdict.challengeIds.push_back("local:" + base::toHex(e.challengeNonce));
        return {};
    case model::ChallengeOrigin::None:
        break;
    }
    return refuse(Errc::SignatureInvalid, field + ".challenge_origin", "a PIN signature needs a challenge");
}

} // namespace zaitaku::sync::gateway
