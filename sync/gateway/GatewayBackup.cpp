#include "sync/gateway/GatewayBackup.h"

#include "base/AtomicFile.h"
#include "base/Bytes.h"
#include "sync/gateway/SqliteGatewayStorage.h"
#include "sync/sql/CipherKey.h"
#include "sync/sql/EncryptedCopy.h"
#include "sync/sql/SqliteApi.h"

#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <unistd.h>

namespace zaitaku::sync::gateway
{

namespace
{

namespace fs = std::filesystem;

Unexpected<Error> refuse(Errc code, const std::string& message, const std::string& field = {})
{
    return Unexpected(Error{code, message, field});
}

// A keyed connection to a SQLCipher file that must exist, checked page by page.
Expected<sql::Database, Error> openKeyed(const std::string& path, const base::SecureBytes& key, const char* what)
{
    if (!fs::exists(path)) {
        return refuse(Errc::InvalidInput, std::string(what) + " " + path + " does not exist", "file");
    }
    auto db = sql::Database::open(sql::sqlcipherApi(), path, sql::OpenMode::ReadWrite);
    if (!db) {
        return Unexpected(db.error());
    }
    if (auto keyed = sql::keyConnection(*db, key); !keyed) {
        return Unexpected(keyed.error());
    }
    if (auto check = db->queryText("PRAGMA quick_check"); !check || *check != "ok") {
        return refuse(Errc::StoreCorrupted,
                      std::string(what) + " " + path + " does not open with this key or is damaged", "key-file");
    }
    return db;
}

Expected<BackupSummary, Error> summaryOf(sql::Database& db)
{
    BackupSummary s;
    auto seq = db.queryInt("SELECT coalesce(max(seq), 0) FROM record");
    auto version = db.queryInt("PRAGMA user_version");
    auto epoch = db.queryText("SELECT value FROM store_meta WHERE key = 'epoch'");
    if (!seq || !version) {
        return Unexpected(!seq ? seq.error() : version.error());
    }
    s.lastRecordSeq = *seq;
    s.schemaVersion = *version;
    s.epoch = epoch ? *epoch : std::string();
    return s;
}

void removeDatabase(const std::string& path)
{
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        fs::remove(path + suffix, ec);
    }
}

} // namespace

Expected<base::SecureBytes, Error> loadBackupKey(const std::string& path, bool create, base::RandomSource& random)
{
    if (path.empty()) {
        return refuse(Errc::InvalidInput, "--key-file FILE is required: the backup key, kept apart from the backups",
                      "key-file");
    }
    base::SecureBytes key(32);
    if (!fs::exists(path)) {
        if (!create) {
            return refuse(Errc::InvalidInput, "no backup key at " + path, "key-file");
        }
        random.fill(key.span());
        const std::string hex = base::toHex(base::ByteView(key.data(), key.size())) + "\n";
        if (auto written = base::writeFileAtomically(path, hex, 0600); !written) {
            return Unexpected(fromBase(written.error()));
        }
        return key;
    }
    auto text = base::readSecretFile(path, 256);
    if (!text) {
        return Unexpected(fromBase(text.error()));
    }
    auto bytes = base::fromHex(std::string_view(*text).substr(0, text->find_first_of("\r\n")));
    if (!bytes || bytes->size() != 32) {
        return refuse(Errc::InvalidInput, path + " is not a backup key (64 hex digits)", "key-file");
    }
    std::copy(bytes->begin(), bytes->end(), key.data());
    return key;
}

Expected<BackupSummary, Error> backupGateway(const GatewayConfig& config,
                                             const base::SecureBytes& databaseKey,
                                             const base::SecureBytes& backupKey,
                                             const std::string& target)
{
    if (config.storage == StorageBackend::Postgresql) {
        return refuse(Errc::InvalidInput, "storage = postgresql: back up with pg_dump (OPERATIONS.md)", "storage");
    }
    auto db = openKeyed(config.databasePath(), databaseKey, "the gateway database");
    if (!db) {
        return Unexpected(db.error());
    }
    // Next to the target, renamed into place once complete: a half-written backup never has its name.
    const std::string partial = target + ".partial";
    removeDatabase(partial);
    if (auto copied = sql::exportEncryptedCopy(*db, backupKey, partial); !copied) {
        removeDatabase(partial);
        return Unexpected(copied.error());
    }
    db->close();
    // What the backup holds, read back from it with its own key (which also proves it opens).
    auto written = openKeyed(partial, backupKey, "the backup");
    auto summary = written ? summaryOf(*written) : Expected<BackupSummary, Error>(Unexpected(written.error()));
    if (!summary) {
        removeDatabase(partial);
        return Unexpected(summary.error());
    }
    written->close();
    std::error_code ec;
    fs::rename(partial, target, ec);
    if (ec) {
        removeDatabase(partial);
        return refuse(Errc::StoreIo, "cannot move the backup into place: " + ec.message(), "to");
    }
    summary->bytes = fs::file_size(target, ec);
    return summary;
}

Expected<BackupSummary, Error> restoreGateway(const GatewayConfig& config,
                                              const base::SecureBytes& databaseKey,
                                              const base::SecureBytes& backupKey,
                                              const std::string& source,
                                              bool force,
                                              base::RandomSource& random,
                                              const base::Timestamp& now)
{
    if (config.storage == StorageBackend::Postgresql) {
        return refuse(Errc::InvalidInput, "storage = postgresql: restore with pg_restore, then `epoch rotate`",
                      "storage");
    }
    auto lock = ServeLock::acquire(config.dataDir);
    if (!lock) {
        return Unexpected(lock.error());
    }
    auto backup = openKeyed(source, backupKey, "the backup");
    if (!backup) {
        return Unexpected(backup.error());
    }
    auto summary = summaryOf(*backup);
    if (!summary) {
        return Unexpected(summary.error());
    }
    const std::string path = config.databasePath();
    if (fs::exists(path)) {
        auto current = openKeyed(path, databaseKey, "the gateway database");
        if (current) {
            auto held = summaryOf(*current);
            if (held && held->lastRecordSeq > summary->lastRecordSeq && !force) {
                return refuse(Errc::Conflict,
                              "the database holds records up to #" + std::to_string(held->lastRecordSeq) +
                                  ", the backup only to #" + std::to_string(summary->lastRecordSeq) +
                                  ": restore it with --force (tablets then send the rest again)",
                              "force");
            }
        }
    }
    const std::string staged = path + ".restoring";
    removeDatabase(staged);
    if (auto copied = sql::exportEncryptedCopy(*backup, databaseKey, staged); !copied) {
        removeDatabase(staged);
        return Unexpected(copied.error());
    }
    backup->close();
    removeDatabase(path);
    std::error_code ec;
    fs::rename(staged, path, ec);
    if (ec) {
        return refuse(Errc::StoreIo, "cannot move the restored database into place: " + ec.message());
    }
    // A new epoch now, with its audit row: every tablet pushes again what it had acknowledged.
    auto storage = SqliteGatewayStorage::open(path, databaseKey, random, now);
    if (!storage) {
        return Unexpected(storage.error());
    }
    (*storage)->actAs("operator:restore");
    if (auto epoch =
            (*storage)->rotateEpoch(random, "restored from backup " + fs::path(source).filename().string(), now);
        !epoch) {
        return Unexpected(epoch.error());
    }
    // The high-water mark follows the restored database: the next start needs no second epoch.
    (void)base::writeFileAtomically(config.dataDir + "/highwater", std::to_string(summary->lastRecordSeq) + "\n", 0600);
    std::error_code ignored;
    summary->bytes = fs::file_size(path, ignored);
    return summary;
}

Expected<ServeLock, Error> ServeLock::acquire(const std::string& dataDir)
{
    const std::string path = dataDir + "/serve.lock";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        return refuse(Errc::StoreIo, "cannot open " + path);
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return refuse(Errc::StoreBusy, "the gateway is serving from " + dataDir + ": stop it first", "data-dir");
    }
    return ServeLock(fd);
}

ServeLock::ServeLock(ServeLock&& other) noexcept
    : m_fd(other.m_fd)
{
    other.m_fd = -1;
}

ServeLock::~ServeLock()
{
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

} // namespace zaitaku::sync::gateway
