#pragma once

// verify/model records ⇄ JSON, lossless: eligibility snapshots (the raw XML travels separately and
// verbatim), visits, evidence, consents, fallback evidence and custody events. One field list per
// type drives both directions (and the records' JSON Schemas), so they cannot drift apart. Reading
// is strict: a missing field, a wrong type, an unknown code or (in a record, not a snapshot) a field
// the list does not know is an error naming the field. Bytes (certificates, signatures) are
// hex (written upper-case by base::toHex, read in either case).

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "verify/model/Consent.h"
#include "verify/model/CustodyEvent.h"
#include "verify/model/EligibilitySnapshot.h"
#include "verify/model/Evidence.h"
#include "verify/model/FallbackEvidence.h"
#include "verify/model/Visit.h"

#include <nlohmann/json_fwd.hpp>
#include <string_view>

namespace zaitaku::sync::protocol
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

// The version of the record payloads a tablet writes (`payload_version`; absent in records made
// before it was written, which are version 1). A newer tablet adds fields under a new version,
// never silently: a record of a version the gateway does not know is refused, naming the field.
inline constexpr int kRecordPayloadVersion = 1;

// The JSON Schema of a record kind's payload ("visit", "consent_revocation", "custody"), from the
// same field lists; null for another kind. docs/schemas holds them written out.
nlohmann::json recordPayloadSchema(std::string_view kind);

} // namespace zaitaku::sync::protocol
