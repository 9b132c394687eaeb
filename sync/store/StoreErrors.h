#pragma once

// SQLite result codes as sync::Error values: what the operator can act on (disk full, read-only
// media, busy, corrupted) rather than SQLite's numbers. The SQLite message is kept for support.

#include "sync/SyncError.h"

#include <string_view>

namespace zaitaku::sync::store
{

// `context` says what the store was doing ("commit visit", "open"), never data or secrets.
Error sqliteError(int extendedCode, std::string_view context, std::string_view sqliteMessage);

// True for codes that mean the file itself is damaged (not the disk, not a lock).
bool isCorruption(int extendedCode);

} // namespace zaitaku::sync::store
