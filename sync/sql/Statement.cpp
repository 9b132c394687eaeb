#include "sync/sql/Statement.h"

#include "sync/sql/SqliteApi.h"
#include "sync/sql/SqliteErrors.h"

#include <sqlite3.h>

namespace zaitaku::sync::sql
{

namespace
{

std::string contextOf(std::string_view sql)
{
    // The statement's head ("INSERT INTO outbox") names it without any bound values.
    const auto end = sql.find_first_of("(\n");
    std::string_view head = sql.substr(0, std::min<std::size_t>(end, 48));
    while (!head.empty() && head.back() == ' ') {
        head.remove_suffix(1);
    }
    return std::string(head);
}

} // namespace

Statement::Statement(const SqliteApi& api, sqlite3* db, sqlite3_stmt* stmt, std::string_view sql)
    : m_api(&api)
    , m_db(db)
    , m_stmt(stmt)
    , m_context(contextOf(sql))
{}

Statement::Statement(Statement&& other) noexcept
    : m_api(other.m_api)
    , m_db(other.m_db)
    , m_stmt(other.m_stmt)
    , m_context(std::move(other.m_context))
    , m_bindError(other.m_bindError)
{
    other.m_stmt = nullptr;
}

Statement::~Statement()
{
    if (m_stmt != nullptr) {
        m_api->finalize(m_stmt);
    }
}

void Statement::noteBindError(int rc)
{
    if (rc != SQLITE_OK && m_bindError == 0) {
        m_bindError = rc;
    }
}

Statement& Statement::bind(int index, std::string_view text)
{
    noteBindError(m_api->bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value)
{
    noteBindError(m_api->bind_int64(m_stmt, index, value));
    return *this;
}

Statement& Statement::bindBlob(int index, const std::vector<std::uint8_t>& bytes)
{
    // An empty blob is still a blob, not NULL: SQLite needs a non-null pointer for that.
    static const std::uint8_t empty = 0;
    const void* data = bytes.empty() ? &empty : bytes.data();
    noteBindError(m_api->bind_blob(m_stmt, index, data, static_cast<int>(bytes.size()), SQLITE_TRANSIENT));
    return *this;
}

Statement& Statement::bindNull(int index)
{
    noteBindError(m_api->bind_null(m_stmt, index));
    return *this;
}

Expected<bool, Error> Statement::step()
{
    if (m_bindError != 0) {
        return Unexpected(sqliteError(m_bindError, m_context, "bind failed"));
    }
    const int rc = m_api->step(m_stmt);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    return Unexpected(
        sqliteError(m_api->extended_errcode(m_db), m_context, m_api->errmsg(m_db), m_api->system_errno(m_db)));
}

Expected<void, Error> Statement::run()
{
    auto row = step();
    if (!row) {
        return Unexpected(row.error());
    }
    if (*row) {
        return Unexpected(Error{Errc::StoreIo, "statement returned rows where none were expected: " + m_context});
    }
    return {};
}

void Statement::reset()
{
    m_api->reset(m_stmt);
    m_bindError = 0;
}

int Statement::columnCount() const
{
    return m_api->column_count(m_stmt);
}

int Statement::parameterCount() const
{
    return m_api->bind_parameter_count(m_stmt);
}

bool Statement::isNull(int column) const
{
    return m_api->column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::integer(int column) const
{
    return m_api->column_int64(m_stmt, column);
}

std::string Statement::text(int column) const
{
    const unsigned char* p = m_api->column_text(m_stmt, column);
    const int n = m_api->column_bytes(m_stmt, column);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
}

std::optional<std::string> Statement::optionalText(int column) const
{
    if (isNull(column)) {
        return std::nullopt;
    }
    return text(column);
}

std::vector<std::uint8_t> Statement::blob(int column) const
{
    const auto* p = static_cast<const std::uint8_t*>(m_api->column_blob(m_stmt, column));
    const int n = m_api->column_bytes(m_stmt, column);
    return p == nullptr ? std::vector<std::uint8_t>() : std::vector<std::uint8_t>(p, p + n);
}

} // namespace zaitaku::sync::sql
