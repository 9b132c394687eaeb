#pragma once

// The embedded backend: one SQLCipher file in the data folder, encrypted with the key in
// secrets.key (a copied backup without that file reads as noise), WAL, synchronous=FULL for every
// acknowledging write. Two connections, each behind its mutex: the writer (SQLite serialises
// writers anyway) and a query-only reader, so that lookups never wait for a commit's fsync.

#include "base/SecureBytes.h"
#include "sync/gateway/GatewayStorage.h"
#include "sync/gateway/IntakeGroupCommit.h"
#include "sync/store/Database.h"

#include <map>
#include <memory>
#include <mutex>

namespace zaitaku::sync::gateway
{

class SqliteGatewayStorage final : public GatewayStorage
{
public:
    static Expected<std::unique_ptr<SqliteGatewayStorage>, Error>
    open(const std::string& path, const base::SecureBytes& key, base::RandomSource& random, const base::Timestamp& now);

    std::string backend() const override { return "sqlite"; }
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

protected:
    Expected<std::vector<protocol::FeedItem>, Error>
    feedItems(std::int64_t afterSeq, std::size_t limit, const std::string& deviceId) override;

private:
    struct Connection
    {
        explicit Connection(store::Database database)
            : db(std::move(database))
        {}
        // Hot statements are prepared once (parsing SQL cost more than running it); the caller
        // resets a SELECT when done so that no read transaction stays open.
        Expected<store::Statement*, Error> cached(std::string_view sql);

        store::Database db;
        std::mutex mutex;
        std::map<std::string, store::Statement, std::less<>> statements;
    };

    SqliteGatewayStorage(store::Database writer, store::Database reader)
        : m_writer(std::move(writer))
        , m_reader(std::move(reader))
    {}
    Expected<IntakeResult, Error> intakeLocked(const IntakeRequest& request);
    Expected<std::optional<StoredRecord>, Error>
    findLocked(Connection& connection, const std::string& deviceId, const std::string& idemKey);

    Expected<std::vector<IntakeResult>, Error> commitAll(const std::vector<const IntakeRequest*>& requests);

    IntakeGroupCommit m_group;
    Connection m_writer;
    Connection m_reader;
};

} // namespace zaitaku::sync::gateway
