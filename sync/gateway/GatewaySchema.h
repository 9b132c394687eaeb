#pragma once

// The gateway's tables, written once for both engines as forward-only versions (1: devices,
// enrollment codes, records, challenge use, feed, snapshots, care state; 2: re-query keys;
// 3: derived fields of records; 4: the device ↔ patient roster; 5: claim settlement and the
// 申立書 purge; 6: staff accounts; 7: medical-information consents and results; 8: renewed device certificates,
// last seen and backlog). An engine renders them in its
// dialect and adds what is its own: SQLite the tablet's audit table (store/AuditLog), PostgreSQL
// its refusal function and audit table. Accepted records are immutable on both.

#include <string>
#include <string_view>
#include <vector>

namespace zaitaku::sync::gateway
{

struct SqlDialect
{
    std::string_view integer;      // a 64-bit integer column ("INTEGER" / "BIGINT")
    std::string_view identity;     // the seq column of an append-only table
    std::string_view tableOptions; // after a table's closing parenthesis (" STRICT" on SQLite)
    std::string_view recordGuards; // the triggers that refuse changing or deleting a record
    // Version 5: the same guard, but letting one change through: a 申立書's personal data purged
    // once (purged_at set from NULL; payload and derived rewritten; every other column unchanged).
    std::string_view purgeGuards;
};

struct GatewaySchemaVersion
{
    int version;
    std::string_view summary;
    std::string sql;
};

// Every version in order, in `dialect`; `prologue` goes before version 1's tables and `epilogue`
// after them (the engine's own parts of version 1).
std::vector<GatewaySchemaVersion>
gatewaySchema(const SqlDialect& dialect, std::string_view prologue, std::string_view epilogue);

} // namespace zaitaku::sync::gateway
