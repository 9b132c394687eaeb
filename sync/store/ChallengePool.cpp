#include "sync/store/ChallengePool.h"

namespace zaitaku::sync::store
{

Expected<std::size_t, Error>
ChallengePool::add(sql::Database& db, const std::vector<PooledChallenge>& batch, const base::Timestamp& now)
{
    auto insert = db.prepare("INSERT INTO challenge (id, nonce, token, issued_at, expires_at, received_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO NOTHING");
    if (!insert) {
        return Unexpected(insert.error());
    }
    std::size_t added = 0;
    for (const auto& c : batch) {
        if (c.id.empty() || c.nonce.empty() || c.expiresAt <= c.issuedAt) {
            return Unexpected(
                Error{Errc::InvalidInput, "a challenge needs an id, a nonce and an expiry after issue", "challenge"});
        }
        insert->reset();
        insert->bind(1, c.id).bindBlob(2, c.nonce).bind(3, c.token).bind(4, c.issuedAt).bind(5, c.expiresAt);
        insert->bind(6, now);
        if (auto done = insert->run(); !done) {
            return Unexpected(done.error());
        }
        added += static_cast<std::size_t>(db.changes());
    }
    return added;
}

Expected<std::int64_t, Error> ChallengePool::available(sql::Database& db, const base::Timestamp& now)
{
    auto stmt = db.prepare("SELECT count(*) FROM challenge WHERE used_at IS NULL AND expires_at > ?1");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, now);
    auto row = stmt->step();
    if (!row) {
        return Unexpected(row.error());
    }
    return stmt->integer(0);
}

Expected<std::optional<PooledChallenge>, Error> ChallengePool::peek(sql::Database& db, const base::Timestamp& now)
{
    auto stmt = db.queryRow("SELECT id, nonce, token, issued_at, expires_at FROM challenge "
                            "WHERE used_at IS NULL AND expires_at > ?1 ORDER BY expires_at, id LIMIT 1",
                            now);
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    if (!*stmt) {
        return std::optional<PooledChallenge>{};
    }
    const auto& row = **stmt;
    auto issued = base::Timestamp::parse(row.text(3));
    auto expires = base::Timestamp::parse(row.text(4));
    if (!issued || !expires) {
        return Unexpected(Error{Errc::StoreCorrupted, "a pooled challenge has unreadable times"});
    }
    return std::optional<PooledChallenge>(PooledChallenge{row.text(0), row.blob(1), row.text(2), *issued, *expires});
}

Expected<void, Error>
ChallengePool::consume(sql::Database& db, const std::string& id, const std::string& visitId, const base::Timestamp& now)
{
    auto stmt = db.prepare("UPDATE challenge SET used_at = ?1, used_by_visit = ?2 "
                           "WHERE id = ?3 AND used_at IS NULL AND expires_at > ?1");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, now).bind(2, visitId).bind(3, id);
    if (auto done = stmt->run(); !done) {
        return Unexpected(done.error());
    }
    if (db.changes() != 1) {
        return Unexpected(
            Error{Errc::Conflict, "challenge " + id + " is unknown, already used or expired", "challenge"});
    }
    return {};
}

Expected<void, Error> ChallengePool::claimFor(sql::Database& db,
                                              const std::string& id,
                                              const std::string& visitId,
                                              const base::Timestamp& now)
{
    auto stmt = db.queryRow("SELECT used_by_visit FROM challenge WHERE id = ?1", id);
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    if (!*stmt) {
        return Unexpected(Error{Errc::Conflict, "challenge " + id + " is unknown", "challenge"});
    }
    const auto& row = **stmt;
    if (row.isNull(0)) {
        return consume(db, id, visitId, now);
    }
    if (row.text(0) != visitId) {
        return Unexpected(Error{Errc::Conflict, "challenge " + id + " was used by another visit", "challenge"});
    }
    return {};
}

} // namespace zaitaku::sync::store
