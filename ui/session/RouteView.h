#pragma once

// Today's route as the tablet knows it offline: every patient on the roster with their age, the
// service they receive, the newest cached eligibility result with its age, and the pre-check flags
// that result raises (the gateway's own precheckFlags, applied to the cached copy). The app's
// route screen and `zaitaku-cli route` both show this; `pre-check now` refreshes the cache first
// (SyncEngine::precheck) and adds the flags only the gateway knows (the card certificate's
// expiry, the OQS terminal not answering).

#include "base/Timestamp.h"
#include "sync/sql/Database.h"
#include "sync/store/SnapshotCache.h"
#include "verify/model/CareRelationship.h"
#include "verify/model/Patient.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::session
{

struct RouteEntry
{
    model::Patient patient;
    int ageYears = 0;
    std::vector<model::CareRelationship> care;
    std::optional<sync::store::CachedSnapshot> latest;
    std::optional<std::chrono::minutes> resultAge; // how old the cached result is
    std::vector<std::string> flags;                // PROTOCOL.md "Route pre-check" flag codes
    std::vector<std::string> notes;                // Japanese, with values (a task's detail)
};

Expected<std::vector<RouteEntry>, sync::Error> loadRoute(sync::sql::Database& db, const base::Timestamp& now);

// Merges flags (e.g. the gateway's answer to a pre-check) into an entry's, without repeats.
void addFlags(RouteEntry& entry, const std::vector<std::string>& flags);

// What a flag means, in Japanese (the app translates it; the CLI prints it beside the code).
const char* flagLabel(const std::string& flag);

// "3 分前", "5 時間前", "2 日前": a cached result's age as the nurse reads it.
std::string ageLabel(std::chrono::minutes age);

} // namespace zaitaku::session
