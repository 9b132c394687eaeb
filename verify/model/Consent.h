#pragma once

// A consent the patient gave (or revoked) for one kind of information (docs/design/DESIGN.md §3.4, F5).

#include "base/CodeTable.h"
#include "base/Timestamp.h"

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
    // 処方箋の発行方法: given = 電子処方箋 (PrescriptionIssueSelect 1), not given = 紙の処方箋 (2).
    // A choice rather than a consent, kept beside them because it is asked and recorded with them
    // (docs/design/DOMAIN.md §1.1 [S:P5]) [I: the representation].
    ElectronicPrescription,
};

} // namespace zaitaku::model

namespace zaitaku::base
{
template <> struct CodeTable<model::ConsentKind>
{
    static constexpr std::string_view name = "ConsentKind";
    static constexpr std::array<CodeEntry<model::ConsentKind>, 7> entries{{
        {model::ConsentKind::Pharmacy, "pharm", "薬剤情報"},
        {model::ConsentKind::Diagnosis, "diag", "診療情報"},
        {model::ConsentKind::Operation, "oper", "手術情報"},
        {model::ConsentKind::Checkup, "checkup", "特定健診情報"},
        {model::ConsentKind::Limit, "limit", "限度額情報"},
        {model::ConsentKind::SpecificDisease, "specific_disease", "特定疾病情報"},
        {model::ConsentKind::ElectronicPrescription, "e_prescription", "処方箋の発行方法（電子処方箋）"},
    }};
};
} // namespace zaitaku::base

namespace zaitaku::model
{

struct Consent
{
    std::string id;
    std::string patientId;
    ConsentKind kind = ConsentKind::Pharmacy;
    bool given = false;
    std::string textVersion; // the exact consent text version shown to the patient (verify/consent)
    std::string textSha256;  // SHA-256 (hex) of that text's bytes
    std::optional<base::Timestamp> consentTime;
    std::optional<base::Timestamp> availableTime; // authoritative deadline when OQS sends one (F4 rule)
    std::optional<base::Timestamp> revokedAt;     // revocation is an explicit record, never inferred
    std::string revokesConsentId;                 // set on a revocation record: the consent it withdraws
    std::string sourceSnapshotId;
};

} // namespace zaitaku::model
