#pragma once

// Where the tablet is in each stream the gateway pages down (results, re-query outcomes). Stored
// in the same database as the data it describes and advanced in the same transaction, so a crash
// never skips a page nor restarts from zero (docs/design/STORAGE-SYNC-STYLE.md §2.5, items 1 and 3).

#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "sync/sql/Database.h"

#include <optional>
#include <string>

namespace zaitaku::sync::store
{

class SyncCursor
{
public:
    static Expected<std::optional<std::string>, Error> get(sql::Database& db, const std::string& stream);
    // Inside the caller's transaction (with the page it acknowledges).
    static Expected<void, Error>
    set(sql::Database& db, const std::string& stream, const std::string& cursor, const base::Timestamp& now);
};

} // namespace zaitaku::sync::store
