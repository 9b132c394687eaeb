#include "sync/store/Outbox.h"

#include "base/CanonicalJson.h"
#include "base/Sha256.h"
#include "sync/sql/SqlTime.h"

namespace zaitaku::sync::store
{

namespace
{

// ?1,?2,… for an IN list.
std::string placeholders(std::size_t n, int first)
{
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += (i == 0 ? "?" : ",?") + std::to_string(first + static_cast<int>(i));
    }
    return out;
}

Expected<std::vector<OutboxItem>, Error> readItems(sql::Statement& stmt)
{
    std::vector<OutboxItem> items;
    auto done = stmt.forEachRow([&](const sql::Statement& row) {
        OutboxItem item;
        item.seq = row.integer(0);
        item.idemKey = row.text(1);
        item.kind = row.text(2);
        item.recordId = row.text(3);
        item.payload = row.text(4);
        item.payloadSha256 = row.text(5);
        item.state = base::fromCode<OutboxState>(row.text(6)).value_or(OutboxState::Queued);
        item.attempts = static_cast<int>(row.integer(7));
        item.lastError = row.text(8);
        item.createdAt = row.text(9);
        items.push_back(std::move(item));
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return items;
}

constexpr const char* kItemColumns =
    "seq, idem_key, kind, record_id, payload, payload_sha256, state, attempts, last_error, created_at";

Expected<void, Error> updateMany(sql::Database& db,
                                 const std::string& sqlHead,
                                 std::span<const std::int64_t> seqs,
                                 const std::vector<std::string>& leading)
{
    if (seqs.empty()) {
        return {};
    }
    const int first = static_cast<int>(leading.size()) + 1;
    auto stmt = db.prepare(sqlHead + " WHERE seq IN (" + placeholders(seqs.size(), first) + ")");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    for (std::size_t i = 0; i < leading.size(); ++i) {
        stmt->bind(static_cast<int>(i) + 1, leading[i]);
    }
    for (std::size_t i = 0; i < seqs.size(); ++i) {
        stmt->bind(first + static_cast<int>(i), seqs[i]);
    }
    return stmt->run();
}

} // namespace

Expected<void, Error> Outbox::enqueue(sql::Database& db,
                                      const std::string& idemKey,
                                      const std::string& kind,
                                      const std::string& recordId,
                                      const std::string& canonicalPayload,
                                      const base::Timestamp& now)
{
    const std::string hash = base::sha256Hex(canonicalPayload);
    auto existing = db.prepare("SELECT payload_sha256 FROM outbox WHERE idem_key = ?1");
    if (!existing) {
        return Unexpected(existing.error());
    }
    existing->bind(1, idemKey);
    auto row = existing->step();
    if (!row) {
        return Unexpected(row.error());
    }
    if (*row) {
        if (existing->text(0) == hash) {
            return {};
        }
        return Unexpected(
            Error{Errc::Conflict, "outbox key " + idemKey + " was already queued with another payload", "idem_key"});
    }
    auto insert =
        db.prepare("INSERT INTO outbox (idem_key, kind, record_id, payload, payload_sha256, state, created_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?6)");
    if (!insert) {
        return Unexpected(insert.error());
    }
    insert->bind(1, idemKey)
        .bind(2, kind)
        .bind(3, recordId)
        .bind(4, canonicalPayload)
        .bind(5, hash)
        .bind(6, sql::utcText(now));
    return insert->run();
}

Expected<std::vector<OutboxItem>, Error>
Outbox::nextBatch(sql::Database& db, std::size_t limit, const base::Timestamp& now)
{
    auto stmt = db.prepare(std::string("SELECT ") + kItemColumns +
                           " FROM outbox WHERE state IN ('queued', 'sending') "
                           "AND (next_attempt_at IS NULL OR next_attempt_at <= ?1) ORDER BY seq LIMIT ?2");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, sql::utcText(now)).bind(2, static_cast<std::int64_t>(limit));
    return readItems(*stmt);
}

Expected<void, Error> Outbox::markSending(sql::Database& db, std::span<const std::int64_t> seqs)
{
    return updateMany(db, "UPDATE outbox SET state = 'sending', attempts = attempts + 1", seqs, {});
}

Expected<void, Error> Outbox::acknowledge(sql::Database& db,
                                          std::span<const std::int64_t> seqs,
                                          const std::string& receipt,
                                          const base::Timestamp& now)
{
    return updateMany(db,
                      "UPDATE outbox SET state = 'acked', acked_at = ?1, receipt = ?2, last_error = NULL, "
                      "next_attempt_at = NULL",
                      seqs, {sql::utcText(now), receipt});
}

Expected<void, Error> Outbox::recordFailure(sql::Database& db,
                                            std::int64_t seq,
                                            const std::string& reason,
                                            bool permanent,
                                            const std::optional<base::Timestamp>& retryAt)
{
    auto stmt = db.prepare("UPDATE outbox SET state = ?1, last_error = ?2, next_attempt_at = ?3 "
                           "WHERE seq = ?4 AND state IN ('queued', 'sending')");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, permanent ? "dead" : "queued").bind(2, reason);
    if (retryAt && !permanent) {
        stmt->bind(3, sql::utcText(*retryAt));
    } else {
        stmt->bindNull(3);
    }
    stmt->bind(4, seq);
    return stmt->run();
}

Expected<std::int64_t, Error> Outbox::requeueAcknowledged(sql::Database& db)
{
    if (auto done = db.exec("UPDATE outbox SET state = 'queued', next_attempt_at = NULL "
                            "WHERE state = 'acked' AND payload IS NOT NULL",
                            "requeue acknowledged");
        !done) {
        return Unexpected(done.error());
    }
    return static_cast<std::int64_t>(db.changes());
}

Expected<void, Error> Outbox::clearBackoff(sql::Database& db)
{
    return db.exec("UPDATE outbox SET next_attempt_at = NULL WHERE state = 'queued' AND next_attempt_at IS NOT NULL",
                   "clear backoff");
}

Expected<bool, Error> Outbox::requeue(sql::Database& db, std::int64_t seq)
{
    auto stmt =
        db.prepare("UPDATE outbox SET state = 'queued', next_attempt_at = NULL WHERE seq = ?1 AND state = 'dead'");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, seq);
    if (auto done = stmt->run(); !done) {
        return Unexpected(done.error());
    }
    return db.changes() == 1;
}

Expected<OutboxCounts, Error> Outbox::counts(sql::Database& db)
{
    auto stmt = db.prepare("SELECT state, count(*), min(created_at) FROM outbox GROUP BY state");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    OutboxCounts counts;
    auto done = stmt->forEachRow([&](const sql::Statement& row) {
        const auto state = base::fromCode<OutboxState>(row.text(0));
        // Timestamps of one format and zone compare as text.
        if (state && *state != OutboxState::Acked &&
            (counts.oldestUnsent.empty() || row.text(2) < counts.oldestUnsent)) {
            counts.oldestUnsent = row.text(2);
        }
        if (!state) {
            return;
        }
        const std::int64_t n = row.integer(1);
        switch (*state) {
        case OutboxState::Queued:
            counts.queued = n;
            break;
        case OutboxState::Sending:
            counts.sending = n;
            break;
        case OutboxState::Acked:
            counts.acked = n;
            break;
        case OutboxState::Dead:
            counts.dead = n;
            break;
        }
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return counts;
}

Expected<std::vector<OutboxItem>, Error> Outbox::deadLetters(sql::Database& db, std::size_t limit)
{
    auto stmt =
        db.prepare(std::string("SELECT ") + kItemColumns + " FROM outbox WHERE state = 'dead' ORDER BY seq LIMIT ?1");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, static_cast<std::int64_t>(limit));
    return readItems(*stmt);
}

} // namespace zaitaku::sync::store
