#include "sync/sql/SqliteApi.h"

#include <sqlite3.h>

namespace zaitaku::sync::sql
{

namespace
{

// sqlite3_int64 is `long long`; the table uses std::int64_t (`long` on LP64): adapt at the edge.
int bindInt64(sqlite3_stmt* stmt, int index, std::int64_t value)
{
    return sqlite3_bind_int64(stmt, index, static_cast<sqlite3_int64>(value));
}
std::int64_t columnInt64(sqlite3_stmt* stmt, int index)
{
    return static_cast<std::int64_t>(sqlite3_column_int64(stmt, index));
}
std::int64_t lastInsertRowid(sqlite3* db)
{
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db));
}

} // namespace

const SqliteApi& sqlcipherApi()
{
    static const SqliteApi api{
        "sqlcipher",
        true,
        sqlite3_open_v2,
        sqlite3_close_v2,
        sqlite3_exec,
        sqlite3_free,
        sqlite3_prepare_v2,
        sqlite3_step,
        sqlite3_reset,
        sqlite3_finalize,
        bindInt64,
        sqlite3_bind_text,
        sqlite3_bind_blob,
        sqlite3_bind_null,
        sqlite3_bind_parameter_count,
        sqlite3_column_count,
        sqlite3_column_type,
        columnInt64,
        sqlite3_column_text,
        sqlite3_column_blob,
        sqlite3_column_bytes,
        sqlite3_errmsg,
        sqlite3_extended_errcode,
        sqlite3_system_errno,
        sqlite3_changes,
        lastInsertRowid,
        sqlite3_busy_timeout,
        sqlite3_libversion,
        sqlite3_key,
        sqlite3_rekey,
    };
    return api;
}

} // namespace zaitaku::sync::sql
