#pragma once

// What support and the UI need to know about a store at a glance: record counts, the outbox by
// state, the oldest unsent record, schema and cipher versions, file size. Counts only, no content.

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/store/Outbox.h"
#include "sync/store/Store.h"

#include <cstdint>
#include <map>
#include <string>

namespace zaitaku::sync::store
{

struct StoreStats
{
    std::string storeId;
    std::string cipherVersion;
    std::string sqliteVersion;
    int schemaVersion = 0;
    std::int64_t pageSize = 0;
    std::int64_t fileBytes = 0;
    std::string journalMode;
    std::map<std::string, std::int64_t> rows; // table → row count
    OutboxCounts outbox;
    std::string oldestUnsentAt; // empty when nothing waits
    std::int64_t challengesAvailable = 0;

    static Expected<StoreStats, Error> collect(Store& store);
};

} // namespace zaitaku::sync::store
