#pragma once

// One prepared statement. Binding never fails loudly: the first bind error is kept and reported by
// step(), so call sites read as a straight line of binds followed by one checked step.

#include "base/CodeTable.h"
#include "base/Date.h"
#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "sync/sql/SqlTime.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace zaitaku::sync::sql
{

struct SqliteApi;

class Statement
{
public:
    Statement(const SqliteApi& api, sqlite3* db, sqlite3_stmt* stmt, std::string_view sql);
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Parameters are 1-based (?1, ?2 …) as in SQLite.
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value ? 1 : 0)); }
    Statement& bind(int index, const base::Date& date) { return bind(index, date.toString()); }
    // Instants are stored in UTC text (StoreTime.h).
    Statement& bind(int index, const base::Timestamp& instant) { return bind(index, instant.withOffset(0).toString()); }
    // Coded values are stored as their CodeTable code.
    template <typename E>
    requires std::is_enum_v<E> Statement& bind(int index, E value) { return bind(index, base::toCode(value)); }
    Statement& bindBlob(int index, const std::vector<std::uint8_t>& bytes);
    Statement& bindNull(int index);
    template <typename T> Statement& bind(int index, const std::optional<T>& value)
    {
        return value ? bind(index, *value) : bindNull(index);
    }

    // true: a row is available; false: done.
    Expected<bool, Error> step();
    // Steps to the end calling onRow(*this) for each row. Stops at the first step error, or at the
    // first error onRow returns when it returns Expected<void, Error>: a failing read is never
    // mistaken for the end of the rows.
    template <typename OnRow> Expected<void, Error> forEachRow(OnRow&& onRow)
    {
        for (;;) {
            auto row = step();
            if (!row) {
                return Unexpected(row.error());
            }
            if (!*row) {
                return {};
            }
            if constexpr (std::is_void_v<std::invoke_result_t<OnRow&, Statement&>>) {
                onRow(*this);
            } else if (auto done = onRow(*this); !done) {
                return done;
            }
        }
    }
    // Steps to completion (INSERT/UPDATE/DELETE); a row is a programming error reported as StoreIo.
    Expected<void, Error> run();
    void reset();
    // The largest parameter index the statement uses.
    int parameterCount() const;

    int columnCount() const;
    bool isNull(int column) const;
    std::int64_t integer(int column) const;
    std::string text(int column) const;
    std::optional<std::string> optionalText(int column) const;
    std::vector<std::uint8_t> blob(int column) const;

private:
    void noteBindError(int rc);
    const SqliteApi* m_api;
    sqlite3* m_db;
    sqlite3_stmt* m_stmt;
    std::string m_context; // the statement's first words, for error messages
    int m_bindError = 0;
};

} // namespace zaitaku::sync::sql
