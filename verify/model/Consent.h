#pragma once

// A consent the patient gave (or revoked) for one kind of information (DESIGN.md §3.4, F5).

#include "verify/model/CodeTable.h"
#include "verify/model/Timestamp.h"

#include <array>
#include <optional>
#include <string>

namespace zaitaku::model
{

enum class ConsentKind
{
    Pharmacy,        // 薬剤情報
    Diagnosis,       // 診療情報
    Operation,       // 手術情報
    Checkup,         // 特定健診情報
    Limit,           // 限度額情報
    SpecificDisease, // 特定疾病情報
};

template <> struct CodeTable<ConsentKind>
{
    static constexpr std::string_view name = "ConsentKind";
    static constexpr std::array<CodeEntry<ConsentKind>, 6> entries{{
        {ConsentKind::Pharmacy, "pharm", "薬剤情報"},
        {ConsentKind::Diagnosis, "diag", "診療情報"},
        {ConsentKind::Operation, "oper", "手術情報"},
        {ConsentKind::Checkup, "checkup", "特定健診情報"},
        {ConsentKind::Limit, "limit", "限度額情報"},
        {ConsentKind::SpecificDisease, "specific_disease", "特定疾病情報"},
    }};
};

struct Consent
{
    std::string id;
    std::string patientId;
    ConsentKind kind = ConsentKind::Pharmacy;
    bool given = false;
    std::string textVersion; // the exact consent text version shown to the patient
    std::optional<Timestamp> consentTime;
    std::optional<Timestamp> availableTime; // authoritative deadline when OQS sends one (F4 rule)
    std::optional<Timestamp> revokedAt;     // revocation is an explicit record, never inferred
    std::string sourceSnapshotId;
};

} // namespace zaitaku::model
