#pragma once

// A database's schema as forward-only migrations. PRAGMA user_version is the version; each
// migration runs in the same transaction as the user_version bump, so a crash leaves the old
// version or the new one. A database newer than this build is refused, never downgraded. The
// tablet's store (sync/store/Schema) and the gateway's SQLite storage each keep their own list.

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/sql/Database.h"

#include <span>
#include <string_view>

namespace zaitaku::sync::sql
{

struct Migration
{
    int version;
    std::string_view summary;
    std::string_view sql;
};

// Applies every migration of `list` (ordered by version) above the current user_version up to
// `target` (default: the last).
Expected<void, Error> migrate(Database& db, std::span<const Migration> list, int target = -1);

} // namespace zaitaku::sync::sql
