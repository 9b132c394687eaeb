#pragma once

// A store that fails its checks is moved aside, never deleted: the outbox in it may hold the only
// copy of a visit. The database, its WAL/SHM and its key file are renamed with one timestamp
// suffix so the set stays together for support.

#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"

#include <string>

namespace zaitaku::sync::store
{

// Returns the quarantined database path (<db>.quarantine-YYYYMMDDThhmmssZ[-n]).
Expected<std::string, Error> quarantineStore(const std::string& databasePath, const base::Timestamp& now);

} // namespace zaitaku::sync::store
