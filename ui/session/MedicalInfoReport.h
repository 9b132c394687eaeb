#pragma once

// The 「お薬・健診」 view of a patient (issue 33), from the tablet's cache only (it works offline):
// medications by date and facility, the review's warnings (重複投薬の可能性, 用量変更), checkups by
// year with out-of-range values marked, when the data was fetched and until when it may be viewed.
// Nothing is shown once the window closed: the cache returns no expired row. The app and
// `zaitaku-cli medinfo` both render this.

#include "base/Date.h"
#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "sync/store/Store.h"
#include "verify/rules/CheckupRanges.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::session
{

struct MedicationDrug
{
    std::string name;
    std::string dose;  // quantity + unit as written
    std::string usage; // 用法
    std::string days;  // Times as written
};

struct MedicationLine
{
    std::optional<base::Date> date;
    std::string source;     // 調剤 / 処方 / 診療
    std::string facility;   // who dispensed (or treated)
    std::string prescriber; // who prescribed
    std::vector<MedicationDrug> drugs;
};

struct CheckupLine
{
    std::string name;
    std::string value;
    std::string unit;
    std::optional<rules::CheckupMark> mark;
};

struct CheckupYear
{
    std::optional<base::Date> date;
    std::vector<CheckupLine> items;
};

struct MedicalInfoReport
{
    bool viewable = false;
    std::string reasonJa; // when nothing may be shown
    std::string subjectName;
    std::optional<base::Timestamp> fetchedAt;
    std::optional<base::Timestamp> viewUntil; // the earliest of the kinds shown
    std::vector<MedicationLine> medications;  // newest first
    std::vector<std::string> warnings;        // Japanese, for the screen
    std::vector<CheckupYear> checkups;        // newest first
};

// `lastVisit`: the patient's previous visit, for "dose changed since the last visit" (none: the
// last visit recorded on this tablet before today).
Expected<MedicalInfoReport, sync::Error>
medicalInfoReport(sync::store::Store& store, const std::string& patientId, std::optional<base::Date> lastVisit);

nlohmann::json toJson(const MedicalInfoReport& report);
// The lines `zaitaku-cli medinfo` prints; `now` for 「5分前」; at most `maxMedications` dates (the newest).
std::string toText(const MedicalInfoReport& report, const base::Timestamp& now, std::size_t maxMedications = SIZE_MAX);
// "2026-12-09 17:50" in JST.
std::string jstMinutes(const base::Timestamp& t);

// 「たった今」, 「5分前」, 「3時間前」, 「2日前」 (issue 31: no raw timestamps for staff).
std::string timeAgoJa(const base::Timestamp& then, const base::Timestamp& now);
// 「あと23時間」, 「あと5分」, 「期限切れ」.
std::string timeLeftJa(const base::Timestamp& until, const base::Timestamp& now);

} // namespace zaitaku::session
