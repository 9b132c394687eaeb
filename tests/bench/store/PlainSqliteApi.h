#pragma once

// The benchmark's baseline engine: Debian's stock libsqlite3 (3.40), loaded with dlopen so that it
// can live in the same process as the statically linked, symbol-hidden SQLCipher. Benchmark use
// only: a store opened with this table is NOT encrypted.

#include "sync/sql/SqliteApi.h"

#include <optional>

namespace zaitaku::bench
{

// Empty when libsqlite3.so.0 cannot be loaded.
std::optional<sync::sql::SqliteApi> loadPlainSqlite();

} // namespace zaitaku::bench
