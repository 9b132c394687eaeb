#pragma once

// What a visiting physician or nurse should see first in a 薬剤情報 history (issue 33):
//   - 重複投薬の可能性: the same ingredient prescribed by two facilities for overlapping periods;
//   - 用量変更: a drug's dose or usage differs from its previous dispensing (and whether that
//     happened since the patient's last visit).
// A dispensing covers [date, date + Times − 1] days: Times read as days of supply [I: the meaning of
// Times is not public; for 頓服 it may be a count, which only widens the period, capped at 90 days].
// Who prescribed is the prescriber's facility code when the file gives one, else the facility's:
// a prescription and its dispensing by a pharmacy are then one prescriber, not a duplicate.

#include "base/Date.h"
#include "verify/model/MedicalInformation.h"

#include <optional>
#include <string>
#include <vector>

namespace zaitaku::rules
{

struct IngredientOverlap
{
    std::string ingredient;               // IngreN (the drug name when the file gives none)
    std::vector<std::string> prescribers; // facility names (codes when unnamed), two or more
    std::vector<std::string> drugs;       // the drug names involved
    base::Date from = base::Date::fromSysDays({});
    base::Date to = base::Date::fromSysDays({}); // the overlapping days
};

struct DoseChange
{
    std::string drug;   // DrugN
    std::string before; // "1錠 1日1回朝食後" as written
    std::string after;
    base::Date changedOn = base::Date::fromSysDays({});
    base::Date previousOn = base::Date::fromSysDays({});
    bool sinceLastVisit = false;
};

struct MedicationReview
{
    std::vector<IngredientOverlap> overlaps;
    std::vector<DoseChange> doseChanges;
};

inline constexpr int kMaxSupplyDays = 90;

MedicationReview reviewMedication(const model::MedicationHistory& history, std::optional<base::Date> lastVisit);

// "1.5錠 1日3回毎食後" from a drug's quantity, unit and usage as written.
std::string doseText(const model::Drug& drug);

} // namespace zaitaku::rules
