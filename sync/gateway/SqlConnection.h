#pragma once

// The seam between the gateway's one SQL storage (SqlGatewayStorage) and a database engine: a
// connection runs one parameterised statement and returns its rows, and opens, commits or rolls
// back a transaction. SQLite (SqliteGatewayStorage) and PostgreSQL (PostgresGatewayStorage)
// implement it; their SQL differs only in the schema each one creates, so every query and every
// rule (dedupe, challenge claims, care starts, the audit chain) is written once.

#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace zaitaku::sync::gateway
{

// A statement parameter: NULL, text or an integer. Instants are stored as the store's fixed-width
// UTC text (sqlTime), so that comparing them in SQL compares times on both engines.
using SqlValue = std::variant<std::monostate, std::string, std::int64_t>;
SqlValue sqlTime(const base::Timestamp& instant);
SqlValue sqlOptional(const std::optional<std::string>& text);

// What a statement returned, every cell as text (NULL apart), and the rows a write touched.
class SqlRows
{
public:
    using Row = std::vector<std::optional<std::string>>;

    void add(Row row) { m_rows.push_back(std::move(row)); }
    void setAffected(std::int64_t n) { m_affected = n; }

    int rows() const { return static_cast<int>(m_rows.size()); }
    bool isNull(int row, int column) const;
    std::string text(int row, int column) const; // "" for NULL
    std::int64_t integer(int row, int column) const;
    std::optional<base::Timestamp> time(int row, int column) const; // in JST; nullopt for NULL
    std::int64_t affected() const { return m_affected; }

private:
    std::vector<Row> m_rows;
    std::int64_t m_affected = 0;
};

enum class WriteDurability
{
    Full,    // it acknowledges something: on disk before commit returns
    Relaxed, // consistent through a crash; durable with the next Full commit (the read audit rows)
};

// One connection, used by one thread at a time (the storage holds a mutex per connection).
class SqlConnection
{
public:
    virtual ~SqlConnection() = default;
    virtual std::string backend() const = 0;

    // One statement; its parameters are numbered ?1, ?2 … (the PostgreSQL connection rewrites them).
    virtual Expected<SqlRows, Error> exec(std::string_view sql, const std::vector<SqlValue>& params = {}) = 0;

    // A write transaction: the engine's write lock is taken at begin, so a busy database fails
    // there and not half-way. Savepoints inside it are plain SQL (SAVEPOINT / RELEASE / ROLLBACK TO).
    virtual Expected<void, Error> beginWrite(WriteDurability durability) = 0;
    virtual Expected<void, Error> commitWrite() = 0;
    // Best effort: nothing half-done is ever committed, whatever this returns.
    virtual void rollbackWrite() = 0;
    // A read transaction (several statements see one snapshot: audit verification); it ends with
    // a plain COMMIT or ROLLBACK.
    virtual Expected<void, Error> beginRead() = 0;

    // The schema version the database is at (the migrations are the engine's own).
    virtual Expected<int, Error> schemaVersion() = 0;
};

// A transaction on a connection, rolled back unless committed.
class SqlTransaction
{
public:
    static Expected<SqlTransaction, Error> write(SqlConnection& connection, WriteDurability durability);
    static Expected<SqlTransaction, Error> read(SqlConnection& connection);
    SqlTransaction(SqlTransaction&& other) noexcept;
    SqlTransaction& operator=(SqlTransaction&&) = delete;
    SqlTransaction(const SqlTransaction&) = delete;
    SqlTransaction& operator=(const SqlTransaction&) = delete;
    ~SqlTransaction();
    Expected<void, Error> commit();

private:
    SqlTransaction(SqlConnection& connection, bool write)
        : m_connection(&connection)
        , m_write(write)
    {}
    SqlConnection* m_connection;
    bool m_write;
    bool m_open = true;
};

} // namespace zaitaku::sync::gateway
