#include "sync/store/StoreStats.h"

#include "sync/sql/SqliteApi.h"
#include "sync/store/ChallengePool.h"

#include <sys/stat.h>
#include <vector>

namespace zaitaku::sync::store
{

Expected<StoreStats, Error> StoreStats::collect(Store& store)
{
    sql::Database& db = store.db();
    StoreStats s;
    s.storeId = store.storeId();
    s.cipherVersion = store.cipherVersion();
    s.sqliteVersion = db.api().libversion();
    auto version = db.queryInt("PRAGMA user_version");
    auto page = db.queryInt("PRAGMA page_size");
    auto journal = db.queryText("PRAGMA journal_mode");
    if (!version || !page || !journal) {
        return Unexpected(!version ? version.error() : !page ? page.error() : journal.error());
    }
    s.schemaVersion = static_cast<int>(*version);
    s.pageSize = *page;
    s.journalMode = *journal;
    // Every table of the schema, as the schema says (store_meta holds settings, not records).
    auto tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                             "AND name != 'store_meta' ORDER BY name");
    if (!tables) {
        return Unexpected(tables.error());
    }
    std::vector<std::string> names;
    if (auto done = tables->forEachRow([&](const sql::Statement& row) { names.push_back(row.text(0)); }); !done) {
        return Unexpected(done.error());
    }
    for (const auto& table : names) {
        auto n = db.queryInt("SELECT count(*) FROM \"" + table + "\"");
        if (!n) {
            return Unexpected(n.error());
        }
        s.rows[table] = *n;
    }
    auto counts = Outbox::counts(db);
    auto oldest = db.queryText("SELECT coalesce(min(created_at), '') FROM outbox WHERE state IN ('queued', 'sending')");
    auto challenges = ChallengePool::available(db, store.clock().nowJst());
    if (!counts || !oldest || !challenges) {
        return Unexpected(!counts ? counts.error() : !oldest ? oldest.error() : challenges.error());
    }
    s.outbox = *counts;
    s.oldestUnsentAt = *oldest;
    s.challengesAvailable = *challenges;
    struct stat st
    {};
    for (const char* suffix : {"", "-wal"}) {
        if (::stat((store.path() + suffix).c_str(), &st) == 0) {
            s.fileBytes += st.st_size;
        }
    }
    return s;
}

} // namespace zaitaku::sync::store
