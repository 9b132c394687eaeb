#pragma once

// The store's schema as forward-only migrations. PRAGMA user_version is the version; each
// migration runs in the same transaction as the user_version bump, so a crash leaves the old
// version or the new one. A store newer than this build is refused, never downgraded.

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/sql/Migrations.h"

#include <span>
#include <string_view>

namespace zaitaku::sync::store
{

std::span<const sql::Migration> migrations();
int latestSchemaVersion();

// Applies every migration above the current user_version up to `target` (default: latest).
Expected<void, Error> migrate(sql::Database& db, int target = -1);

} // namespace zaitaku::sync::store
