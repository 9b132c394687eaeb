#pragma once

// A visit's record as one business event: the visit, its evidence bundles, consents, fallback
// evidence, the consumed challenge, the outbox row that carries it all to the gateway and the audit
// row commit in one transaction (synchronous=FULL) — or none of them does.

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/sql/Database.h"
#include "sync/store/DeviceSigningKey.h"
#include "sync/store/Store.h"
#include "verify/model/Consent.h"
#include "verify/model/Evidence.h"
#include "verify/model/FallbackEvidence.h"
#include "verify/model/Visit.h"
#include "verify/model/VisitRecord.h"

#include <optional>
#include <string>
#include <vector>

namespace zaitaku::sync::store
{

// What a commit sealed: the canonical hash of each evidence bundle, in the record's order.
struct CommittedVisit
{
    std::vector<std::string> evidenceSha256;
};

struct StoredVisit
{
    model::Visit visit;
    std::vector<std::string> evidenceSha256;
    bool queued = false; // its outbox row exists
};

class VisitLedger
{
public:
    static constexpr const char* kOutboxKind = "visit";

    // With a signer, each evidence bundle's SHA-256 is signed with the tablet's Ed25519 key
    // (stored beside the bundle and sent with it).
    static Expected<CommittedVisit, Error> commit(Store& store,
                                                  const model::VisitRecord& record,
                                                  const std::string& actor,
                                                  const DeviceSigningKey* signer = nullptr);
    static Expected<std::optional<StoredVisit>, Error> find(sql::Database& db, const std::string& visitId);
    // The date of the patient's last recorded visit before `before` (お薬・健診: "dose changed
    // since the last visit", issue 33); none when there was none.
    static Expected<std::optional<base::Date>, Error>
    lastVisitBefore(sql::Database& db, const std::string& patientId, const base::Date& before);
};

} // namespace zaitaku::sync::store
