#include "sync/sql/StoreMeta.h"

namespace zaitaku::sync::sql
{

Expected<std::optional<std::string>, Error> StoreMeta::get(Database& db, const std::string& key)
{
    auto row = db.queryRow("SELECT value FROM store_meta WHERE key = ?1", key);
    if (!row) {
        return Unexpected(row.error());
    }
    return *row ? std::optional<std::string>((*row)->text(0)) : std::nullopt;
}

Expected<void, Error> StoreMeta::set(Database& db, const std::string& key, const std::string& value)
{
    auto s = db.prepare("INSERT INTO store_meta (key, value) VALUES (?1, ?2) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!s) {
        return Unexpected(s.error());
    }
    return s->bind(1, key).bind(2, value).run();
}

} // namespace zaitaku::sync::sql
