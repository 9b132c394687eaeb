#include "tests/bench/store/PlainSqliteApi.h"

#include <dlfcn.h>

namespace zaitaku::bench
{

namespace
{

template <typename F> bool bind(void* library, const char* name, F& target)
{
    // sqlite3_int64 is long long and the table uses std::int64_t (long): the same 64-bit register
    // on x86-64/aarch64 LP64, so the pointer is used as is.
    target = reinterpret_cast<F>(dlsym(library, name));
    return target != nullptr;
}

} // namespace

std::optional<sync::sql::SqliteApi> loadPlainSqlite()
{
    void* library = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
        return std::nullopt;
    }
    sync::sql::SqliteApi api{};
    api.name = "sqlite";
    api.encrypts = false;
    const bool ok =
        bind(library, "sqlite3_open_v2", api.open_v2) && bind(library, "sqlite3_close_v2", api.close_v2) &&
        bind(library, "sqlite3_exec", api.exec) && bind(library, "sqlite3_free", api.free) &&
        bind(library, "sqlite3_prepare_v2", api.prepare_v2) && bind(library, "sqlite3_step", api.step) &&
        bind(library, "sqlite3_reset", api.reset) && bind(library, "sqlite3_finalize", api.finalize) &&
        bind(library, "sqlite3_bind_int64", api.bind_int64) && bind(library, "sqlite3_bind_text", api.bind_text) &&
        bind(library, "sqlite3_bind_blob", api.bind_blob) && bind(library, "sqlite3_bind_null", api.bind_null) &&
        bind(library, "sqlite3_bind_parameter_count", api.bind_parameter_count) &&
        bind(library, "sqlite3_column_count", api.column_count) &&
        bind(library, "sqlite3_column_type", api.column_type) &&
        bind(library, "sqlite3_column_int64", api.column_int64) &&
        bind(library, "sqlite3_column_text", api.column_text) &&
        bind(library, "sqlite3_column_blob", api.column_blob) &&
        bind(library, "sqlite3_column_bytes", api.column_bytes) && bind(library, "sqlite3_errmsg", api.errmsg) &&
        bind(library, "sqlite3_extended_errcode", api.extended_errcode) &&
        bind(library, "sqlite3_system_errno", api.system_errno) && bind(library, "sqlite3_changes", api.changes) &&
        bind(library, "sqlite3_last_insert_rowid", api.last_insert_rowid) &&
        bind(library, "sqlite3_busy_timeout", api.busy_timeout) && bind(library, "sqlite3_libversion", api.libversion);
    if (!ok) {
        return std::nullopt;
    }
    return api;
}

} // namespace zaitaku::bench
