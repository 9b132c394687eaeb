#pragma once

// POST /v1/medinfo (docs/PROTOCOL.md "Medical information"): a tablet asks for the 薬剤情報 and
// 特定健診情報 of a patient on its roster, naming the staff member who will read them. The gateway
// answers with what it holds inside the viewing window, or a job while OQS is asked, or why not
// (reason codes below). The histories travel as typed JSON (verify/model/MedicalInformation.h);
// the source XML stays at the gateway.

#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "verify/model/Consent.h"
#include "verify/model/MedicalInformation.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zaitaku::sync::protocol
{

struct MedicalInfoQuery
{
    std::string patientId;
    std::string serviceKind; // model::ServiceKind code
    std::string staffId;     // who reads (audited); a staff account the gateway knows
};

struct MedicalInfoItem
{
    model::ConsentKind kind = model::ConsentKind::Pharmacy; // pharm or checkup
    base::Timestamp fetchedAt = base::Timestamp::fromUtc({});
    base::Timestamp viewUntil = base::Timestamp::fromUtc({}); // the tablet wipes it then
    std::string basis;                                        // rules::WindowBasis code
    std::optional<model::MedicationHistory> medication;
    std::optional<model::CheckupHistory> checkups;
};

struct MedicalInfoAnswer
{
    bool allowed = false;
    std::string reason;   // "available", "oqs_pending", or why not (docs/PROTOCOL.md)
    std::string reasonJa; // what the nurse reads
    std::vector<MedicalInfoItem> items;
    std::optional<std::string> jobId;
};

nlohmann::json toJson(const MedicalInfoQuery& m);
nlohmann::json toJson(const MedicalInfoItem& m);
nlohmann::json toJson(const MedicalInfoAnswer& m);
Expected<MedicalInfoQuery, Error> parseMedicalInfoQuery(std::string_view body);
Expected<MedicalInfoAnswer, Error> parseMedicalInfoAnswer(std::string_view body);
// One item as the tablet caches it (the same JSON).
Expected<MedicalInfoItem, Error> parseMedicalInfoItem(const nlohmann::json& json);

nlohmann::json toJson(const model::MedicationHistory& h);
nlohmann::json toJson(const model::CheckupHistory& h);

} // namespace zaitaku::sync::protocol
