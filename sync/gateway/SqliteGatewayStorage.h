#pragma once

// The embedded backend: one SQLCipher file in the data folder, encrypted with the key in
// secrets.key (a copied backup without that file reads as noise), WAL, synchronous=FULL for every
// acknowledging write. Two connections: the writer (SQLite serialises writers anyway) and a
// query-only reader, so that lookups never wait for a commit's fsync. The queries are
// SqlGatewayStorage's; this file holds the SQLite schema and the connection behind the seam.

#include "base/SecureBytes.h"
#include "sync/gateway/SqlGatewayStorage.h"

#include <memory>
#include <string>

namespace zaitaku::sync::gateway
{

struct SqliteGatewayStorage
{
    // Opens (creating it when missing), checks and migrates the file; creates the epoch on first use.
    static Expected<std::unique_ptr<SqlGatewayStorage>, Error>
    open(const std::string& path, const base::SecureBytes& key, base::RandomSource& random, const base::Timestamp& now);
};

} // namespace zaitaku::sync::gateway
