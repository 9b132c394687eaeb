#pragma once

// Everything one visit leaves behind, committed all together or not at all: what the visit engine
// hands to its repository (verify/visit/VisitPorts.h), what the tablet's store seals and queues
// (sync/store/VisitLedger) and what a "visit" record carries to the gateway (docs/PROTOCOL.md).

#include "verify/model/Consent.h"
#include "verify/model/Evidence.h"
#include "verify/model/FallbackEvidence.h"
#include "verify/model/Visit.h"

#include <string>
#include <vector>

namespace zaitaku::model
{

struct VisitRecord
{
    Visit visit;
    std::vector<Evidence> evidence;
    std::vector<Consent> consents; // each with the version and SHA-256 of the text shown
    std::vector<FallbackEvidence> fallbacks;
    std::string pooledChallengeId; // used by this visit; empty when none (or a local challenge)
};

} // namespace zaitaku::model
