#pragma once

// The PostgreSQL backend (`storage = postgresql`): for a facility group that already runs
// PostgreSQL with its backups, replication and monitoring. Same tables, versions and semantics as
// the SQLite backend; timestamps and payloads are stored as the same canonical text so that a
// signed payload comes back byte for byte.
//
// Writers are serialised by a transaction-level advisory lock (in this process and across
// processes such as `zaitaku-gateway snapshots import`): seqs then become visible in commit order,
// so a tablet paging the feed "after seq N" never skips a row committed late, and the audit hash
// chain has one head. Reads use a second connection and never wait for a commit. Encryption at
// rest is the database server's (docs/THREAT-MODEL.md); the connection uses the conninfo's sslmode.

#include "sync/gateway/GatewayStorage.h"
#include "sync/gateway/IntakeGroupCommit.h"
#include "sync/gateway/PgConnection.h"

#include <chrono>
#include <memory>
#include <mutex>

namespace zaitaku::sync::gateway
{

class PostgresGatewayStorage final : public GatewayStorage
{
public:
    // Connects (writer and reader), applies the migrations under the writer lock and creates the
    // epoch on first use.
    static Expected<std::unique_ptr<PostgresGatewayStorage>, Error>
    open(const std::string& conninfo,
         base::RandomSource& random,
         const base::Timestamp& now,
         std::chrono::milliseconds statementTimeout = std::chrono::seconds(30));

    std::string backend() const override { return "postgresql"; }
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
    Expected<std::optional<StoredRecord>, Error> findRecord(const std::string& deviceId,
                                                            const std::string& idemKey) override;
    Expected<std::vector<IntakeResult>, Error> intakeBatch(const std::vector<IntakeRequest>& requests) override;
    Expected<std::vector<StoredRecord>, Error> records(std::int64_t afterSeq, std::size_t limit) override;
    Expected<void, Error> addSnapshot(const std::string& patientId,
                                      const nlohmann::json& snapshot,
                                      const base::Timestamp& receivedAt) override;
    Expected<std::optional<SnapshotRow>, Error> latestSnapshot(const std::string& patientId) override;
    Expected<std::size_t, Error> changeAssignments(const std::string& deviceId,
                                                   const std::vector<std::string>& patientIds,
                                                   bool assign,
                                                   const base::Timestamp& now) override;
    Expected<std::vector<std::string>, Error> assignedPatients(const std::string& deviceId) override;
    Expected<void, Error> recordAudit(const store::AuditEntry& entry, const base::Timestamp& at) override;
    Expected<std::vector<CareState>, Error> careStates(const std::string& patientId) override;
    Expected<void, Error> confirmCare(const std::string& patientId, const base::Timestamp& confirmedAt) override;
    Expected<void, Error> setRequeryKey(const RequeryKeyRow& key) override;
    Expected<std::optional<RequeryKeyRow>, Error> requeryKey(const std::string& patientId) override;
    Expected<StorageCounts, Error> counts() override;
    Expected<std::int64_t, Error> lastRecordSeq() override;
    Expected<store::AuditVerification, Error> verifyAudit() override;

    // The schema version the database is at (the tests check the migrations).
    Expected<int, Error> schemaVersion();

protected:
    Expected<std::vector<protocol::FeedItem>, Error>
    feedItems(std::int64_t afterSeq, std::size_t limit, const std::string& deviceId) override;

private:
    PostgresGatewayStorage(PgConnection writer, PgConnection reader)
        : m_writer(std::move(writer))
        , m_reader(std::move(reader))
    {}
    // BEGIN + the writer lock; the caller holds m_writerMutex.
    Expected<PgTransaction, Error> beginWrite();
    Expected<void, Error> appendAudit(const store::AuditEntry& entry, const base::Timestamp& at);
    Expected<void, Error> appendFeed(const protocol::FeedItem& item);
    Expected<IntakeResult, Error> intakeLocked(const IntakeRequest& request);
    Expected<std::vector<IntakeResult>, Error> commitAll(const std::vector<const IntakeRequest*>& requests);
    Expected<std::optional<StoredRecord>, Error>
    findOn(PgConnection& connection, const std::string& deviceId, const std::string& idemKey);
    // The reader, connected (a restarted server is reconnected to); the caller holds m_readerMutex.
    Expected<PgConnection*, Error> reader();

    IntakeGroupCommit m_group;
    std::mutex m_writerMutex;
    PgConnection m_writer;
    std::mutex m_readerMutex;
    PgConnection m_reader;
};

} // namespace zaitaku::sync::gateway
