#pragma once

// The open, checked, migrated store: one SQLCipher connection keyed with the raw data key.
//
// open() refuses to hand out a connection unless every check passed:
//   1. the file is not plaintext SQLite ("SQLite format 3" header) — else quarantined;
//   2. SQLCipher is the engine serving this connection (PRAGMA cipher_version non-empty) — else
//      StoreNotEncrypted and nothing is written (stock libsqlite3 would ignore the key);
//   3. the first page decrypts and PRAGMA quick_check says ok — else quarantined;
//   4. the schema is not newer than this build; pending migrations are applied;
//   5. the sentinel and store id in store_meta match the key file.

#include "base/Clock.h"
#include "base/Expected.h"
#include "base/SecureBytes.h"
#include "sync/SyncError.h"
#include "sync/sql/Database.h"
#include "sync/sql/SqliteApi.h"

#include <string>

namespace zaitaku::sync::store
{

struct StoreOptions
{
    const sql::SqliteApi* api = &sql::sqlcipherApi();
    std::string vfs;                 // empty: the default VFS (tests inject faults here)
    int cacheKiB = 32000;            // the page cache holds the working set: reads cost no decryption
    bool runQuickCheck = true;       // at open
    bool quarantineOnFailure = true; // false only while an interrupted key rotation is resolved
};

class Store
{
public:
    static constexpr const char* kSentinel = "zaitaku-store";

    static Expected<Store, Error> create(const std::string& path,
                                         const base::SecureBytes& dataKey,
                                         const std::string& storeId,
                                         const base::Clock& clock,
                                         const StoreOptions& options = {});
    static Expected<Store, Error> open(const std::string& path,
                                       const base::SecureBytes& dataKey,
                                       const std::string& storeId,
                                       const base::Clock& clock,
                                       const StoreOptions& options = {});

    sql::Database& db() { return m_db; }
    const std::string& path() const { return m_db.path(); }
    const std::string& storeId() const { return m_storeId; }
    const std::string& cipherVersion() const { return m_cipherVersion; }
    const base::Clock& clock() const { return *m_clock; }

    // Re-encrypts every page under a new data key (PRAGMA rekey). The caller rewraps the key file.
    Expected<void, Error> rekey(const base::SecureBytes& newDataKey);

private:
    Store(sql::Database db, std::string storeId, std::string cipherVersion, const base::Clock& clock)
        : m_db(std::move(db))
        , m_storeId(std::move(storeId))
        , m_cipherVersion(std::move(cipherVersion))
        , m_clock(&clock)
    {}
    static Expected<Store, Error> openChecked(const std::string& path,
                                              const base::SecureBytes& dataKey,
                                              const std::string& storeId,
                                              const base::Clock& clock,
                                              const StoreOptions& options,
                                              bool create);
    sql::Database m_db;
    std::string m_storeId;
    std::string m_cipherVersion;
    const base::Clock* m_clock;
};

// True when the file starts with the plaintext SQLite header.
bool hasPlaintextSqliteHeader(const std::string& path);

} // namespace zaitaku::sync::store
