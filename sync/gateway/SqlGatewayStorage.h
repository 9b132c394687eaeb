#pragma once

// The gateway's storage, written once in SQL both engines speak, over two SqlConnections: the
// writer (every write, one transaction per acknowledged event, batches grouped by
// IntakeGroupCommit) and a read-only reader (lookups never wait for a commit's flush). Each
// connection is used under its own mutex. SqliteGatewayStorage and PostgresGatewayStorage open the
// connections and migrate their schema; everything else is here.

#include "sync/gateway/GatewayStorage.h"
#include "sync/gateway/IntakeGroupCommit.h"
#include "sync/gateway/SqlConnection.h"

#include <memory>
#include <mutex>

namespace zaitaku::sync::gateway
{

class SqlGatewayStorage final : public GatewayStorage
{
public:
    // Creates the epoch on a new database.
    static Expected<std::unique_ptr<SqlGatewayStorage>, Error> open(std::unique_ptr<SqlConnection> writer,
                                                                    std::unique_ptr<SqlConnection> reader,
                                                                    base::RandomSource& random,
                                                                    const base::Timestamp& now);

    std::string backend() const override { return m_writer->backend(); }
    Expected<std::string, Error> epoch() override;
    Expected<std::string, Error>
    rotateEpoch(base::RandomSource& random, const std::string& reason, const base::Timestamp& now) override;
    Expected<void, Error> addEnrollmentCode(const std::string& secretSha256,
                                            const base::Timestamp& now,
                                            const base::Timestamp& expires) override;
    Expected<bool, Error> enrollmentCodeUsable(const std::string& secretSha256, const base::Timestamp& now) override;
    Expected<void, Error>
    enroll(const std::string& secretSha256, const DeviceRecord& device, const base::Timestamp& now) override;
    Expected<std::optional<DeviceRecord>, Error> deviceByCertificate(const std::string& serialHex) override;
    Expected<std::vector<DeviceRecord>, Error> devices() override;
    Expected<bool, Error> revokeDevice(const std::string& id, const base::Timestamp& now) override;
    Expected<void, Error> renewDevice(const DeviceRenewal& renewal, const base::Timestamp& now) override;
    Expected<void, Error> retireOtherCertificates(const std::string& deviceId,
                                                  const std::string& serialInUse,
                                                  const base::Timestamp& now) override;
    Expected<void, Error> noteSighting(const DeviceSighting& sighting) override;
    Expected<void, Error> announceTrustAnchor(const nlohmann::json& body,
                                              const std::string& fingerprint,
                                              const base::Timestamp& now) override;
    Expected<std::optional<std::int64_t>, Error> trustAnchorSeq() override;
    Expected<std::optional<StoredRecord>, Error> findRecord(const std::string& deviceId,
                                                            const std::string& idemKey) override;
    Expected<std::vector<IntakeResult>, Error> intakeBatch(const std::vector<IntakeRequest>& requests) override;
    Expected<std::vector<StoredRecord>, Error> records(std::int64_t afterSeq, std::size_t limit) override;
    Expected<std::vector<AuditRow>, Error> auditRows(std::int64_t afterSeq, std::size_t limit) override;
    Expected<std::vector<EnrollmentCodeRow>, Error> enrollmentCodes() override;
    Expected<bool, Error> withdrawEnrollmentCode(const std::string& id, const base::Timestamp& now) override;
    Expected<std::optional<AuditRow>, Error> lastAuditRow() override;
    Expected<std::int64_t, Error> putStaff(const protocol::StaffAccount& account, const base::Timestamp& now) override;
    Expected<std::vector<protocol::StaffAccount>, Error> staffAccounts() override;
    Expected<std::vector<std::string>, Error> earlierEnrollments(const DeviceRecord& device) override;
    Expected<void, Error> addSnapshot(const std::string& patientId,
                                      const nlohmann::json& snapshot,
                                      const base::Timestamp& receivedAt) override;
    Expected<std::optional<SnapshotRow>, Error> latestSnapshot(const std::string& patientId) override;
    Expected<std::size_t, Error> changeAssignments(const std::string& deviceId,
                                                   const std::vector<std::string>& patientIds,
                                                   bool assign,
                                                   const base::Timestamp& now) override;
    Expected<std::vector<std::string>, Error> assignedPatients(const std::string& deviceId) override;
    Expected<std::vector<MedicalConsentRow>, Error> medicalConsents(const std::string& patientId) override;
    Expected<void, Error>
    addMedicalInfo(const MedicalInfoRow& row, const sql::AuditEntry& audit, const base::Timestamp& at) override;
    Expected<std::optional<MedicalInfoRow>, Error> latestMedicalInfo(const std::string& patientId,
                                                                     model::ConsentKind kind) override;
    Expected<void, Error> recordAudit(const sql::AuditEntry& entry, const base::Timestamp& at) override;
    Expected<std::vector<CareState>, Error> careStates(const std::string& patientId) override;
    Expected<void, Error> confirmCare(const std::string& patientId, const base::Timestamp& confirmedAt) override;
    Expected<void, Error> setRequeryKey(const RequeryKeyRow& key) override;
    Expected<std::optional<RequeryKeyRow>, Error> requeryKey(const std::string& patientId) override;
    Expected<StorageCounts, Error> counts() override;
    Expected<bool, Error>
    importCare(const CareImport& care, const std::string& actor, const base::Timestamp& now) override;
    Expected<bool, Error>
    settleClaim(std::int64_t recordSeq, const std::string& actor, const base::Timestamp& at) override;
    Expected<std::size_t, Error> purgeSettledClaims(const base::Timestamp& settledBefore,
                                                    const std::string& actor,
                                                    const base::Timestamp& now) override;
    Expected<std::int64_t, Error> lastRecordSeq() override;
    Expected<sql::AuditVerification, Error> verifyAudit() override;

    // The schema version the database is at (the tests check the migrations).
    Expected<int, Error> schemaVersion();

protected:
    Expected<std::vector<protocol::FeedItem>, Error>
    feedItems(std::int64_t afterSeq, std::size_t limit, const std::string& deviceId) override;

private:
    SqlGatewayStorage(std::unique_ptr<SqlConnection> writer, std::unique_ptr<SqlConnection> reader)
        : m_writer(std::move(writer))
        , m_reader(std::move(reader))
    {}
    // A statement on the reader (the caller must not hold m_readerMutex).
    Expected<SqlRows, Error> read(std::string_view sql, const std::vector<SqlValue>& params = {});
    // One write transaction around `work` on the writer, committed when `work` succeeds.
    template <typename T, typename Work> Expected<T, Error> inWrite(WriteDurability durability, Work work);

    // Inside a write transaction (the caller holds m_writerMutex).
    Expected<void, Error> appendAudit(const sql::AuditEntry& entry, const base::Timestamp& at);
    Expected<void, Error> appendFeed(const protocol::FeedItem& item);
    Expected<IntakeResult, Error> intakeOne(const IntakeRequest& request);
    Expected<std::vector<IntakeResult>, Error> commitAll(const std::vector<const IntakeRequest*>& requests);
    Expected<std::optional<StoredRecord>, Error>
    findOn(SqlConnection& connection, const std::string& deviceId, const std::string& idemKey);

    IntakeGroupCommit m_group;
    std::mutex m_writerMutex;
    std::unique_ptr<SqlConnection> m_writer;
    std::mutex m_readerMutex;
    std::unique_ptr<SqlConnection> m_reader;
};

} // namespace zaitaku::sync::gateway
