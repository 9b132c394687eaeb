#pragma once

// What a visit record must carry for what it says happened (issue 34), checked with the same
// words by the tablet before it queues a visit and by the gateway at intake, so a record the
// gateway would refuse is never created:
// - a first visit shows who the person was: a PIN signature, a face match or a staff 目視 decision
//   with its reason (fallback documents make it a fallback visit instead);
// - a fallback visit rests on at least one fallback document;
// - a revisit answered at the door names the answer (pending ones the gateway re-queries);
// - each piece of evidence carries what its method names, the visit lists exactly the evidence
//   and consents it carries, and everything belongs to this visit and this patient.
// The error names the field, in the payload's own paths (`evidence[0].bundle.visual`).

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "verify/model/Consent.h"
#include "verify/model/Evidence.h"
#include "verify/model/FallbackEvidence.h"
#include "verify/model/Visit.h"

#include <cstddef>
#include <string>
#include <vector>

namespace zaitaku::sync::protocol
{

struct VisitRecordParts
{
    const model::Visit& visit;
    const std::vector<model::Evidence>& evidence;
    const std::vector<model::Consent>& consents;
    const std::vector<model::FallbackEvidence>& fallbacks;
};

Expected<void, Error> checkVisitBasis(const VisitRecordParts& record);

// `list[i]`, or `list[i].field`: a list item's path in a payload, as refusals name it.
std::string listItemField(const char* list, std::size_t i, const std::string& field = {});

} // namespace zaitaku::sync::protocol
