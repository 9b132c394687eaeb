#include "sync/gateway/SqlConnection.h"

#include "sync/sql/SqlTime.h"

#include <charconv>

namespace zaitaku::sync::gateway
{

SqlValue sqlTime(const base::Timestamp& instant)
{
    return sql::utcText(instant);
}

SqlValue sqlOptional(const std::optional<std::string>& text)
{
    return text ? SqlValue(*text) : SqlValue();
}

bool SqlRows::isNull(int row, int column) const
{
    return !m_rows.at(static_cast<std::size_t>(row)).at(static_cast<std::size_t>(column)).has_value();
}

std::string SqlRows::text(int row, int column) const
{
    return m_rows.at(static_cast<std::size_t>(row)).at(static_cast<std::size_t>(column)).value_or(std::string());
}

std::int64_t SqlRows::integer(int row, int column) const
{
    const std::string cell = text(row, column);
    std::int64_t value = 0;
    std::from_chars(cell.data(), cell.data() + cell.size(), value);
    return value;
}

std::optional<base::Timestamp> SqlRows::time(int row, int column) const
{
    if (isNull(row, column)) {
        return std::nullopt;
    }
    auto parsed = base::Timestamp::parse(text(row, column));
    return parsed ? parsed->withOffset(base::Timestamp::kJstOffsetMinutes) : base::Timestamp::fromUtc({});
}

Expected<SqlTransaction, Error> SqlTransaction::write(SqlConnection& connection, WriteDurability durability)
{
    if (auto begun = connection.beginWrite(durability); !begun) {
        return Unexpected(begun.error());
    }
    return SqlTransaction(connection, true);
}

Expected<SqlTransaction, Error> SqlTransaction::read(SqlConnection& connection)
{
    if (auto begun = connection.beginRead(); !begun) {
        return Unexpected(begun.error());
    }
    return SqlTransaction(connection, false);
}

SqlTransaction::SqlTransaction(SqlTransaction&& other) noexcept
    : m_connection(other.m_connection)
    , m_write(other.m_write)
    , m_open(other.m_open)
{
    other.m_open = false;
}

SqlTransaction::~SqlTransaction()
{
    if (!m_open) {
        return;
    }
    if (m_write) {
        m_connection->rollbackWrite();
    } else {
        (void)m_connection->exec("ROLLBACK");
    }
}

Expected<void, Error> SqlTransaction::commit()
{
    Expected<void, Error> done;
    if (m_write) {
        done = m_connection->commitWrite();
    } else if (auto committed = m_connection->exec("COMMIT"); !committed) {
        done = Unexpected(committed.error());
    }
    if (done) {
        m_open = false; // a failed commit is rolled back when this goes out of scope
    }
    return done;
}

} // namespace zaitaku::sync::gateway
