#pragma once

// One SQLite connection (RAII). Knows nothing about keys or schema: Store does that.

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/sql/Statement.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;

namespace zaitaku::sync::sql
{

struct SqliteApi;

enum class OpenMode
{
    ReadWrite,       // the file must exist
    ReadWriteCreate, // create it when missing
    ReadOnly,
};

// How hard a commit waits for the disk. Full: the commit survives power loss (visits, outbox,
// audit). Normal: WAL keeps the file consistent but the last commits may roll back on power loss
// (re-derivable data: cached results, the challenge pool).
enum class Durability
{
    Full,
    Normal,
};

class Database
{
public:
    // `vfs` empty: the default VFS; tests pass a fault-injecting one.
    static Expected<Database, Error>
    open(const SqliteApi& api, const std::string& path, OpenMode mode, const std::string& vfs = {});

    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    // One or more statements without parameters (DDL, PRAGMAs). `context` names it in errors.
    Expected<void, Error> exec(std::string_view sql, std::string_view context);
    Expected<Statement, Error> prepare(std::string_view sql);
    // Prepares `sql`, binds `params` to ?1, ?2 … and steps once: the statement on its first row,
    // or none when there is no row (the one-row lookups).
    template <typename... Params>
    Expected<std::optional<Statement>, Error> queryRow(std::string_view sql, const Params&... params)
    {
        auto stmt = prepare(sql);
        if (!stmt) {
            return Unexpected(stmt.error());
        }
        int index = 0;
        (stmt->bind(++index, params), ...);
        auto row = stmt->step();
        if (!row) {
            return Unexpected(row.error());
        }
        if (!*row) {
            return std::optional<Statement>();
        }
        return std::optional<Statement>(std::move(*stmt));
    }
    // The first column of the first row as text (empty when there is no row).
    Expected<std::string, Error> queryText(std::string_view sql);
    Expected<std::int64_t, Error> queryInt(std::string_view sql);

    // PRAGMA synchronous, issued only when it changes (outside a transaction).
    Expected<void, Error> setDurability(Durability durability);

    int changes() const;
    std::int64_t lastInsertRowid() const;
    const SqliteApi& api() const { return *m_api; }
    sqlite3* handle() const { return m_db; }
    const std::string& path() const { return m_path; }
    // The current SQLite error of this connection as a sync::Error.
    Error lastError(std::string_view context) const;
    void close();

private:
    Database(const SqliteApi& api, sqlite3* db, std::string path)
        : m_api(&api)
        , m_db(db)
        , m_path(std::move(path))
    {}
    const SqliteApi* m_api;
    sqlite3* m_db;
    std::string m_path;
    int m_durability = -1; // unknown until first set
};

} // namespace zaitaku::sync::sql
