#pragma once

// What the tablet may no longer keep, and its removal:
//   - medical information past its AvailableTime (docs/design/DOMAIN.md F4);
//   - fallback evidence (e.g. 申立書 fields) after its discard_after date — only once the visit it
//     belongs to has been acknowledged by the gateway, which keeps it for the claim;
//   - the payloads of acknowledged outbox rows older than the configured age (the row, its hash
//     and the receipt stay: what was sent remains provable).
// Each purge runs in one transaction and leaves one audit row per kind (what, how many, why) —
// never the data itself. Unsynced data is never purged.

#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "sync/sql/Database.h"
#include "sync/store/Store.h"

#include <chrono>
#include <cstdint>

namespace zaitaku::sync::store
{

struct RetentionPolicy
{
    std::chrono::days ackedPayloadAge{30}; // configurable per facility (docs/OPERATIONS.md)
};

struct PurgeCounts
{
    std::int64_t medicalInfo = 0;
    std::int64_t fallbackEvidence = 0;
    std::int64_t outboxPayloads = 0;
    std::int64_t total() const { return medicalInfo + fallbackEvidence + outboxPayloads; }
};

class Retention
{
public:
    // What purge() would remove now (a dry run: reads only).
    static Expected<PurgeCounts, Error>
    plan(sql::Database& db, const base::Timestamp& now, const RetentionPolicy& policy);
    static Expected<PurgeCounts, Error> purge(Store& store, const RetentionPolicy& policy, const std::string& actor);
};

} // namespace zaitaku::sync::store
