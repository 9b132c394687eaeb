#pragma once

// One business event = one transaction (BEGIN IMMEDIATE: the write lock is taken up front, so a
// busy store fails at begin, not half-way). Rolled back unless commit() succeeded.

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/sql/Database.h"

namespace zaitaku::sync::sql
{

class Transaction
{
public:
    static Expected<Transaction, Error> begin(Database& db, Durability durability);

    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    Expected<void, Error> commit();
    Database& db() { return *m_db; }

private:
    explicit Transaction(Database& db)
        : m_db(&db)
    {}
    Database* m_db;
    bool m_open = true;
};

} // namespace zaitaku::sync::sql
