#pragma once

// How every SQLCipher connection is keyed, the tablet's store and the gateway's SQLite storage
// alike: a raw 32-byte data key (no passphrase derivation inside SQLCipher), 4096-byte pages,
// HMAC-SHA256 page authentication.

#include "base/Expected.h"
#include "base/SecureBytes.h"
#include "sync/SyncError.h"
#include "sync/sql/Database.h"

#include <string>

namespace zaitaku::sync::sql
{

// "x'<64 hex>'": SQLCipher's raw-key form (no per-connection KDF). Wiped with the returned buffer.
base::SecureBytes rawKeyPragmaValue(const base::SecureBytes& dataKey);

// Keys a fresh connection (raw key, page size, HMAC) and returns the cipher version;
// StoreNotEncrypted when the engine is not SQLCipher.
Expected<std::string, Error> keyConnection(Database& db, const base::SecureBytes& dataKey);

} // namespace zaitaku::sync::sql
