#pragma once

// The SQLite C API the store uses, as a table of function pointers. The store always runs on
// SQLCipher (sqlcipherApi(), linked statically with hidden symbols). The table exists so that the
// store benchmark can run the very same store code on stock SQLite 3.40 (dlopen'ed) as its baseline
// in one process; no production code path constructs another table.

#include <cstdint>

struct sqlite3;
struct sqlite3_stmt;

namespace zaitaku::sync::sql
{

struct SqliteApi
{
    const char* name; // "sqlcipher" or the baseline's name
    bool encrypts;    // false only for the benchmark baseline
    int (*open_v2)(const char*, sqlite3**, int, const char*);
    int (*close_v2)(sqlite3*);
    int (*exec)(sqlite3*, const char*, int (*)(void*, int, char**, char**), void*, char**);
    void (*free)(void*);
    int (*prepare_v2)(sqlite3*, const char*, int, sqlite3_stmt**, const char**);
    int (*step)(sqlite3_stmt*);
    int (*reset)(sqlite3_stmt*);
    int (*finalize)(sqlite3_stmt*);
    int (*bind_int64)(sqlite3_stmt*, int, std::int64_t);
    int (*bind_text)(sqlite3_stmt*, int, const char*, int, void (*)(void*));
    int (*bind_blob)(sqlite3_stmt*, int, const void*, int, void (*)(void*));
    int (*bind_null)(sqlite3_stmt*, int);
    int (*bind_parameter_count)(sqlite3_stmt*);
    int (*column_count)(sqlite3_stmt*);
    int (*column_type)(sqlite3_stmt*, int);
    std::int64_t (*column_int64)(sqlite3_stmt*, int);
    const unsigned char* (*column_text)(sqlite3_stmt*, int);
    const void* (*column_blob)(sqlite3_stmt*, int);
    int (*column_bytes)(sqlite3_stmt*, int);
    const char* (*errmsg)(sqlite3*);
    int (*extended_errcode)(sqlite3*);
    int (*system_errno)(sqlite3*);
    int (*changes)(sqlite3*);
    std::int64_t (*last_insert_rowid)(sqlite3*);
    int (*busy_timeout)(sqlite3*, int);
    const char* (*libversion)();
    // SQLCipher only (null in the baseline).
    int (*key)(sqlite3*, const void*, int);
    int (*rekey)(sqlite3*, const void*, int);
};

// SQLCipher, statically linked into this executable.
const SqliteApi& sqlcipherApi();

} // namespace zaitaku::sync::sql
