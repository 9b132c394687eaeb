#pragma once

// Where the gateway keeps what it has accepted. One implementation (SqlGatewayStorage) over either
// engine, SQLite (SqliteGatewayStorage) or PostgreSQL (PostgresGatewayStorage); openGatewayStorage
// picks one from the configuration. Tests and the gateway's parts see only this interface.
// Every write that acknowledges something to a tablet is one transaction, committed before the
// answer is sent. Implementations are safe to call from several server threads.

#include "base/Date.h"
#include "base/Expected.h"
#include "base/Random.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "sync/protocol/Messages.h"
#include "sync/protocol/StaffAccount.h"
#include "sync/sql/AuditLog.h"
#include "verify/model/Consent.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::sync::gateway
{

struct DeviceRecord
{
    std::string id;
    std::string label;
    std::string certificateSerial; // lower-case hex
    std::string signingKeyHex;     // Ed25519 public key (evidence signatures)
    std::string appVersion;
    base::Timestamp enrolledAt = base::Timestamp::fromUtc({});
    std::optional<base::Timestamp> revokedAt;
    // Earlier enrollments of the same tablet (the same signing key): the challenges they were
    // issued are this device's too (security review M7). Filled for record intake only.
    std::vector<std::string> earlierIds;
    // What the gateway last heard from it (issue 30, `devices list`): when, the records it said
    // were queued and the oldest one's time, and how far it has read the feed.
    std::optional<base::Timestamp> lastSeenAt;
    std::optional<std::int64_t> backlog;
    std::optional<base::Timestamp> backlogSince;
    std::int64_t feedSeq = 0;
    // deviceByCertificate only: the presented certificate was replaced by a renewed one (refused),
    // and how many other certificates of the device are still usable (a renewal's first use
    // retires them).
    bool certificateRetired = false;
    std::int64_t otherOpenCertificates = 0;
};

// One request from a tablet (GatewayService notes at most one a minute per tablet).
struct DeviceSighting
{
    std::string deviceId;
    base::Timestamp at = base::Timestamp::fromUtc({});
    std::optional<std::int64_t> backlog; // as the tablet's Zaitaku-Outbox header said
    std::optional<base::Timestamp> backlogSince;
    std::optional<std::int64_t> feedSeq; // the cursor it asked the feed from
};

// A device certificate issued again for an enrolled tablet (POST /v1/renew).
struct DeviceRenewal
{
    std::string deviceId;
    std::string previousSerial;
    std::string serial;
    base::Timestamp notAfter = base::Timestamp::fromUtc({});
};

// A care relationship the gateway saw start with a first visit (docs/design/DOMAIN.md R7 state).
struct CareStart
{
    std::string patientId;
    std::string serviceKind;
    base::Timestamp firstVisitAt = base::Timestamp::fromUtc({});
};

// A care relationship's state (docs/design/DOMAIN.md R7): who first saw the patient, and when OQS confirmed it.
struct CareState
{
    std::string patientId;
    std::string serviceKind;
    base::Timestamp firstVisitAt = base::Timestamp::fromUtc({});
    std::optional<base::Timestamp> firstOnlineConfirmAt;
    std::optional<base::Timestamp> endedAt;
};

// What a re-query is keyed by (the insurer numbers of the last confirmed result, as JSON in the
// OQS tag names) and the card certificate's expiry seen at the first visit (R3 flags).
// A patient already in continuing care when the gateway is installed (seed 004: re-query is for
// the same provider after the first online confirmation): the care relationship, when OQS first
// confirmed it, and the re-query key the facility holds from that confirmation.
struct CareImport
{
    std::string patientId;
    std::string serviceKind;
    base::Timestamp firstVisitAt = base::Timestamp::fromUtc({});
    base::Timestamp firstOnlineConfirmAt = base::Timestamp::fromUtc({});
    nlohmann::json search; // insurer_number, insured_card_symbol, insured_identification_number,
                           // insured_branch_number, birthdate (YYYYMMDD), limit_consent ("1"/"0")
};

struct RequeryKeyRow
{
    std::string patientId;
    nlohmann::json search;
    std::optional<base::Date> certificateExpiry;
    base::Timestamp updatedAt = base::Timestamp::fromUtc({});
};

// A 薬剤 or 特定健診 consent seen on a visit record (issue 33), or its withdrawal: a withdrawal that
// arrives before its consent is kept, and the consent cannot reopen it.
struct MedicalConsentRow
{
    std::string consentId;
    std::string patientId;
    model::ConsentKind kind = model::ConsentKind::Pharmacy;
    std::string serviceKind; // "" for a withdrawal seen first
    base::Timestamp consentedAt = base::Timestamp::fromUtc({});
    std::optional<base::Timestamp> withdrawnAt;
};

// What OQS returned for one patient and kind: the typed JSON (protocol::toJson of the history) and
// the file as received (UTF-8).
struct MedicalInfoRow
{
    std::string id;
    std::string patientId;
    model::ConsentKind kind = model::ConsentKind::Pharmacy;
    std::string consentId;
    base::Timestamp fetchedAt = base::Timestamp::fromUtc({});
    std::string resultCode;
    std::string parsedJson;
    std::string sourceXml;
};

struct IntakeRequest
{
    std::string deviceId;
    protocol::RecordEnvelope record;
    base::Timestamp receivedAt = base::Timestamp::fromUtc({});
    base::Timestamp deviceTime = base::Timestamp::fromUtc({});
    std::vector<std::string> flags;
    std::vector<std::string> challengeIds;             // claimed once, here, or the record is rejected
    std::vector<protocol::FeedItem> feed;              // published to every tablet (seq assigned here)
    std::vector<CareStart> careStarts;                 // R7 state that starts with this record
    std::string patientId;                             // whom the record is about (its audit row)
    nlohmann::json derived = nlohmann::json::object(); // what the gateway derived (不詳 claims), stored beside it
    std::vector<MedicalConsentRow> medicalConsents;    // consents given, and withdrawals (withdrawnAt set)
};

struct IntakeResult
{
    protocol::RecordStatus status = protocol::RecordStatus::Stored;
    base::Timestamp receivedAt = base::Timestamp::fromUtc({});
    std::vector<std::string> flags;
    std::string code; // for Rejected/Conflict
    std::string reason;
    std::string field;
};

struct StoredRecord
{
    std::int64_t seq = 0;
    std::string deviceId;
    std::string idemKey;
    std::string kind;
    std::string recordId;
    std::string payload;
    std::string payloadSha256;
    base::Timestamp receivedAt = base::Timestamp::fromUtc({});
    std::vector<std::string> flags;
    nlohmann::json derived = nlohmann::json::object();
};

// A stored result as it was stored (JSON text, so the pre-check can pass it on without re-encoding).
struct SnapshotRow
{
    std::int64_t seq = 0;
    std::string json;
    base::Timestamp receivedAt = base::Timestamp::fromUtc({});
};

struct StorageCounts
{
    std::int64_t devices = 0;
    std::int64_t revokedDevices = 0;
    std::int64_t records = 0;
    std::int64_t feedItems = 0;
    std::int64_t snapshots = 0;
};

// The answer for an idempotency key already stored: Duplicate (same payload hash, with the original
// receipt) or Conflict (another payload).
IntakeResult answerForKnownKey(const StoredRecord& known, const std::string& payloadSha256);

// The requery_permission feed items the storage publishes: when a first visit starts a care
// relationship (not allowed yet: awaiting the online confirmation), and when OQS confirmed it.
protocol::FeedItem careStartedItem(const CareStart& care, const base::Timestamp& at);
protocol::FeedItem careConfirmedItem(const std::string& patientId,
                                     const std::string& serviceKind,
                                     const std::string& firstVisitAt,
                                     const base::Timestamp& confirmedAt);

// The parts of an intake: the audit row of an accepted record, the refusal of a challenge already
// used, and the receipt of a stored record.
sql::AuditEntry recordAcceptedAudit(const IntakeRequest& request);
IntakeResult challengeReusedRefusal(const std::string& challengeId);
IntakeResult storedReceipt(const IntakeRequest& request);

// The audit row of a roster change and of a device's read of patient data ("read.feed",
// "read.precheck", "read.requery" with the patient ids it was answered about).
sql::AuditEntry assignmentAudit(const std::string& actor,
                                const std::string& deviceId,
                                const std::vector<std::string>& patientIds,
                                bool assign);

// An enrollment code as the operator sees it (`zaitaku-gateway enroll-code list`).
struct EnrollmentCodeRow
{
    std::string id; // the first 8 hex digits of the secret's SHA-256
    std::string createdAt;
    std::string expiresAt;
    std::optional<std::string> usedAt;
    std::string deviceId;
};

// One row of the audit log as stored (`zaitaku-gateway audit list`).
struct AuditRow
{
    std::int64_t seq = 0;
    std::string at;
    std::string actor;
    std::string action;
    std::string subject;
    std::string detail; // JSON text
    std::string hash;   // the chain's hash through this row
};
sql::AuditEntry
readAudit(const std::string& deviceId, const std::string& route, const std::vector<std::string>& patientIds);

// The eligibility_result feed item of a stored OQS result.
protocol::FeedItem
eligibilityResultItem(const std::string& patientId, const nlohmann::json& snapshot, const base::Timestamp& receivedAt);

class GatewayStorage
{
public:
    virtual ~GatewayStorage() = default;
    virtual std::string backend() const = 0;

    // Who the operator actions of this handle are by (security review M6: never the bare word
    // "operator"): the admin CLI sets "operator:<login name>"; the serving gateway is "gateway".
    void actAs(std::string actor) { m_actor = std::move(actor); }
    const std::string& actor() const { return m_actor; }

    // The data set's identity: changes when it is restored from a backup (rotateEpoch), which
    // tells tablets to push again what they had acknowledged.
    virtual Expected<std::string, Error> epoch() = 0;
    virtual Expected<std::string, Error>
    rotateEpoch(base::RandomSource& random, const std::string& reason, const base::Timestamp& now) = 0;

    virtual Expected<void, Error>
    addEnrollmentCode(const std::string& secretSha256, const base::Timestamp& now, const base::Timestamp& expires) = 0;
    // Whether the code could be used now (a read: enrollment checks it before it signs anything).
    virtual Expected<bool, Error> enrollmentCodeUsable(const std::string& secretSha256, const base::Timestamp& now) = 0;
    // Security review L5: the codes issued, by id (the first 8 hex digits of the secret's hash —
    // nothing of the secret itself), and withdrawing one before it is used (false: no such open
    // code; InvalidInput when the id names several). Audited under actor().
    virtual Expected<std::vector<EnrollmentCodeRow>, Error> enrollmentCodes() = 0;
    virtual Expected<bool, Error> withdrawEnrollmentCode(const std::string& id, const base::Timestamp& now) = 0;
    // Uses the code and registers the device in one transaction; Unauthorized when the code is
    // unknown, used or expired.
    virtual Expected<void, Error>
    enroll(const std::string& secretSha256, const DeviceRecord& device, const base::Timestamp& now) = 0;
    virtual Expected<std::optional<DeviceRecord>, Error> deviceByCertificate(const std::string& serialHex) = 0;
    virtual Expected<std::vector<DeviceRecord>, Error> devices() = 0;
    // false when no such device (or already revoked).
    virtual Expected<bool, Error> revokeDevice(const std::string& id, const base::Timestamp& now) = 0;
    // Issue 30: the renewed certificate joins the device's (same id, roster and signing key) and
    // becomes the one `devices list` names; the earlier ones stay usable until the tablet first
    // uses the new one (a lost answer must not lock it out): retireOtherCertificates. Audited.
    virtual Expected<void, Error> renewDevice(const DeviceRenewal& renewal, const base::Timestamp& now) = 0;
    virtual Expected<void, Error> retireOtherCertificates(const std::string& deviceId,
                                                          const std::string& serialInUse,
                                                          const base::Timestamp& now) = 0;
    virtual Expected<void, Error> noteSighting(const DeviceSighting& sighting) = 0;
    // A new root announced to every tablet (a "trust_anchor" feed item, audited under actor());
    // the newest announcement's feed seq, none before the first.
    virtual Expected<void, Error>
    announceTrustAnchor(const nlohmann::json& body, const std::string& fingerprint, const base::Timestamp& now) = 0;
    virtual Expected<std::optional<std::int64_t>, Error> trustAnchorSeq() = 0;

    virtual Expected<std::optional<StoredRecord>, Error> findRecord(const std::string& deviceId,
                                                                    const std::string& idemKey) = 0;
    // Dedupe, challenge claims, the record, its feed items, care starts and an audit row: one
    // transaction. Duplicate/Conflict when the key is known; Rejected when a challenge was used.
    Expected<IntakeResult, Error> intake(const IntakeRequest& request); // a batch of one
    // Several records in one transaction (a batch from one tablet); results in order.
    virtual Expected<std::vector<IntakeResult>, Error> intakeBatch(const std::vector<IntakeRequest>& requests) = 0;
    // Records in arrival order after `afterSeq` (export).
    virtual Expected<std::vector<StoredRecord>, Error> records(std::int64_t afterSeq, std::size_t limit) = 0;

    // Every feed item after `afterSeq` (export, operators' tools).
    Expected<std::vector<protocol::FeedItem>, Error> feed(std::int64_t afterSeq, std::size_t limit)
    {
        return feedItems(afterSeq, limit, {});
    }
    // The feed items of the patients assigned to `deviceId`: all a tablet is ever sent.
    Expected<std::vector<protocol::FeedItem>, Error>
    feedFor(const std::string& deviceId, std::int64_t afterSeq, std::size_t limit)
    {
        return deviceId.empty() ? Expected<std::vector<protocol::FeedItem>, Error>(std::vector<protocol::FeedItem>{})
                                : feedItems(afterSeq, limit, deviceId);
    }

    // The device ↔ patient roster (issue 21): a tablet reads, pre-checks and re-queries only the
    // patients assigned to it. Assigning or removing is one transaction with its audit row;
    // the number of assignments that changed (already assigned / not assigned ones count 0).
    // InvalidInput when no such device.
    virtual Expected<std::size_t, Error> changeAssignments(const std::string& deviceId,
                                                           const std::vector<std::string>& patientIds,
                                                           bool assign,
                                                           const base::Timestamp& now) = 0;
    virtual Expected<std::vector<std::string>, Error> assignedPatients(const std::string& deviceId) = 0;
    // One audit row in its own transaction (the reads of patient data by a device).
    virtual Expected<void, Error> recordAudit(const sql::AuditEntry& entry, const base::Timestamp& at) = 0;
    // A result the gateway obtained (the OQS bridge; `snapshots import` until then); also a feed item.
    virtual Expected<void, Error>
    addSnapshot(const std::string& patientId, const nlohmann::json& snapshot, const base::Timestamp& receivedAt) = 0;
    virtual Expected<std::optional<SnapshotRow>, Error> latestSnapshot(const std::string& patientId) = 0;

    // R7 state: the relationships of a patient; OQS confirmed the first visit online (sets
    // first_online_confirm_at where unset and publishes requery_permission allowed=true).
    virtual Expected<std::vector<CareState>, Error> careStates(const std::string& patientId) = 0;
    virtual Expected<void, Error> confirmCare(const std::string& patientId, const base::Timestamp& confirmedAt) = 0;
    virtual Expected<void, Error> setRequeryKey(const RequeryKeyRow& key) = 0;
    // One imported care relationship, its re-query key (kept when one exists) and the feed item
    // that tells its tablets, with an audit row naming `actor`; false when that care was known.
    virtual Expected<bool, Error>
    importCare(const CareImport& care, const std::string& actor, const base::Timestamp& now) = 0;
    virtual Expected<std::optional<RequeryKeyRow>, Error> requeryKey(const std::string& patientId) = 0;

    // Issue 33: a patient's 薬剤・特定健診 consents (withdrawn ones included), a result stored with
    // its audit row (one transaction), and the newest result of a kind.
    virtual Expected<std::vector<MedicalConsentRow>, Error> medicalConsents(const std::string& patientId) = 0;
    virtual Expected<void, Error>
    addMedicalInfo(const MedicalInfoRow& row, const sql::AuditEntry& audit, const base::Timestamp& at) = 0;
    virtual Expected<std::optional<MedicalInfoRow>, Error> latestMedicalInfo(const std::string& patientId,
                                                                             model::ConsentKind kind) = 0;

    // 申立書 personal data (ClaimPurge, seed 003 「…速やかに廃棄します」). A clerk marks a record's claim
    // settled (false: already settled; InvalidInput: no such record, or it holds no 申立書); every
    // record settled at or before `settledBefore` and not yet purged is purged in one transaction,
    // each with an audit row naming `actor` and the fields removed. Returns how many were purged.
    virtual Expected<bool, Error>
    settleClaim(std::int64_t recordSeq, const std::string& actor, const base::Timestamp& at) = 0;
    virtual Expected<std::size_t, Error>
    purgeSettledClaims(const base::Timestamp& settledBefore, const std::string& actor, const base::Timestamp& now) = 0;

    // A staff account added or changed (`zaitaku-gateway staff`): stored with the next version,
    // audited under actor(), and published to every tablet (a feed item with no patient).
    virtual Expected<std::int64_t, Error> putStaff(const protocol::StaffAccount& account,
                                                   const base::Timestamp& now) = 0;
    virtual Expected<std::vector<protocol::StaffAccount>, Error> staffAccounts() = 0;
    // The ids of earlier enrollments with this device's signing key (re-enrolled tablets).
    virtual Expected<std::vector<std::string>, Error> earlierEnrollments(const DeviceRecord& device) = 0;

    virtual Expected<StorageCounts, Error> counts() = 0;
    // The highest record seq (the restore-from-backup check at start).
    virtual Expected<std::int64_t, Error> lastRecordSeq() = 0;
    // Recomputes the audit hash chain (`zaitaku-gateway audit verify`).
    virtual Expected<sql::AuditVerification, Error> verifyAudit() = 0;
    // The newest row (an anchor of the chain: AuditAnchors.h), none while the log is empty.
    virtual Expected<std::optional<AuditRow>, Error> lastAuditRow() = 0;
    // Rows after `afterSeq`, oldest first, for review (`zaitaku-gateway audit list`).
    virtual Expected<std::vector<AuditRow>, Error> auditRows(std::int64_t afterSeq, std::size_t limit) = 0;

protected:
    std::string m_actor = "gateway";

    // Feed items after `afterSeq`; with `deviceId` non-empty, only its assigned patients'.
    virtual Expected<std::vector<protocol::FeedItem>, Error>
    feedItems(std::int64_t afterSeq, std::size_t limit, const std::string& deviceId) = 0;
};

} // namespace zaitaku::sync::gateway
