#pragma once

// verify/model records ⇄ JSON, lossless: eligibility snapshots (the raw XML travels separately and
// verbatim), visits, evidence, consents, fallback evidence and custody events. One field list per
// type drives both directions, so they cannot drift apart. Reading is strict: a missing field, a
// wrong type or an unknown code is an error naming the field. Bytes (certificates, signatures) are
// lower-case hex.

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "verify/model/Consent.h"
#include "verify/model/CustodyEvent.h"
#include "verify/model/EligibilitySnapshot.h"
#include "verify/model/Evidence.h"
#include "verify/model/FallbackEvidence.h"
#include "verify/model/Visit.h"

#include <nlohmann/json_fwd.hpp>

namespace zaitaku::sync::store
{

// rawXml and rawEncoding are not part of the JSON (stored as their own column/blob).
nlohmann::json snapshotToJson(const model::EligibilitySnapshot& snapshot);
Expected<model::EligibilitySnapshot, Error> snapshotFromJson(const nlohmann::json& json);

nlohmann::json toJson(const model::Visit& visit);
nlohmann::json toJson(const model::Evidence& evidence);
nlohmann::json toJson(const model::Consent& consent);
nlohmann::json toJson(const model::FallbackEvidence& fallback);
nlohmann::json toJson(const model::CustodyEvent& event);

Expected<model::Visit, Error> visitFromJson(const nlohmann::json& json);
Expected<model::Evidence, Error> evidenceFromJson(const nlohmann::json& json);
Expected<model::Consent, Error> consentFromJson(const nlohmann::json& json);
Expected<model::FallbackEvidence, Error> fallbackFromJson(const nlohmann::json& json);
Expected<model::CustodyEvent, Error> custodyEventFromJson(const nlohmann::json& json);

} // namespace zaitaku::sync::store
