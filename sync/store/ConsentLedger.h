#pragma once

// Consents as records (F5): given in a visit (inserted by VisitLedger), withdrawn by a revocation
// record of their own that names the consent it withdraws. The withdrawn consent is marked with the
// revocation time in the same transaction (the only change a consent row ever accepts), and the
// revocation is synced and audited like a visit.

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/sql/Database.h"
#include "sync/store/Store.h"
#include "verify/model/Consent.h"

#include <string>
#include <vector>

namespace zaitaku::sync::store
{

class ConsentLedger
{
public:
    static constexpr const char* kOutboxKind = "consent_revocation";

    // Inside the caller's transaction. Refuses a consent without its text version and SHA-256.
    static Expected<void, Error> insert(sql::Database& db, const model::Consent& consent, const std::string& visitId);
    // `revocation` has revokesConsentId set, given=false, and the version + hash of the revocation
    // text shown. Conflict when the consent is unknown, of another patient, or already withdrawn.
    static Expected<void, Error> revoke(Store& store, const model::Consent& revocation, const std::string& actor);
    // The patient's consents still in force (given, not withdrawn), newest first.
    static Expected<std::vector<model::Consent>, Error> active(sql::Database& db, const std::string& patientId);
};

} // namespace zaitaku::sync::store
