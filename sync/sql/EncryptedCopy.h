#pragma once

// A consistent copy of an open SQLCipher database into a new file under another key
// (sqlcipher_export inside one read transaction: what the WAL holds is in it, writers carry on).
// The copy gets the store's cipher settings and the same user_version, so it opens like the
// original. The tablet's export and the gateway's backup and restore use it (issue 30).

#include "base/Expected.h"
#include "base/SecureBytes.h"
#include "sync/SyncError.h"
#include "sync/sql/Database.h"

#include <string>

namespace zaitaku::sync::sql
{

// `target` is created (0600) or emptied first.
Expected<void, Error> exportEncryptedCopy(Database& db, const base::SecureBytes& key, const std::string& target);

} // namespace zaitaku::sync::sql
