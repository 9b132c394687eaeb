#pragma once

// The messages of the sync protocol, version 1 (docs/PROTOCOL.md, "Sync protocol"). Each has an
// encoder and a parser; the parser is the schema check both ends run, and its error names the
// field. Records travel as their canonical JSON text so the payload hash covers exact bytes.

#include "base/CodeTable.h"
#include "base/Date.h"
#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "verify/model/EligibilitySnapshot.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zaitaku::sync::protocol
{

// POST /v1/enroll (no client certificate: the one-time code authorises it).
struct EnrollRequest
{
    std::string code;          // the secret part of the enrollment code
    std::string csrPem;        // PKCS#10, P-256, for the device's TLS client certificate
    std::string signingKeyHex; // the device's Ed25519 public key (evidence and export signatures)
    std::string label;         // what staff call the tablet ("訪問車2号")
    std::string appVersion;
};

struct EnrollResponse
{
    std::string deviceId;
    std::string certificatePem;
    std::string caPem;
    std::string epoch;
};

// POST /v1/renew (issue 30): an enrolled tablet, over mTLS with its current certificate, asks for a
// certificate for a new key before the current one expires; same device id, roster and signing key.
struct RenewRequest
{
    std::string csrPem;
};

struct RenewResponse
{
    std::string certificatePem;
    base::Timestamp notAfter = base::Timestamp::fromUtc({});
};

// The body of a "trust_anchor" feed item: the root CA that will replace the one the tablets pin,
// self-signed, and the same key certified by the current root (the cross certificate). A tablet
// pins the new root only when the cross certificate verifies under a root it already pins, so a
// thief of the serving host's files (the root key is offline) cannot add one.
struct TrustAnchorAnnouncement
{
    std::string rootPem;
    std::string crossPem;
};

// POST /v1/challenges
struct ChallengeRequest
{
    std::int64_t count = 0;
};

struct WireChallenge
{
    std::string id;
    std::string nonceHex; // 32 bytes the card signs (as a SHA-256 DigestInfo)
    std::string token;    // the gateway's signature over id, device, nonce and validity (hex)
    base::Timestamp issuedAt = base::Timestamp::fromUtc({});
    base::Timestamp expiresAt = base::Timestamp::fromUtc({});
};

struct ChallengeBatch
{
    base::Timestamp serverTime = base::Timestamp::fromUtc({});
    std::vector<WireChallenge> challenges;
};

// POST /v1/records
struct RecordEnvelope
{
    std::string idemKey;
    std::string kind; // "visit", "custody", "consent_revocation"
    std::string recordId;
    std::string payload; // canonical JSON text
    std::string payloadSha256;
    base::Timestamp createdAt = base::Timestamp::fromUtc({});
};

struct RecordsRequest
{
    base::Timestamp deviceTime = base::Timestamp::fromUtc({});
    std::vector<RecordEnvelope> records;
};

enum class RecordStatus
{
    Stored,    // committed now
    Duplicate, // committed before under the same key and payload: acknowledged again
    Rejected,  // permanently refused (validation, evidence): the tablet dead-letters it
    Conflict,  // the key is known with another payload (409): a client bug, dead-lettered
};

struct RecordResult
{
    std::string idemKey;
    RecordStatus status = RecordStatus::Stored;
    std::string code;   // sync::Errc code for Rejected/Conflict ("signature_invalid" …)
    std::string reason; // human message
    std::string field;  // the payload field at fault, when there is one
    std::optional<base::Timestamp> receivedAt;
    std::vector<std::string> flags; // "local_challenge", "clock_skew" …
};

struct RecordsResponse
{
    std::string epoch;
    base::Timestamp serverTime = base::Timestamp::fromUtc({});
    std::int64_t skewSeconds = 0; // device time minus server time at receipt
    std::vector<RecordResult> results;
};

// GET /v1/feed?after=SEQ&limit=N
struct FeedItem
{
    std::int64_t seq = 0;
    std::string kind; // "eligibility_result", "requery_permission", "consent_revocation"
    std::string patientId;
    base::Timestamp at = base::Timestamp::fromUtc({});
    nlohmann::json body = nlohmann::json::object();
};

struct FeedPage
{
    std::string epoch;
    std::vector<FeedItem> items;
    std::int64_t next = 0; // the cursor to ask with next
    bool more = false;
};

// POST /v1/precheck
struct PrecheckRequest
{
    base::Date date = base::Date::fromSysDays({});
    std::vector<std::string> patientIds;
};

struct PrecheckEntry
{
    std::string patientId;
    std::optional<model::EligibilitySnapshot> snapshot; // none when the gateway knows no result
    std::optional<base::Timestamp> receivedAt;
    std::vector<std::string> flags;
};

struct PrecheckResponse
{
    base::Timestamp serverTime = base::Timestamp::fromUtc({});
    std::vector<PrecheckEntry> patients;
    // OQS is being asked about the patients flagged oqs_pending: poll GET /v1/jobs/<job>, then ask
    // again for their fresh results.
    std::optional<std::string> jobId;
};

// POST /v1/requery: a later visit asks for a fresh result without the card (docs/design/DOMAIN.md F2, R7).
struct RequeryRequest
{
    std::string patientId;
    std::string serviceKind; // model::ServiceKind code
    base::Date date = base::Date::fromSysDays({});
};

struct RequeryResponse
{
    bool allowed = false;
    std::string reason;   // rules::RequeryReason code, or awaiting_online_confirmation / no_requery_key
    std::string reasonJa; // what the nurse reads
    bool cardReadNeeded = true;
    std::optional<model::EligibilitySnapshot> snapshot; // the new result when allowed and answered
    std::optional<base::Timestamp> receivedAt;
    std::vector<std::string> flags;
    // Allowed, and OQS is being asked (reason oqs_pending): the answer is the job's result.
    std::optional<std::string> jobId;
};

// GET /v1/jobs/<id>: a pre-check or re-query waiting on OQS.
struct JobStatus
{
    std::string id;
    std::string kind;      // precheck, requery
    std::string state;     // queued, running, done, failed
    nlohmann::json result; // when done: a re-query's RequeryResponse; a pre-check's {unanswered}
    std::string reason;    // when failed
};

// GET /v1/status
struct StatusResponse
{
    std::string epoch;
    std::string deviceId;
    base::Timestamp serverTime = base::Timestamp::fromUtc({});
};

// Every 4xx/5xx body.
struct ErrorBody
{
    std::string error; // sync::Errc code
    std::string message;
    std::string field;
};

nlohmann::json toJson(const EnrollRequest& m);
nlohmann::json toJson(const EnrollResponse& m);
nlohmann::json toJson(const ChallengeRequest& m);
nlohmann::json toJson(const ChallengeBatch& m);
nlohmann::json toJson(const RecordsRequest& m);
nlohmann::json toJson(const RecordsResponse& m);
nlohmann::json toJson(const FeedPage& m);
nlohmann::json toJson(const PrecheckRequest& m);
nlohmann::json toJson(const PrecheckResponse& m);
nlohmann::json toJson(const RequeryRequest& m);
nlohmann::json toJson(const RequeryResponse& m);
nlohmann::json toJson(const StatusResponse& m);
nlohmann::json toJson(const JobStatus& m);
nlohmann::json toJson(const ErrorBody& m);

Expected<EnrollRequest, Error> parseEnrollRequest(std::string_view body);
Expected<EnrollResponse, Error> parseEnrollResponse(std::string_view body);
nlohmann::json toJson(const RenewRequest& m);
nlohmann::json toJson(const RenewResponse& m);
nlohmann::json toJson(const TrustAnchorAnnouncement& m);
Expected<RenewRequest, Error> parseRenewRequest(std::string_view body);
Expected<RenewResponse, Error> parseRenewResponse(std::string_view body);
Expected<TrustAnchorAnnouncement, Error> parseTrustAnchorAnnouncement(const nlohmann::json& body);
Expected<ChallengeRequest, Error> parseChallengeRequest(std::string_view body);
Expected<ChallengeBatch, Error> parseChallengeBatch(std::string_view body);
Expected<RecordsRequest, Error> parseRecordsRequest(std::string_view body);
Expected<RecordsResponse, Error> parseRecordsResponse(std::string_view body);
Expected<FeedPage, Error> parseFeedPage(std::string_view body);
Expected<PrecheckRequest, Error> parsePrecheckRequest(std::string_view body);
Expected<PrecheckResponse, Error> parsePrecheckResponse(std::string_view body);
Expected<RequeryRequest, Error> parseRequeryRequest(std::string_view body);
Expected<RequeryResponse, Error> parseRequeryResponse(std::string_view body);
Expected<StatusResponse, Error> parseStatusResponse(std::string_view body);
Expected<JobStatus, Error> parseJobStatus(std::string_view body);
Expected<ErrorBody, Error> parseErrorBody(std::string_view body);

// Serialises a message for the wire (compact).
std::string dump(const nlohmann::json& json);

} // namespace zaitaku::sync::protocol

namespace zaitaku::base
{
template <> struct CodeTable<sync::protocol::RecordStatus>
{
    static constexpr std::string_view name = "RecordStatus";
    static constexpr std::array<CodeEntry<sync::protocol::RecordStatus>, 4> entries{{
        {sync::protocol::RecordStatus::Stored, "stored", "受付済み"},
        {sync::protocol::RecordStatus::Duplicate, "duplicate", "受付済み（再送）"},
        {sync::protocol::RecordStatus::Rejected, "rejected", "受付不可"},
        {sync::protocol::RecordStatus::Conflict, "conflict", "内容の不一致"},
    }};
};
} // namespace zaitaku::base
