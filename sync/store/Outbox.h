#pragma once

// The transactional outbox (docs/design/STORAGE-SYNC-STYLE.md §2.4): every record that must reach the gateway
// is queued in the same transaction as the record itself, under the record's client-generated id
// as idempotency key. Rows are acknowledged only after the gateway committed, together with its
// receipt; permanent refusals go to a visible dead-letter state, never silently dropped.

#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "sync/sql/Database.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace zaitaku::sync::store
{

enum class OutboxState
{
    Queued,
    Sending,
    Acked,
    Dead,
};

struct OutboxItem
{
    std::int64_t seq = 0;
    std::string idemKey;
    std::string kind; // "visit", "custody", "consent_revocation" …
    std::string recordId;
    std::string payload; // canonical JSON; empty once purged after acknowledgement
    std::string payloadSha256;
    OutboxState state = OutboxState::Queued;
    int attempts = 0;
    std::string lastError;
    std::string createdAt;
};

struct OutboxCounts
{
    std::int64_t queued = 0;
    std::int64_t sending = 0;
    std::int64_t acked = 0;
    std::int64_t dead = 0;
    std::string oldestUnsent; // created_at of the oldest row not acknowledged, "" when none
    std::int64_t unsent() const { return queued + sending + dead; }
};

class Outbox
{
public:
    // Inside the caller's transaction. The same key with the same payload is a no-op; with another
    // payload it is Errc::Conflict (a client bug, never a silent overwrite).
    static Expected<void, Error> enqueue(sql::Database& db,
                                         const std::string& idemKey,
                                         const std::string& kind,
                                         const std::string& recordId,
                                         const std::string& canonicalPayload,
                                         const base::Timestamp& now);

    // Oldest first: queued rows (and rows left "sending" by a crash) whose backoff has passed.
    static Expected<std::vector<OutboxItem>, Error>
    nextBatch(sql::Database& db, std::size_t limit, const base::Timestamp& now);
    static Expected<void, Error> markSending(sql::Database& db, std::span<const std::int64_t> seqs);
    // Inside the caller's transaction (with the cursor/receipt the gateway returned).
    static Expected<void, Error> acknowledge(sql::Database& db,
                                             std::span<const std::int64_t> seqs,
                                             const std::string& receipt,
                                             const base::Timestamp& now);
    // Transient: back to queued with a retry time. Permanent: dead letter with the reason.
    static Expected<void, Error> recordFailure(sql::Database& db,
                                               std::int64_t seq,
                                               const std::string& reason,
                                               bool permanent,
                                               const std::optional<base::Timestamp>& retryAt);
    // An operator sends a dead letter again (after fixing what the gateway refused).
    static Expected<bool, Error> requeue(sql::Database& db, std::int64_t seq);

    // The gateway's data set changed (restored from backup): acknowledged rows whose payload is
    // still kept go back to the queue; idempotency keys make the resend safe. Returns the count.
    static Expected<std::int64_t, Error> requeueAcknowledged(sql::Database& db);
    // An operator asked to sync now: queued rows waiting for their backoff become due.
    static Expected<void, Error> clearBackoff(sql::Database& db);

    static Expected<OutboxCounts, Error> counts(sql::Database& db);
    static Expected<std::vector<OutboxItem>, Error> deadLetters(sql::Database& db, std::size_t limit);
};

} // namespace zaitaku::sync::store

#include "base/CodeTable.h"

namespace zaitaku::base
{
template <> struct CodeTable<sync::store::OutboxState>
{
    static constexpr std::string_view name = "OutboxState";
    static constexpr std::array<CodeEntry<sync::store::OutboxState>, 4> entries{{
        {sync::store::OutboxState::Queued, "queued", "送信待ち"},
        {sync::store::OutboxState::Sending, "sending", "送信中"},
        {sync::store::OutboxState::Acked, "acked", "送信済み"},
        {sync::store::OutboxState::Dead, "dead", "送信不可（要対応）"},
    }};
};
} // namespace zaitaku::base
