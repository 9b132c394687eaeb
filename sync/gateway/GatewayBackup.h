#pragma once

// Backup and restore of the embedded (SQLCipher) gateway database (issue 30; deployment review
// §1.6). A backup is an online, consistent copy (sqlcipher_export inside one read transaction,
// what the WAL holds included; the gateway keeps serving) encrypted under a *backup key* — 32
// random bytes in a key file the operator keeps apart from the backups — never under the
// database key in secrets.key. A restore opens and checks the backup with that key, refuses a
// backup older than the database in place unless forced, re-encrypts it under the data folder's
// database key, swaps it in, and starts a new epoch at once: tablets push again whatever they had
// acknowledged since (PROTOCOL.md "Epoch"), so nothing acknowledged is lost. The gateway must
// not be serving (serve holds <data-dir>/serve.lock). PostgreSQL deployments use pg_dump /
// pg_restore (OPERATIONS.md) and `epoch rotate`.

#include "base/Expected.h"
#include "base/Random.h"
#include "base/SecureBytes.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "sync/gateway/GatewayConfig.h"

#include <cstdint>
#include <string>

namespace zaitaku::sync::gateway
{

struct BackupSummary
{
    std::int64_t lastRecordSeq = 0;
    std::int64_t schemaVersion = 0;
    std::string epoch; // the backup's (a restore starts a new one)
    std::uintmax_t bytes = 0;
};

// The key file's 32 bytes (64 hex digits, owner-only); created with fresh random bytes when
// `create` and missing.
Expected<base::SecureBytes, Error> loadBackupKey(const std::string& path, bool create, base::RandomSource& random);

Expected<BackupSummary, Error> backupGateway(const GatewayConfig& config,
                                             const base::SecureBytes& databaseKey,
                                             const base::SecureBytes& backupKey,
                                             const std::string& target);

// `force`: replace a database that holds more records than the backup.
Expected<BackupSummary, Error> restoreGateway(const GatewayConfig& config,
                                              const base::SecureBytes& databaseKey,
                                              const base::SecureBytes& backupKey,
                                              const std::string& source,
                                              bool force,
                                              base::RandomSource& random,
                                              const base::Timestamp& now);

// Held by serve for as long as it serves: restore refuses to swap a database in use.
class ServeLock
{
public:
    static Expected<ServeLock, Error> acquire(const std::string& dataDir);
    ServeLock(ServeLock&& other) noexcept;
    ServeLock& operator=(ServeLock&&) = delete;
    ~ServeLock();

private:
    explicit ServeLock(int fd)
        : m_fd(fd)
    {}
    int m_fd = -1;
};

} // namespace zaitaku::sync::gateway
