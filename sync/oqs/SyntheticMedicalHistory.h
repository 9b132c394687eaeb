#pragma once

// Synthetic 薬剤 and 特定健診 histories for the simulator, the demo, the tests and the bench
// (issue 33). A person's regimens (a drug taken for a period, dispensed every `days` days by one
// pharmacy on one facility's prescription, optionally with a dose change) become dispensing
// events relative to the request's end date; checkup items have one value per year, newest
// first. Nothing here is real: drug and item codes start with "SIM" (the code systems are Q7).
//
//   "medical": {"regimens": [{"drug_code": "SIM0001", "drug_name": "アムロジピン錠5mg",
//                "ingredient": "アムロジピンベシル酸塩", "quantity": "1", "unit": "錠",
//                "usage": "1日1回朝食後", "days": 28, "prescriber_code": "1310000001",
//                "prescriber_name": "…", "pharmacy_code": "1340000001", "pharmacy_name": "…",
//                "start_days_ago": 1000, "stop_days_ago": 0,
//                "dose_change_days_ago": 60, "new_quantity": "2"}],
//               "checkups": [{"code": "SIM-BP-S", "name": "収縮期血圧", "unit": "mmHg",
//                             "values": ["142", "128"]}]}
//   "medical": "demo" is the demo's history (SyntheticMedicalHistory.cpp).

#include "base/Date.h"
#include "base/Expected.h"
#include "sync/SyncError.h"
#include "verify/model/MedicalInformation.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::sync::oqs
{

struct SimRegimen
{
    model::Drug drug; // code, name, ingredient, quantity, unit, usage; times = days
    int days = 28;
    std::string prescriberCode, prescriberName, pharmacyCode, pharmacyName;
    int startDaysAgo = 365;
    int stopDaysAgo = 0;
    std::optional<int> doseChangeDaysAgo;
    std::string newQuantity;
};

struct SimCheckupItem
{
    model::CheckupItem item;         // code, name, unit (value per year below)
    std::vector<std::string> values; // newest first; "" = not measured that year
};

struct SimMedical
{
    std::vector<SimRegimen> regimens;
    std::vector<SimCheckupItem> checkups;
};

Expected<SimMedical, Error> parseSimMedical(const nlohmann::json& json);

// 調剤 events from `from` to `to` (inclusive), one per (pharmacy, prescriber, date) with its drugs.
model::MedicationHistory synthesizeMedication(const SimMedical& medical, base::Date from, base::Date to);
// One checkup a year on `to`'s month and day, for as many years as there are values, within 5 years.
model::CheckupHistory synthesizeCheckups(const SimMedical& medical, base::Date to);

// The bench's history: `events` dispensings over `years`, several facilities, one ingredient from
// two of them, one dose change.
SimMedical benchMedical(int events, int years);

} // namespace zaitaku::sync::oqs
