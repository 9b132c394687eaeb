#include "sync/sql/Migrations.h"

#include "sync/sql/Transaction.h"

#include <string>

namespace zaitaku::sync::sql
{

Expected<void, Error> migrate(Database& db, std::span<const Migration> list, int target)
{
    const int latest = list.empty() ? 0 : list.back().version;
    if (target < 0) {
        target = latest;
    }
    auto current = db.queryInt("PRAGMA user_version");
    if (!current) {
        return Unexpected(current.error());
    }
    if (*current > latest) {
        return Unexpected(Error{Errc::StoreSchemaTooNew, "the database has schema version " + std::to_string(*current) +
                                                             "; this zaitaku knows up to " + std::to_string(latest)});
    }
    for (const auto& migration : list) {
        if (migration.version <= *current || migration.version > target) {
            continue;
        }
        auto tx = Transaction::begin(db, Durability::Full);
        if (!tx) {
            return Unexpected(tx.error());
        }
        const std::string context = "migrate to schema " + std::to_string(migration.version);
        if (auto done = db.exec(migration.sql, context); !done) {
            return Unexpected(done.error());
        }
        if (auto done = db.exec("PRAGMA user_version = " + std::to_string(migration.version), context); !done) {
            return Unexpected(done.error());
        }
        if (auto done = tx->commit(); !done) {
            return Unexpected(done.error());
        }
    }
    return {};
}

} // namespace zaitaku::sync::sql
