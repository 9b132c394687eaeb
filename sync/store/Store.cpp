#include "sync/store/Store.h"

#include "base/AtomicFile.h"
#include "sync/sql/CipherKey.h"
#include "sync/sql/SqlTime.h"
#include "sync/sql/SqliteErrors.h"
#include "sync/sql/Transaction.h"
#include "sync/store/Quarantine.h"
#include "sync/store/Schema.h"
#include "sync/store/StoreKeys.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <sys/statvfs.h>

namespace zaitaku::sync::store
{

namespace
{

constexpr char kPlaintextHeader[16] = "SQLite format 3"; // 15 chars + NUL, as on disk

Error quarantined(
    const std::string& path, const base::Clock& clock, const StoreOptions& options, Errc code, const std::string& why)
{
    if (!options.quarantineOnFailure) {
        return Error{code, why};
    }
    auto moved = quarantineStore(path, clock.nowJst());
    if (!moved) {
        return Error{code, why + "; quarantine failed: " + moved.error().message};
    }
    return Error{code, why + "; the file was quarantined as " + *moved + " (nothing was deleted)"};
}

Expected<void, Error> configure(sql::Database& db, const StoreOptions& options)
{
    // WAL: readers never block the writer and a crash leaves the last commit. secure_delete: purged
    // medical information is overwritten, not left in free pages. foreign_keys: a visit cannot
    // point at a patient who does not exist.
    const std::string sql = "PRAGMA journal_mode = WAL;"
                            "PRAGMA synchronous = FULL;"
                            "PRAGMA foreign_keys = ON;"
                            "PRAGMA secure_delete = ON;"
                            "PRAGMA temp_store = MEMORY;"
                            "PRAGMA cache_size = -" +
                            std::to_string(options.cacheKiB) + ";";
    return db.exec(sql, "configure");
}

} // namespace

bool hasPlaintextSqliteHeader(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    char header[16] = {};
    in.read(header, sizeof header);
    return in.gcount() == sizeof header && std::memcmp(header, kPlaintextHeader, sizeof header) == 0;
}

Expected<Store, Error> Store::create(const std::string& path,
                                     const base::SecureBytes& dataKey,
                                     const std::string& storeId,
                                     const base::Clock& clock,
                                     const StoreOptions& options)
{
    if (base::fileExists(path)) {
        return Unexpected(Error{Errc::StoreExists, "a store already exists at " + path});
    }
    return openChecked(path, dataKey, storeId, clock, options, true);
}

Expected<Store, Error> Store::open(const std::string& path,
                                   const base::SecureBytes& dataKey,
                                   const std::string& storeId,
                                   const base::Clock& clock,
                                   const StoreOptions& options)
{
    if (!base::fileExists(path)) {
        return Unexpected(Error{Errc::StoreNotFound, "there is no store at " + path + " (run `store init`)"});
    }
    return openChecked(path, dataKey, storeId, clock, options, false);
}

Expected<Store, Error> Store::openChecked(const std::string& path,
                                          const base::SecureBytes& dataKey,
                                          const std::string& storeId,
                                          const base::Clock& clock,
                                          const StoreOptions& options,
                                          bool create)
{
    const sql::SqliteApi& api = *options.api;
    // WAL needs to write its -shm file even to read: on read-only media say so plainly.
    struct statvfs fs
    {};
    const std::string dir = std::filesystem::absolute(path).parent_path().string();
    if (::statvfs(dir.c_str(), &fs) == 0 && (fs.f_flag & ST_RDONLY) != 0) {
        return Unexpected(Error{Errc::StoreReadOnly, "the store is on read-only media (" + dir + ")"});
    }
    if (api.encrypts && !create && hasPlaintextSqliteHeader(path)) {
        return Unexpected(quarantined(path, clock, options, Errc::StoreNotEncrypted,
                                      "the store file is plaintext SQLite, not an encrypted store"));
    }
    auto db =
        sql::Database::open(api, path, create ? sql::OpenMode::ReadWriteCreate : sql::OpenMode::ReadWrite, options.vfs);
    if (!db) {
        return Unexpected(db.error());
    }
    std::string cipherVersion;
    if (api.encrypts) {
        auto version = sql::keyConnection(*db, dataKey);
        if (!version) {
            return Unexpected(version.error());
        }
        cipherVersion = *version;
    }
    // The first read decrypts page 1: a failure here (with a key the key file vouched for) means
    // the file is damaged or is not this store.
    auto tables = db->queryInt("SELECT count(*) FROM sqlite_master");
    if (!tables) {
        if (tables.error().code == Errc::StoreCorrupted && !create) {
            db->close();
            return Unexpected(quarantined(path, clock, options, Errc::StoreCorrupted,
                                          "the store cannot be decrypted or read: " + tables.error().message));
        }
        return Unexpected(tables.error());
    }
    if (options.runQuickCheck && !create) {
        auto check = db->queryText("PRAGMA quick_check");
        if (!check || *check != "ok") {
            const std::string why = check ? "quick_check: " + *check : check.error().message;
            if (!check && check.error().code != Errc::StoreCorrupted) {
                return Unexpected(check.error()); // an I/O problem is not the file's fault
            }
            db->close();
            return Unexpected(quarantined(path, clock, options, Errc::StoreCorrupted,
                                          "the store failed its integrity check (" + why + ")"));
        }
    }
    if (!create && *tables == 0) {
        db->close();
        return Unexpected(
            quarantined(path, clock, options, Errc::StoreCorrupted, "the store file is empty (no schema, no records)"));
    }
    if (create) {
        // Encrypted or not, the file is nobody else's business (WAL and SHM inherit the mode).
        (void)::chmod(path.c_str(), 0600);
    }
    if (auto configured = configure(*db, options); !configured) {
        return Unexpected(configured.error());
    }
    if (auto migrated = migrate(*db); !migrated) {
        return Unexpected(migrated.error());
    }
    if (create) {
        auto tx = sql::Transaction::begin(*db, sql::Durability::Full);
        if (!tx) {
            return Unexpected(tx.error());
        }
        auto insert = db->prepare("INSERT INTO store_meta (key, value) VALUES ('sentinel', ?1), ('store_id', ?2), "
                                  "('created_at', ?3)");
        if (!insert) {
            return Unexpected(insert.error());
        }
        insert->bind(1, kSentinel).bind(2, storeId).bind(3, sql::utcText(clock.nowJst()));
        if (auto done = insert->run(); !done) {
            return Unexpected(done.error());
        }
        if (auto done = tx->commit(); !done) {
            return Unexpected(done.error());
        }
    }
    auto sentinel = db->queryText("SELECT value FROM store_meta WHERE key = 'sentinel'");
    auto id = db->queryText("SELECT value FROM store_meta WHERE key = 'store_id'");
    if (!sentinel || !id) {
        return Unexpected(!sentinel ? sentinel.error() : id.error());
    }
    if (*sentinel != kSentinel) {
        return Unexpected(Error{Errc::StoreCorrupted, "the store's sentinel row is missing or wrong"});
    }
    if (*id != storeId) {
        return Unexpected(Error{Errc::InvalidInput,
                                "the key file belongs to store " + storeId + ", the database is store " + *id, "keys"});
    }
    return Store(std::move(*db), storeId, cipherVersion, clock);
}

Expected<void, Error> Store::rekey(const base::SecureBytes& newDataKey)
{
    if (m_db.api().rekey == nullptr) {
        return Unexpected(Error{Errc::StoreNotEncrypted, "this engine cannot rekey"});
    }
    const base::SecureBytes pragma = sql::rawKeyPragmaValue(newDataKey);
    if (m_db.api().rekey(m_db.handle(), pragma.data(), static_cast<int>(pragma.size())) != 0) {
        return Unexpected(m_db.lastError("rekey"));
    }
    return {};
}

} // namespace zaitaku::sync::store
