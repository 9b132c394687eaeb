#pragma once

// The PostgreSQL backend (`storage = postgresql`): for a facility group that already runs
// PostgreSQL with its backups, replication and monitoring. Same tables, versions and queries as
// the SQLite backend (SqlGatewayStorage); this file holds the PostgreSQL schema and the connection
// behind the seam. Timestamps and payloads are stored as the same canonical text so that a signed
// payload comes back byte for byte.
//
// Writers are serialised by a transaction-level advisory lock (in this process and across
// processes such as `zaitaku-gateway snapshots import`): seqs then become visible in commit order,
// so a tablet paging the feed "after seq N" never skips a row committed late, and the audit hash
// chain has one head. Reads use a second connection and never wait for a commit. Encryption at
// rest is the database server's (docs/THREAT-MODEL.md); the connection uses the conninfo's sslmode.

#include "sync/gateway/SqlGatewayStorage.h"

#include <chrono>
#include <memory>
#include <string>

namespace zaitaku::sync::gateway
{

struct PostgresGatewayStorage
{
    // Connects (writer and reader), applies the migrations under the writer lock and creates the
    // epoch on first use. With `ownerConninfo` (the schema owner's role) the migrations run as that
    // role, which then grants `conninfo`'s role only what the gateway does: that role cannot drop
    // or disable the append-only triggers (security review M6). Without it the gateway's role
    // migrates, and so owns the tables.
    static Expected<std::unique_ptr<SqlGatewayStorage>, Error>
    open(const std::string& conninfo,
         base::RandomSource& random,
         const base::Timestamp& now,
         std::chrono::milliseconds statementTimeout = std::chrono::seconds(30),
         const std::string& ownerConninfo = {});
};

} // namespace zaitaku::sync::gateway
