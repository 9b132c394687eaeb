#pragma once

// What the visit engine needs from the layer above it, as interfaces (the store implements them in
// sync/store/StoreVisitPort): the patient's context, one atomic commit of the whole record, and
// an audit journal for every transition. The engine never sees SQL, and tests can count calls.

#include "base/Expected.h"
#include "base/Timestamp.h"
#include "verify/model/CareRelationship.h"
#include "verify/model/Consent.h"
#include "verify/model/CustodyEvent.h"
#include "verify/model/EligibilitySnapshot.h"
#include "verify/model/Evidence.h"
#include "verify/model/FallbackEvidence.h"
#include "verify/model/Patient.h"
#include "verify/model/Visit.h"
#include "verify/model/VisitRecord.h"
#include "verify/visit/VisitError.h"
#include "verify/visit/VisitState.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::visit
{

struct CachedResult
{
    model::EligibilitySnapshot snapshot;
    base::Timestamp receivedAt = base::Timestamp::fromUtc({});
};

struct PatientContext
{
    model::Patient patient;
    std::optional<model::CareRelationship> care; // for the visit's service kind
    std::optional<CachedResult> latest;          // the newest cached eligibility result
    std::optional<model::CustodyEvent> custody;  // the card's latest custody event, if any
};

struct CommitReceipt
{
    std::vector<std::string> evidenceSha256; // the canonical bundle hash of each evidence
    bool queued = false;                     // its outbox row exists
};

struct TransitionRecord
{
    std::string visitId;
    std::string patientId;
    std::string actor; // the staff id
    VisitState from = VisitState::Started;
    VisitEvent event = VisitEvent::Abort;
    VisitState to = VisitState::Started;
    base::Timestamp at = base::Timestamp::fromUtc({});
    std::int64_t monotonicNs = 0;
    std::map<std::string, std::string> detail; // never a PIN, an image or medical content
};

class VisitRepository
{
public:
    virtual ~VisitRepository() = default;
    virtual Expected<PatientContext, Error> load(const std::string& patientId, model::ServiceKind kind) = 0;
    // One transaction: visit, evidence, consents, fallbacks, the challenge, the outbox row, audit.
    virtual Expected<CommitReceipt, Error> commit(const model::VisitRecord& record, const std::string& actor) = 0;
};

// F2 with signal: the gateway's re-query for today (seed 004 再照会). An error means it could not
// be asked (no signal, not enrolled, timeout): the revisit is then recorded as pending.
struct RequeryAnswer
{
    bool allowed = false;              // the gateway (R7) allowed it; false: read the card
    std::string reason;                // the gateway's code
    std::string reasonJa;              // its words, for staff
    std::optional<CachedResult> fresh; // OQS's answer for today, when it came back
};

class RequeryPort
{
public:
    virtual ~RequeryPort() = default;
    virtual Expected<RequeryAnswer, Error>
    requery(const std::string& patientId, model::ServiceKind kind, const base::Date& date) = 0;
};

class VisitJournal
{
public:
    virtual ~VisitJournal() = default;
    virtual Expected<void, Error> record(const TransitionRecord& transition) = 0;
};

} // namespace zaitaku::visit
