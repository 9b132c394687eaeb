#include "sync/store/SyncCursor.h"

namespace zaitaku::sync::store
{

Expected<std::optional<std::string>, Error> SyncCursor::get(sql::Database& db, const std::string& stream)
{
    auto row = db.queryRow("SELECT cursor FROM sync_cursor WHERE stream = ?1", stream);
    if (!row) {
        return Unexpected(row.error());
    }
    return *row ? std::optional<std::string>((*row)->text(0)) : std::nullopt;
}

Expected<void, Error>
SyncCursor::set(sql::Database& db, const std::string& stream, const std::string& cursor, const base::Timestamp& now)
{
    auto stmt =
        db.prepare("INSERT INTO sync_cursor (stream, cursor, updated_at) VALUES (?1, ?2, ?3) "
                   "ON CONFLICT (stream) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, stream).bind(2, cursor).bind(3, now);
    return stmt->run();
}

} // namespace zaitaku::sync::store
