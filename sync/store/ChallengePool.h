#pragma once

// Gateway-issued challenges downloaded before a route (docs/design/DESIGN.md §3.3), so a visit with no signal
// still signs a fresh, single-use challenge. A challenge is consumed in the same transaction as the
// visit that used it, and never twice (a trigger enforces it too).

#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "sync/sql/Database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::sync::store
{

struct PooledChallenge
{
    std::string id;
    std::vector<std::uint8_t> nonce; // what the card signs
    std::string token;               // the gateway's signed, device-bound statement (opaque here)
    base::Timestamp issuedAt = base::Timestamp::fromUtc({});
    base::Timestamp expiresAt = base::Timestamp::fromUtc({});
};

class ChallengePool
{
public:
    // Inside the caller's transaction. Already-known ids are ignored (a re-downloaded batch).
    static Expected<std::size_t, Error>
    add(sql::Database& db, const std::vector<PooledChallenge>& batch, const base::Timestamp& now);
    // Unused and not expired at `now`.
    static Expected<std::int64_t, Error> available(sql::Database& db, const base::Timestamp& now);
    // The unused challenge expiring soonest, or none (the caller then makes a local one).
    static Expected<std::optional<PooledChallenge>, Error> peek(sql::Database& db, const base::Timestamp& now);
    // Conflict when already used or expired. The visit engine takes its challenge (in its own
    // transaction) before the card signs it, so an aborted visit burns its challenge too.
    static Expected<void, Error>
    consume(sql::Database& db, const std::string& id, const std::string& visitId, const base::Timestamp& now);
    // Inside the visit's transaction: the challenge is used by this visit (consumed now if it was
    // still unused); Conflict when another visit used it or it is unknown.
    static Expected<void, Error>
    claimFor(sql::Database& db, const std::string& id, const std::string& visitId, const base::Timestamp& now);
};

} // namespace zaitaku::sync::store
