#include "sync/protocol/RecordBasis.h"

#include <algorithm>
#include <set>
#include <string>

namespace zaitaku::sync::protocol
{

namespace
{

Unexpected<Error> refuse(const std::string& field, const std::string& message)
{
    return Unexpected(Error{Errc::InvalidInput, message, field});
}

bool identifiesThePerson(model::EvidenceMethod method)
{
    return method == model::EvidenceMethod::PinSignature || method == model::EvidenceMethod::FaceMatch ||
           method == model::EvidenceMethod::Visual;
}

// What the evidence's method names is there: the card's signature and certificate, the face
// comparison, the staff member's decision.
Expected<void, Error> checkEvidence(const model::Evidence& e, const std::string& field)
{
    switch (e.method) {
    case model::EvidenceMethod::PinSignature:
        if (e.authCertificateDer.empty()) {
            return refuse(field + ".auth_certificate_der", "a PIN visit carries the card's certificate");
        }
        if (e.signature.empty()) {
            return refuse(field + ".signature", "a PIN visit carries the card's signature");
        }
        if (e.challengeOrigin == model::ChallengeOrigin::None || e.challengeNonce.empty()) {
            return refuse(field + ".challenge_origin", "a PIN visit's signature is over a challenge");
        }
        return {};
    case model::EvidenceMethod::FaceMatch:
        if (!e.face) {
            return refuse(field + ".face", "a face visit carries the face comparison");
        }
        if (e.face->score < e.face->threshold) {
            return refuse(field + ".face.score", "the face comparison did not reach its threshold");
        }
        return {};
    case model::EvidenceMethod::Visual:
        if (!e.visual) {
            return refuse(field + ".visual", "a 目視 visit carries the staff member's decision");
        }
        if (e.visual->staffId.empty()) {
            return refuse(field + ".visual.staff_id", "a 目視 decision names the staff member who made it");
        }
        return {};
    case model::EvidenceMethod::Requery:
    case model::EvidenceMethod::Fallback:
        return {};
    }
    return {};
}

// The visit's id list names exactly the items carried (each once).
template <typename T>
Expected<void, Error>
listsExactly(const std::vector<std::string>& ids, const std::vector<T>& items, const char* field, const char* what)
{
    std::multiset<std::string> listed(ids.begin(), ids.end());
    std::multiset<std::string> carried;
    for (const auto& item : items) {
        carried.insert(item.id);
    }
    if (listed != carried || std::set<std::string>(ids.begin(), ids.end()).size() != ids.size()) {
        return refuse(std::string("visit.") + field,
                      std::string("visit.") + field + " does not name exactly the " + what + " the record carries");
    }
    return {};
}

} // namespace

std::string listItemField(const char* list, std::size_t i, const std::string& field)
{
    const std::string item = std::string(list) + "[" + std::to_string(i) + "]";
    return field.empty() ? item : item + "." + field;
}

Expected<void, Error> checkVisitBasis(const VisitRecordParts& r)
{
    const model::Visit& v = r.visit;
    if (v.id.empty()) {
        return refuse("visit.id", "a visit needs an id");
    }
    if (v.patientId.empty()) {
        return refuse("visit.patient_id", "a visit needs a patient");
    }
    if (v.deviceId.empty()) {
        return refuse("visit.device_id", "a visit names the tablet that recorded it");
    }
    if (v.staffId.empty()) {
        return refuse("visit.staff_id", "a visit names the staff member who made it");
    }
    bool identified = false;
    for (std::size_t i = 0; i < r.evidence.size(); ++i) {
        const auto& e = r.evidence[i];
        const std::string field = listItemField("evidence", i, "bundle");
        if (e.visitId != v.id) {
            return refuse(field + ".visit_id", "the evidence belongs to another visit");
        }
        if (!e.patientId.empty() && e.patientId != v.patientId) {
            return refuse(field + ".patient_id", "the evidence belongs to another patient");
        }
        if (auto done = checkEvidence(e, field); !done) {
            return done;
        }
        identified = identified || identifiesThePerson(e.method);
    }
    for (std::size_t i = 0; i < r.consents.size(); ++i) {
        if (r.consents[i].patientId != v.patientId) {
            return refuse(listItemField("consents", i, "patient_id"), "the consent is another patient's");
        }
    }
    for (std::size_t i = 0; i < r.fallbacks.size(); ++i) {
        if (r.fallbacks[i].visitId != v.id) {
            return refuse(listItemField("fallbacks", i, "visit_id"), "the fallback document belongs to another visit");
        }
    }
    if (auto done = listsExactly(v.evidenceIds, r.evidence, "evidence_ids", "evidence"); !done) {
        return done;
    }
    if (auto done = listsExactly(v.consentIds, r.consents, "consent_ids", "consents"); !done) {
        return done;
    }
    switch (v.flow) {
    case model::VisitFlow::FirstVisit:
        if (!identified) {
            return refuse("evidence", "a first visit shows who the person was: a PIN signature, a face match or a "
                                      "staff 目視 decision (with documents instead, it is a fallback visit)");
        }
        break;
    case model::VisitFlow::Fallback:
        if (r.fallbacks.empty()) {
            return refuse("fallbacks", "a fallback visit rests on at least one fallback document");
        }
        break;
    case model::VisitFlow::Revisit:
        // No `requery` (a tablet from before revisits re-queried): the gateway re-queries it.
        if (v.requery == model::RequeryState::Answered && v.snapshotId.empty()) {
            return refuse("visit.snapshot_id", "a revisit answered at the door names the answer");
        }
        break;
    }
    return {};
}

} // namespace zaitaku::sync::protocol
