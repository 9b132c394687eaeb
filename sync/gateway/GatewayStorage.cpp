#include "sync/gateway/GatewayStorage.h"

namespace zaitaku::sync::gateway
{

IntakeResult answerForKnownKey(const StoredRecord& known, const std::string& payloadSha256)
{
    IntakeResult result;
    result.receivedAt = known.receivedAt;
    result.flags = known.flags;
    if (known.payloadSha256 == payloadSha256) {
        result.status = protocol::RecordStatus::Duplicate;
    } else {
        result.status = protocol::RecordStatus::Conflict;
        result.code = "conflict";
        result.reason = "the idempotency key " + known.idemKey + " was accepted before with another payload";
        result.field = "payload_sha256";
    }
    return result;
}

protocol::FeedItem careStartedItem(const CareStart& care, const base::Timestamp& at)
{
    protocol::FeedItem item;
    item.kind = "requery_permission";
    item.patientId = care.patientId;
    item.at = at;
    item.body = {{"service_kind", care.serviceKind},
                 {"first_visit_at", care.firstVisitAt.toString()},
                 {"first_online_confirm_at", nullptr},
                 {"allowed", false},
                 {"reason", "awaiting_online_confirmation"}};
    return item;
}

protocol::FeedItem careConfirmedItem(const std::string& patientId,
                                     const std::string& serviceKind,
                                     const std::string& firstVisitAt,
                                     const base::Timestamp& confirmedAt)
{
    protocol::FeedItem item;
    item.kind = "requery_permission";
    item.patientId = patientId;
    item.at = confirmedAt;
    item.body = {{"service_kind", serviceKind},
                 {"first_visit_at", firstVisitAt},
                 {"first_online_confirm_at", confirmedAt.toString()},
                 {"allowed", true},
                 {"reason", "continuing_home_care"}};
    return item;
}

sql::AuditEntry recordAcceptedAudit(const IntakeRequest& request)
{
    const auto& rec = request.record;
    return {request.deviceId,
            "record.accept",
            rec.recordId,
            {{"kind", rec.kind},
             {"idempotency_key", rec.idemKey},
             {"payload_sha256", rec.payloadSha256},
             {"patient_id", request.patientId},
             {"flags", request.flags}}};
}

IntakeResult challengeReusedRefusal(const std::string& challengeId)
{
    IntakeResult refusal;
    refusal.status = protocol::RecordStatus::Rejected;
    refusal.code = "signature_invalid";
    refusal.reason = "the challenge " + challengeId + " was already used by another record";
    refusal.field = "challenge_id";
    return refusal;
}

IntakeResult storedReceipt(const IntakeRequest& request)
{
    IntakeResult result;
    result.status = protocol::RecordStatus::Stored;
    result.receivedAt = request.receivedAt;
    result.flags = request.flags;
    return result;
}

sql::AuditEntry assignmentAudit(const std::string& actor,
                                const std::string& deviceId,
                                const std::vector<std::string>& patientIds,
                                bool assign)
{
    return {actor, assign ? "roster.assign" : "roster.unassign", deviceId, {{"patients", patientIds}}};
}

sql::AuditEntry
readAudit(const std::string& deviceId, const std::string& route, const std::vector<std::string>& patientIds)
{
    return {deviceId, "read." + route, route, {{"patients", patientIds}}};
}

Expected<IntakeResult, Error> GatewayStorage::intake(const IntakeRequest& request)
{
    auto results = intakeBatch({request});
    if (!results) {
        return Unexpected(results.error());
    }
    return results->front();
}

protocol::FeedItem
eligibilityResultItem(const std::string& patientId, const nlohmann::json& snapshot, const base::Timestamp& receivedAt)
{
    protocol::FeedItem item;
    item.kind = "eligibility_result";
    item.patientId = patientId;
    item.at = receivedAt;
    item.body = {{"snapshot", snapshot}, {"received_at", receivedAt.toString()}};
    return item;
}

} // namespace zaitaku::sync::gateway
