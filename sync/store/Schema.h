#pragma once

// The store's schema as forward-only migrations. PRAGMA user_version is the version; each
// migration runs in the same transaction as the user_version bump, so a crash leaves the old
// version or the new one. A store newer than this build is refused, never downgraded.

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/store/Database.h"

#include <span>
#include <string_view>

namespace zaitaku::sync::store
{

struct Migration
{
    int version;
    std::string_view summary;
    std::string_view sql;
};

std::span<const Migration> migrations();
int latestSchemaVersion();

// Applies every migration above the current user_version up to `target` (default: latest).
Expected<void, Error> migrate(Database& db, int target = -1);
// The same for another database's own list (the gateway's), ordered by version.
Expected<void, Error> migrate(Database& db, std::span<const Migration> list, int target = -1);

} // namespace zaitaku::sync::store
