#pragma once

// Medical information OQS returns under the patient's consent (docs/OQS.md "Medical information"):
// the 薬剤情報 (YZKsiquc01res: month blocks 診療 / 調剤 / 処方, each with dates and drugs) and the
// 特定健診情報 (TKKsiquc01res: one checkup per date, each with its items). Tag names are those in
// public client code [S:6 Form1.cs]; what a field means is inferred [I] where the code is silent,
// so values are kept as written (a quantity is text: "1.5", never a rounded number).

#include "base/CodeTable.h"
#include "base/Date.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::model
{

// Which month block a dispensing came from: MeTrMonthInf / CzDiInf / ShPrInf [S:6].
enum class DrugSource
{
    Medical,      // 診療 (claims of the treating facility)
    Dispensing,   // 調剤 (a pharmacy's dispensing claims)
    Prescription, // 処方 (electronic prescriptions)
};

struct Drug
{
    std::string code;               // DrugC [S:6] (code system not stated: Q7)
    std::string name;               // DrugN
    std::string ingredient;         // IngreN: what duplicate checks compare
    std::string quantity;           // Qua1, as written [I: per day]
    std::string unit;               // Unit
    std::string usage;              // UsageN (用法)
    std::string specialInstruction; // SpInst
    std::string times;              // Times, as written [I: days, or times for 頓服]
    std::string usageClass;         // MeTrIdCl / CzUsageCl / ShUsageCl, as written [I]
    friend bool operator==(const Drug&, const Drug&) = default;
};

// One date of one facility's month block, with the drugs of that date.
struct DrugEvent
{
    DrugSource source = DrugSource::Dispensing;
    std::string month;                        // MeTrMonth / CzDiMonth / ShPrMonth (yyyyMM as written)
    std::string facilityCode;                 // MeTrDiHCd / CzMeTrDiHCd / ShMeTrDiHCd: who dispensed or treated
    std::string facilityName;                 // MeTrDiHNm / CzMeTrDiHNm / ShMeTrDiHNm
    std::string prescriberCode;               // PrlsHCd / CzPrlsHCd / ShPrHCd: who prescribed [I]
    std::string prescriberName;               // PrlsHNm / CzPrlsHNm / ShPrHNm
    std::string organization;                 // DiOrg / CzDiOrg / ShPrOrg, as written (meaning: Q7)
    std::string issuingOrg;                   // PrIsOrg / CzPrIsOrg / ShPrIsOrg, as written (meaning: Q7)
    std::string inOut;                        // InOut / CzPrCl / ShPrCl, as written (meaning: Q7)
    std::optional<base::Date> date;           // DiDate / CzDiDate / ShPrDate
    std::optional<base::Date> prescribedDate; // PrDate / CzPrDate
    std::vector<Drug> drugs;
    friend bool operator==(const DrugEvent&, const DrugEvent&) = default;
};

// The person OQS answered about (QuaInf / QualificationsInfo): shown beside the history so a
// mismatch with the patient on screen is visible, never used to identify anyone.
struct MedicalInfoSubject
{
    std::string name;
    std::string kanaName;
    std::optional<base::Date> birthdate;
    std::string sexCode; // AdmGendCode / AdministrativeGenderCode, as written
    friend bool operator==(const MedicalInfoSubject&, const MedicalInfoSubject&) = default;
};

struct MedicationHistory
{
    MedicalInfoSubject subject;
    std::vector<DrugEvent> events;
    friend bool operator==(const MedicationHistory&, const MedicationHistory&) = default;
};

// One item of a 特定健診 (HealthCheckupResultAndQuestionInfo [S:6]).
struct CheckupItem
{
    std::string code;      // ItemCode (JLAC10 in the national format [I]; never interpreted)
    std::string name;      // ItemName
    std::string dataType;  // DataType, as written
    std::string value;     // DataValue, as written
    std::string unit;      // Unit
    std::string oid;       // Oid: the code list a coded value belongs to
    std::string valueName; // DataValueName: the label of a coded value
    friend bool operator==(const CheckupItem&, const CheckupItem&) = default;
};

struct Checkup
{
    std::optional<base::Date> date; // EffectiveTime
    std::vector<CheckupItem> items;
    friend bool operator==(const Checkup&, const Checkup&) = default;
};

struct CheckupHistory
{
    MedicalInfoSubject subject;
    std::vector<Checkup> checkups;
    friend bool operator==(const CheckupHistory&, const CheckupHistory&) = default;
};

} // namespace zaitaku::model

namespace zaitaku::base
{
template <> struct CodeTable<model::DrugSource>
{
    static constexpr std::string_view name = "DrugSource";
    static constexpr std::array<CodeEntry<model::DrugSource>, 3> entries{{
        {model::DrugSource::Medical, "medical", "診療"},
        {model::DrugSource::Dispensing, "dispensing", "調剤"},
        {model::DrugSource::Prescription, "prescription", "処方"},
    }};
};
} // namespace zaitaku::base
