#pragma once

// Cached eligibility results (immutable snapshots: a newer result is a new row, never an edit)
// and the re-query key each confirmed result yields (docs/design/DOMAIN.md §2.6, R7). The raw OQS XML is kept
// verbatim beside the parsed fields.

#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "sync/sql/Database.h"
#include "verify/model/EligibilitySnapshot.h"
#include "verify/model/Patient.h"

#include <optional>
#include <string>

namespace zaitaku::sync::store
{

struct CachedSnapshot
{
    model::EligibilitySnapshot snapshot; // with rawXml/rawEncoding
    base::Timestamp receivedAt = base::Timestamp::fromUtc({});
};

struct RequeryKey
{
    std::string patientId;
    model::InsuredNumbers insured;
    base::Date birthdate = base::Date::fromSysDays({});
    std::string derivedFromSnapshotId;
};

class SnapshotCache
{
public:
    // Inside the caller's transaction. A confirmed result (isConfirmed()) with insurer numbers and a
    // birth date also replaces the patient's re-query key.
    static Expected<void, Error>
    add(sql::Database& db, const model::EligibilitySnapshot& snapshot, const base::Timestamp& receivedAt);
    static Expected<std::optional<CachedSnapshot>, Error> latestFor(sql::Database& db, const std::string& patientId);
    static Expected<std::optional<RequeryKey>, Error> requeryKeyFor(sql::Database& db, const std::string& patientId);
    // Whether a result with this id is already cached (the feed and a pre-check may both bring it).
    static Expected<bool, Error> contains(sql::Database& db, const std::string& snapshotId);
};

} // namespace zaitaku::sync::store
