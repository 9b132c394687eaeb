#include "sync/protocol/Messages.h"

#include "sync/protocol/FieldReader.h"
#include "sync/protocol/ModelJson.h"
#include "sync/protocol/WireLimits.h"

#include <algorithm>

namespace zaitaku::sync::protocol
{

namespace
{

nlohmann::json optionalTime(const std::optional<base::Timestamp>& t)
{
    return t ? nlohmann::json(t->toString()) : nlohmann::json(nullptr);
}

template <typename T, typename Read> Expected<T, Error> parseWith(std::string_view body, Read read)
{
    return parseMessage<T>(body, read);
}

std::vector<std::string> stringList(FieldReader& r, std::string_view key, std::size_t maxItems)
{
    std::vector<std::string> out;
    const auto& items = r.array(key, maxItems);
    for (std::size_t i = 0; i < items.size() && r.ok(); ++i) {
        if (!items[i].is_string() || items[i].get_ref<const std::string&>().size() > 128) {
            r.fail(std::string(key) + "[" + std::to_string(i) + "]", "must be a string of at most 128 bytes");
            break;
        }
        out.push_back(items[i].get<std::string>());
    }
    return out;
}

} // namespace

std::string dump(const nlohmann::json& json)
{
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

nlohmann::json toJson(const EnrollRequest& m)
{
    return {{"code", m.code},
            {"csr_pem", m.csrPem},
            {"signing_key", m.signingKeyHex},
            {"label", m.label},
            {"app_version", m.appVersion}};
}

Expected<EnrollRequest, Error> parseEnrollRequest(std::string_view body)
{
    return parseWith<EnrollRequest>(body, [](FieldReader& r) {
        r.allowOnly({"code", "csr_pem", "signing_key", "label", "app_version"});
        EnrollRequest m;
        m.code = r.string("code", 64);
        m.csrPem = r.string("csr_pem", 8192);
        m.signingKeyHex = r.hex("signing_key", 32);
        m.label = r.string("label", 128);
        // Printed on operators' terminals (`devices list`): no control characters, no escape
        // sequences (security review L6).
        if (std::any_of(m.label.begin(), m.label.end(),
                        [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
            r.fail("label", "label must not contain control characters");
        }
        m.appVersion = r.string("app_version", 32);
        return m;
    });
}

nlohmann::json toJson(const EnrollResponse& m)
{
    return {{"device_id", m.deviceId}, {"certificate_pem", m.certificatePem}, {"ca_pem", m.caPem}, {"epoch", m.epoch}};
}

Expected<EnrollResponse, Error> parseEnrollResponse(std::string_view body)
{
    return parseWith<EnrollResponse>(body, [](FieldReader& r) {
        r.allowOnly({"device_id", "certificate_pem", "ca_pem", "epoch"});
        EnrollResponse m;
        m.deviceId = r.string("device_id", 64);
        m.certificatePem = r.string("certificate_pem", 8192);
        m.caPem = r.string("ca_pem", 8192);
        m.epoch = r.string("epoch", 64);
        return m;
    });
}

nlohmann::json toJson(const RenewRequest& m)
{
    return {{"csr_pem", m.csrPem}};
}

Expected<RenewRequest, Error> parseRenewRequest(std::string_view body)
{
    return parseWith<RenewRequest>(body, [](FieldReader& r) {
        r.allowOnly({"csr_pem"});
        return RenewRequest{r.string("csr_pem", 8192)};
    });
}

nlohmann::json toJson(const RenewResponse& m)
{
    return {{"certificate_pem", m.certificatePem}, {"not_after", m.notAfter.toString()}};
}

Expected<RenewResponse, Error> parseRenewResponse(std::string_view body)
{
    return parseWith<RenewResponse>(body, [](FieldReader& r) {
        r.allowOnly({"certificate_pem", "not_after"});
        RenewResponse m;
        m.certificatePem = r.string("certificate_pem", 8192);
        m.notAfter = r.timestamp("not_after");
        return m;
    });
}

nlohmann::json toJson(const TrustAnchorAnnouncement& m)
{
    return {{"root_pem", m.rootPem}, {"cross_pem", m.crossPem}};
}

Expected<TrustAnchorAnnouncement, Error> parseTrustAnchorAnnouncement(const nlohmann::json& body)
{
    return parseWith<TrustAnchorAnnouncement>(body.dump(), [](FieldReader& r) {
        r.allowOnly({"root_pem", "cross_pem"});
        TrustAnchorAnnouncement m;
        m.rootPem = r.string("root_pem", 8192);
        m.crossPem = r.string("cross_pem", 8192);
        return m;
    });
}

nlohmann::json toJson(const ChallengeRequest& m)
{
    return {{"count", m.count}};
}

Expected<ChallengeRequest, Error> parseChallengeRequest(std::string_view body)
{
    return parseWith<ChallengeRequest>(body, [](FieldReader& r) {
        r.allowOnly({"count"});
        return ChallengeRequest{r.integer("count", 1, static_cast<std::int64_t>(kMaxChallengesPerRequest))};
    });
}

nlohmann::json toJson(const ChallengeBatch& m)
{
    auto list = nlohmann::json::array();
    for (const auto& c : m.challenges) {
        list.push_back({{"id", c.id},
                        {"nonce", c.nonceHex},
                        {"token", c.token},
                        {"issued_at", c.issuedAt.toString()},
                        {"expires_at", c.expiresAt.toString()}});
    }
    return {{"server_time", m.serverTime.toString()}, {"challenges", std::move(list)}};
}

Expected<ChallengeBatch, Error> parseChallengeBatch(std::string_view body)
{
    return parseWith<ChallengeBatch>(body, [](FieldReader& r) {
        r.allowOnly({"server_time", "challenges"});
        ChallengeBatch m;
        m.serverTime = r.timestamp("server_time");
        const auto& list = r.array("challenges", kMaxChallengesPerRequest);
        for (std::size_t i = 0; i < list.size() && r.ok(); ++i) {
            auto e = r.element(list, "challenges", i);
            e.allowOnly({"id", "nonce", "token", "issued_at", "expires_at"});
            WireChallenge c;
            c.id = e.string("id", 64);
            c.nonceHex = e.hex("nonce", kChallengeNonceBytes);
            c.token = e.hex("token", 64);
            c.issuedAt = e.timestamp("issued_at");
            c.expiresAt = e.timestamp("expires_at");
            m.challenges.push_back(std::move(c));
        }
        return m;
    });
}

nlohmann::json toJson(const RecordsRequest& m)
{
    auto list = nlohmann::json::array();
    for (const auto& rec : m.records) {
        list.push_back({{"idempotency_key", rec.idemKey},
                        {"kind", rec.kind},
                        {"record_id", rec.recordId},
                        {"payload", rec.payload},
                        {"payload_sha256", rec.payloadSha256},
                        {"created_at", rec.createdAt.toString()}});
    }
    return {{"device_time", m.deviceTime.toString()}, {"records", std::move(list)}};
}

Expected<RecordsRequest, Error> parseRecordsRequest(std::string_view body)
{
    return parseWith<RecordsRequest>(body, [](FieldReader& r) {
        r.allowOnly({"device_time", "records"});
        RecordsRequest m;
        m.deviceTime = r.timestamp("device_time");
        const auto& list = r.array("records", kMaxRecordsPerBatch);
        if (r.ok() && list.empty()) {
            r.fail("records", "must not be empty");
        }
        for (std::size_t i = 0; i < list.size() && r.ok(); ++i) {
            auto e = r.element(list, "records", i);
            e.allowOnly({"idempotency_key", "kind", "record_id", "payload", "payload_sha256", "created_at"});
            RecordEnvelope rec;
            rec.idemKey = e.string("idempotency_key", 64);
            rec.kind = e.string("kind", 32);
            rec.recordId = e.string("record_id", 64);
            rec.payload = e.string("payload", kMaxRecordPayloadBytes);
            rec.payloadSha256 = e.hex("payload_sha256", 32);
            rec.createdAt = e.timestamp("created_at");
            if (e.ok() && rec.idemKey.empty()) {
                e.fail("idempotency_key", "must not be empty");
            }
            m.records.push_back(std::move(rec));
        }
        return m;
    });
}

nlohmann::json toJson(const RecordsResponse& m)
{
    auto list = nlohmann::json::array();
    for (const auto& res : m.results) {
        list.push_back({{"idempotency_key", res.idemKey},
                        {"status", std::string(base::toCode(res.status))},
                        {"code", res.code},
                        {"reason", res.reason},
                        {"field", res.field},
                        {"received_at", optionalTime(res.receivedAt)},
                        {"flags", res.flags}});
    }
    return {{"epoch", m.epoch},
            {"server_time", m.serverTime.toString()},
            {"skew_seconds", m.skewSeconds},
            {"results", std::move(list)}};
}

Expected<RecordsResponse, Error> parseRecordsResponse(std::string_view body)
{
    return parseWith<RecordsResponse>(body, [](FieldReader& r) {
        r.allowOnly({"epoch", "server_time", "skew_seconds", "results"});
        RecordsResponse m;
        m.epoch = r.string("epoch", 64);
        m.serverTime = r.timestamp("server_time");
        m.skewSeconds = r.integer("skew_seconds", -(1LL << 40), 1LL << 40);
        const auto& list = r.array("results", kMaxRecordsPerBatch);
        for (std::size_t i = 0; i < list.size() && r.ok(); ++i) {
            auto e = r.element(list, "results", i);
            e.allowOnly({"idempotency_key", "status", "code", "reason", "field", "received_at", "flags"});
            RecordResult res;
            res.idemKey = e.string("idempotency_key", 64);
            const auto status = e.string("status", 16);
            if (auto parsed = base::fromCode<RecordStatus>(status); parsed) {
                res.status = *parsed;
            } else if (e.ok()) {
                e.fail("status", "must be stored, duplicate, rejected or conflict");
            }
            res.code = e.string("code", 64);
            res.reason = e.string("reason", 1024);
            res.field = e.string("field", 256);
            res.receivedAt = e.optionalTimestamp("received_at");
            res.flags = stringList(e, "flags", 16);
            m.results.push_back(std::move(res));
        }
        return m;
    });
}

nlohmann::json toJson(const FeedPage& m)
{
    auto list = nlohmann::json::array();
    for (const auto& item : m.items) {
        list.push_back({{"seq", item.seq},
                        {"kind", item.kind},
                        {"patient_id", item.patientId},
                        {"at", item.at.toString()},
                        {"body", item.body}});
    }
    return {{"epoch", m.epoch}, {"items", std::move(list)}, {"next", m.next}, {"more", m.more}};
}

Expected<FeedPage, Error> parseFeedPage(std::string_view body)
{
    return parseWith<FeedPage>(body, [](FieldReader& r) {
        r.allowOnly({"epoch", "items", "next", "more"});
        FeedPage m;
        m.epoch = r.string("epoch", 64);
        const auto& list = r.array("items", kMaxFeedPage);
        for (std::size_t i = 0; i < list.size() && r.ok(); ++i) {
            auto e = r.element(list, "items", i);
            e.allowOnly({"seq", "kind", "patient_id", "at", "body"});
            FeedItem item;
            item.seq = e.integer("seq", 1, INT64_MAX);
            item.kind = e.string("kind", 32);
            item.patientId = e.string("patient_id", 64);
            item.at = e.timestamp("at");
            item.body = e.object("body");
            m.items.push_back(std::move(item));
        }
        m.next = r.integer("next", 0, INT64_MAX);
        m.more = r.boolean("more");
        return m;
    });
}

nlohmann::json toJson(const PrecheckRequest& m)
{
    return {{"date", m.date.toString()}, {"patients", m.patientIds}};
}

Expected<PrecheckRequest, Error> parsePrecheckRequest(std::string_view body)
{
    return parseWith<PrecheckRequest>(body, [](FieldReader& r) {
        r.allowOnly({"date", "patients"});
        PrecheckRequest m;
        m.date = r.date("date");
        m.patientIds = stringList(r, "patients", kMaxPrecheckPatients);
        return m;
    });
}

namespace
{

// A result in a message: null, or the model's JSON form (ModelJson). Read strictly: a result that
// does not parse makes the message malformed, naming the field inside it.
nlohmann::json snapshotJson(const std::optional<model::EligibilitySnapshot>& snapshot)
{
    return snapshot ? snapshotToJson(*snapshot) : nlohmann::json(nullptr);
}

std::optional<model::EligibilitySnapshot> optionalSnapshot(FieldReader& r, std::string_view key)
{
    const auto& json = r.optionalObject(key);
    if (json.is_null()) {
        return std::nullopt;
    }
    auto snapshot = snapshotFromJson(json);
    if (!snapshot) {
        r.fail(std::string(key) + (snapshot.error().field.empty() ? "" : "." + snapshot.error().field),
               snapshot.error().message);
        return std::nullopt;
    }
    return std::move(*snapshot);
}

} // namespace

nlohmann::json toJson(const PrecheckResponse& m)
{
    auto list = nlohmann::json::array();
    for (const auto& p : m.patients) {
        list.push_back({{"patient_id", p.patientId},
                        {"snapshot", snapshotJson(p.snapshot)},
                        {"received_at", optionalTime(p.receivedAt)},
                        {"flags", p.flags}});
    }
    nlohmann::json out{{"server_time", m.serverTime.toString()}, {"patients", std::move(list)}};
    if (m.jobId) {
        out["job"] = *m.jobId;
    }
    return out;
}

Expected<PrecheckResponse, Error> parsePrecheckResponse(std::string_view body)
{
    return parseWith<PrecheckResponse>(body, [](FieldReader& r) {
        r.allowOnly({"server_time", "patients", "job"});
        PrecheckResponse m;
        m.jobId = r.optionalString("job", 64);
        m.serverTime = r.timestamp("server_time");
        const auto& list = r.array("patients", kMaxPrecheckPatients);
        for (std::size_t i = 0; i < list.size() && r.ok(); ++i) {
            auto e = r.element(list, "patients", i);
            e.allowOnly({"patient_id", "snapshot", "received_at", "flags"});
            PrecheckEntry p;
            p.patientId = e.string("patient_id", 64);
            p.snapshot = optionalSnapshot(e, "snapshot");
            p.receivedAt = e.optionalTimestamp("received_at");
            p.flags = stringList(e, "flags", 16);
            m.patients.push_back(std::move(p));
        }
        return m;
    });
}

nlohmann::json toJson(const RequeryRequest& m)
{
    return {{"patient_id", m.patientId}, {"service_kind", m.serviceKind}, {"date", m.date.toString()}};
}

Expected<RequeryRequest, Error> parseRequeryRequest(std::string_view body)
{
    return parseWith<RequeryRequest>(body, [](FieldReader& r) {
        r.allowOnly({"patient_id", "service_kind", "date"});
        RequeryRequest m;
        m.patientId = r.string("patient_id", 64);
        m.serviceKind = r.string("service_kind", 32);
        m.date = r.date("date");
        return m;
    });
}

nlohmann::json toJson(const RequeryResponse& m)
{
    nlohmann::json out{{"allowed", m.allowed},
                       {"reason", m.reason},
                       {"reason_ja", m.reasonJa},
                       {"card_read_needed", m.cardReadNeeded},
                       {"snapshot", snapshotJson(m.snapshot)},
                       {"received_at", optionalTime(m.receivedAt)},
                       {"flags", m.flags}};
    if (m.jobId) {
        out["job"] = *m.jobId;
    }
    return out;
}

Expected<RequeryResponse, Error> parseRequeryResponse(std::string_view body)
{
    return parseWith<RequeryResponse>(body, [](FieldReader& r) {
        r.allowOnly({"allowed", "reason", "reason_ja", "card_read_needed", "snapshot", "received_at", "flags", "job"});
        RequeryResponse m;
        m.jobId = r.optionalString("job", 64);
        m.allowed = r.boolean("allowed");
        m.reason = r.string("reason", 64);
        m.reasonJa = r.string("reason_ja", 512);
        m.cardReadNeeded = r.boolean("card_read_needed");
        m.snapshot = optionalSnapshot(r, "snapshot");
        m.receivedAt = r.optionalTimestamp("received_at");
        m.flags = stringList(r, "flags", 16);
        return m;
    });
}

nlohmann::json toJson(const JobStatus& m)
{
    return {{"id", m.id}, {"kind", m.kind}, {"state", m.state}, {"result", m.result}, {"reason", m.reason}};
}

Expected<JobStatus, Error> parseJobStatus(std::string_view body)
{
    return parseWith<JobStatus>(body, [](FieldReader& r) {
        r.allowOnly({"id", "kind", "state", "result", "reason"});
        JobStatus m;
        m.id = r.string("id", 64);
        m.kind = r.string("kind", 16);
        m.state = r.string("state", 16);
        m.result = r.optionalObject("result");
        m.reason = r.string("reason", 512);
        if (r.ok() && m.state != "queued" && m.state != "running" && m.state != "done" && m.state != "failed") {
            r.fail("state", "must be queued, running, done or failed");
        }
        return m;
    });
}

nlohmann::json toJson(const StatusResponse& m)
{
    return {{"epoch", m.epoch}, {"device_id", m.deviceId}, {"server_time", m.serverTime.toString()}};
}

Expected<StatusResponse, Error> parseStatusResponse(std::string_view body)
{
    return parseWith<StatusResponse>(body, [](FieldReader& r) {
        r.allowOnly({"epoch", "device_id", "server_time"});
        StatusResponse m;
        m.epoch = r.string("epoch", 64);
        m.deviceId = r.string("device_id", 64);
        m.serverTime = r.timestamp("server_time");
        return m;
    });
}

nlohmann::json toJson(const ErrorBody& m)
{
    return {{"error", m.error}, {"message", m.message}, {"field", m.field}};
}

Expected<ErrorBody, Error> parseErrorBody(std::string_view body)
{
    return parseWith<ErrorBody>(body, [](FieldReader& r) {
        ErrorBody m;
        m.error = r.string("error", 64);
        m.message = r.string("message", 2048);
        m.field = r.optionalString("field", 256).value_or("");
        return m;
    });
}

} // namespace zaitaku::sync::protocol
