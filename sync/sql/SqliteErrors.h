#pragma once

// SQLite result codes as sync::Error values: what the operator can act on (disk full, read-only
// media, busy, corrupted) rather than SQLite's numbers. The SQLite message is kept for support.

#include "sync/SyncError.h"

#include <string_view>

namespace zaitaku::sync::sql
{

// `context` says what the store was doing ("commit visit", "open"), never data or secrets.
// `systemErrno` (sqlite3_system_errno) turns an I/O error into what it really was: ENOSPC is a
// full disk even when SQLite reports it as a failed SHM resize.
Error sqliteError(int extendedCode, std::string_view context, std::string_view sqliteMessage, int systemErrno = 0);

// True for codes that mean the file itself is damaged (not the disk, not a lock).
bool isCorruption(int extendedCode);

} // namespace zaitaku::sync::sql
