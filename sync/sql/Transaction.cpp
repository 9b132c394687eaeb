#include "sync/sql/Transaction.h"

namespace zaitaku::sync::sql
{

Expected<Transaction, Error> Transaction::begin(Database& db, Durability durability)
{
    if (auto set = db.setDurability(durability); !set) {
        return Unexpected(set.error());
    }
    if (auto begun = db.exec("BEGIN IMMEDIATE", "begin transaction"); !begun) {
        return Unexpected(begun.error());
    }
    return Transaction(db);
}

Transaction::Transaction(Transaction&& other) noexcept
    : m_db(other.m_db)
    , m_open(other.m_open)
{
    other.m_open = false;
}

Transaction::~Transaction()
{
    if (m_open) {
        // Best effort: if the connection is broken SQLite has already rolled back.
        (void)m_db->exec("ROLLBACK", "rollback");
    }
}

Expected<void, Error> Transaction::commit()
{
    auto committed = m_db->exec("COMMIT", "commit");
    if (committed) {
        m_open = false;
    }
    // On failure the transaction stays open and the destructor rolls it back: a failed COMMIT
    // (disk full, I/O error) leaves the last committed state.
    return committed;
}

} // namespace zaitaku::sync::sql
