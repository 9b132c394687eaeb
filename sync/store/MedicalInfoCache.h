#pragma once

// Medical information downloaded under the patient's consent (薬剤・診療・手術・特定健診, F4).
// It may be shown only until its AvailableTime (the authoritative deadline, docs/design/DOMAIN.md F4 rule);
// reads never return expired rows and Retention purges them.

#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "sync/sql/AuditLog.h"
#include "sync/sql/Database.h"
#include "verify/model/Consent.h"

#include <cstdint>
#include <string>
#include <vector>

namespace zaitaku::sync::store
{

struct MedicalInfo
{
    std::string id;
    std::string patientId;
    model::ConsentKind kind = model::ConsentKind::Pharmacy;
    std::vector<std::uint8_t> payload; // the gateway's item as received (protocol::MedicalInfoItem JSON)
    base::Timestamp receivedAt = base::Timestamp::fromUtc({});
    base::Timestamp availableUntil = base::Timestamp::fromUtc({});
};

class MedicalInfoCache
{
public:
    // Inside the caller's transaction. Refused when already past its deadline.
    static Expected<void, Error> put(sql::Database& db, const MedicalInfo& info, const base::Timestamp& now);
    // The patient's earlier copy of that kind goes, then `info` is put (inside the caller's transaction).
    static Expected<void, Error> replace(sql::Database& db, const MedicalInfo& info, const base::Timestamp& now);
    // Issue 33: consent withdrawn or window closed — every copy of that kind for the patient goes,
    // with an audit row naming `actor` and why. Returns how many rows were removed.
    static Expected<std::int64_t, Error> wipe(sql::Database& db,
                                              const std::string& patientId,
                                              model::ConsentKind kind,
                                              const std::string& actor,
                                              const std::string& reason,
                                              const base::Timestamp& now);
    static Expected<std::vector<MedicalInfo>, Error>
    availableFor(sql::Database& db, const std::string& patientId, const base::Timestamp& now);
};

} // namespace zaitaku::sync::store
