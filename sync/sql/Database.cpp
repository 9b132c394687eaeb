#include "sync/sql/Database.h"

#include "sync/sql/SqliteApi.h"
#include "sync/sql/SqliteErrors.h"

#include <sqlite3.h>

namespace zaitaku::sync::sql
{

namespace
{
constexpr int kBusyTimeoutMs = 5000; // then StoreBusy: every wait on the file has a bound
}

Expected<Database, Error>
Database::open(const SqliteApi& api, const std::string& path, OpenMode mode, const std::string& vfs)
{
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
    case OpenMode::ReadWrite:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case OpenMode::ReadWriteCreate:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    case OpenMode::ReadOnly:
        flags |= SQLITE_OPEN_READONLY;
        break;
    }
    sqlite3* db = nullptr;
    const int rc = api.open_v2(path.c_str(), &db, flags, vfs.empty() ? nullptr : vfs.c_str());
    if (rc != SQLITE_OK) {
        Error error = db != nullptr
                          ? sqliteError(api.extended_errcode(db), "open", api.errmsg(db), api.system_errno(db))
                          : sqliteError(rc, "open", "out of memory");
        api.close_v2(db);
        return Unexpected(std::move(error));
    }
    api.busy_timeout(db, kBusyTimeoutMs);
    return Database(api, db, path);
}

Database::Database(Database&& other) noexcept
    : m_api(other.m_api)
    , m_db(other.m_db)
    , m_path(std::move(other.m_path))
    , m_durability(other.m_durability)
{
    other.m_db = nullptr;
}

Database& Database::operator=(Database&& other) noexcept
{
    if (this != &other) {
        close();
        m_api = other.m_api;
        m_db = other.m_db;
        m_path = std::move(other.m_path);
        m_durability = other.m_durability;
        other.m_db = nullptr;
    }
    return *this;
}

Database::~Database()
{
    close();
}

void Database::close()
{
    if (m_db != nullptr) {
        m_api->close_v2(m_db);
        m_db = nullptr;
    }
}

Error Database::lastError(std::string_view context) const
{
    return sqliteError(m_api->extended_errcode(m_db), context, m_api->errmsg(m_db), m_api->system_errno(m_db));
}

Expected<void, Error> Database::exec(std::string_view sql, std::string_view context)
{
    const std::string text(sql);
    char* message = nullptr;
    const int rc = m_api->exec(m_db, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        const std::string detail = message != nullptr ? message : "failed";
        m_api->free(message);
        return Unexpected(sqliteError(m_api->extended_errcode(m_db), context, detail, m_api->system_errno(m_db)));
    }
    return {};
}

Expected<Statement, Error> Database::prepare(std::string_view sql)
{
    sqlite3_stmt* stmt = nullptr;
    const int rc = m_api->prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        return Unexpected(lastError("prepare"));
    }
    return Statement(*m_api, m_db, stmt, sql);
}

Expected<std::string, Error> Database::queryText(std::string_view sql)
{
    auto stmt = prepare(sql);
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    auto row = stmt->step();
    if (!row) {
        return Unexpected(row.error());
    }
    return *row ? stmt->text(0) : std::string();
}

Expected<std::int64_t, Error> Database::queryInt(std::string_view sql)
{
    auto stmt = prepare(sql);
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    auto row = stmt->step();
    if (!row) {
        return Unexpected(row.error());
    }
    return *row ? stmt->integer(0) : std::int64_t{0};
}

Expected<void, Error> Database::setDurability(Durability durability)
{
    const int wanted = durability == Durability::Full ? 2 : 1;
    if (wanted == m_durability) {
        return {};
    }
    auto done = exec(wanted == 2 ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL", "set durability");
    if (done) {
        m_durability = wanted;
    }
    return done;
}

int Database::changes() const
{
    return m_api->changes(m_db);
}

std::int64_t Database::lastInsertRowid() const
{
    return m_api->last_insert_rowid(m_db);
}

} // namespace zaitaku::sync::sql
