#pragma once

// One OQS qualification result for one patient, as received (docs/design/DOMAIN.md §2.2–§2.4, §2.6).
// Snapshots are immutable: a later re-query creates a new snapshot, never overwrites (F9).
// Raw XML is kept verbatim for audit and for re-parsing when the official spec is reconciled.

#include "base/Date.h"
#include "base/Timestamp.h"
#include "verify/model/OqsCodes.h"

#include <optional>
#include <string>
#include <vector>

namespace zaitaku::model
{

// How the snapshot was obtained (docs/design/DOMAIN.md §2.6 `source`) [I].
enum class SnapshotSource
{
    CardPin,
    CardVisual,
    CardFace,
    RequerySingle,
    RequeryBulk,
    ConsentedBulk,
    NumberQuery,
    FaceFile,
};

} // namespace zaitaku::model

namespace zaitaku::base
{
template <> struct CodeTable<model::SnapshotSource>
{
    static constexpr std::string_view name = "SnapshotSource";
    static constexpr std::array<CodeEntry<model::SnapshotSource>, 8> entries{{
        {model::SnapshotSource::CardPin, "card_pin", "マイナンバーカード（暗証番号）"},
        {model::SnapshotSource::CardVisual, "card_visual", "マイナンバーカード（目視確認）"},
        {model::SnapshotSource::CardFace, "card_face", "マイナンバーカード（顔認証）"},
        {model::SnapshotSource::RequerySingle, "requery_single", "再照会"},
        {model::SnapshotSource::RequeryBulk, "requery_bulk", "一括再照会"},
        {model::SnapshotSource::ConsentedBulk, "consented_bulk", "同意済資格情報一括取得"},
        {model::SnapshotSource::NumberQuery, "number_query", "被保険者番号による照会"},
        {model::SnapshotSource::FaceFile, "face_file", "資格確認端末の結果ファイル"},
    }};
};
} // namespace zaitaku::base

namespace zaitaku::model
{

// ElderlyRecipientCertificateInfo (高齢受給者証) [S:1][S:2]
struct ElderlyRecipientCertificate
{
    std::optional<base::Date> certificateDate;
    std::optional<base::Date> validStart;
    std::optional<base::Date> validEnd;
    std::optional<int> contributionRatioPercent; // "020" -> 20
};

// LimitApplicationCertificateRelatedInfo (限度額) [S:1]
struct LimitCertificate
{
    std::optional<LimitCertificateClass> classification;
    std::string classificationFlag; // A01..A06, B01..B10, kept as the code [S:1]
    std::optional<base::Date> certificateDate;
    std::optional<base::Date> validStart;
    std::optional<base::Date> validEnd;
    std::optional<base::Date> longTermDate;
};

// SpecificDiseasesCertificateInfo (特定疾病) [S:1]
struct SpecificDiseaseCertificate
{
    std::string diseaseCategory; // OQSCD013: 1, 2, 3
    std::optional<base::Date> certificateDate;
    std::optional<base::Date> validStart;
    std::optional<base::Date> validEnd;
    std::optional<long> selfPayYen;
};

// One *InfoConsFlg/ConsTime/AvailableTime triple. Flag values other than "1" are Q6: kept raw.
struct MedicalInfoConsent
{
    std::string flag;
    std::optional<base::Timestamp> consentTime;
    std::optional<base::Timestamp> availableTime;
};

struct EligibilitySnapshot
{
    std::string id;
    std::string patientId;
    SnapshotSource source = SnapshotSource::RequerySingle;

    // MessageHeader
    std::optional<base::Date> qualificationConfirmationDate;
    std::optional<base::Timestamp> processExecutionTime;
    std::optional<ReferenceClassification> referenceClassification;
    SegmentOfResult segmentOfResult = SegmentOfResult::Abnormal;
    std::string errorCode; // values not public (Q5)
    std::string errorMessage;
    std::optional<CharacterCode> characterCode;

    // MessageBody
    std::optional<ProcessingResultStatus> processingResultStatus;
    std::string processingResultCode; // also set on success, e.g. e-cert expiring (Q5, Q14)
    std::string processingResultMessage;
    std::optional<QualificationValidity> qualificationValidity;
    std::optional<PrescriptionIssue> prescriptionIssue;

    // ResultOfQualificationConfirmation: identity and coverage
    std::optional<InsuredCardClassification> insuredCardClassification;
    std::string insurerNumber; // 8 chars; padding is Q4, stored as received
    std::string insuredCardSymbol;
    std::string insuredIdentificationNumber;
    std::string insuredBranchNumber;
    std::optional<PersonalFamily> personalFamily;
    std::string insuredName;
    std::string name;     // verbatim, may contain ● (R5)
    std::string nameKana; // half-width as received
    std::string nameOfOther;
    std::string nameOfOtherKana;
    std::optional<Sex> sex1;
    std::optional<Sex> sex2;
    std::optional<base::Date> birthdate;
    std::string address;
    std::string postNumber;
    std::string insurerName;
    std::optional<base::Date> qualificationDate;
    std::optional<base::Date> disqualificationDate;
    std::optional<ReasonOfLoss> reasonOfLoss;
    std::optional<base::Date> insuredCertificateIssuanceDate;
    std::optional<base::Date> insuredCardValidDate;
    std::optional<base::Date> insuredCardExpirationDate;

    // Copay inputs
    std::optional<int> insuredPartialContributionRatioPercent; // 後期: "010" -> 10
    bool preschool = false;                                    // PreschoolClassification=1
    std::optional<ElderlyRecipientCertificate> elderlyRecipient;

    // 限度額 and 特定疾病
    std::string limitConsentFlag; // 0 未同意, 1 同意
    std::optional<base::Timestamp> limitConsentTime;
    std::optional<LimitCertificate> limitCertificate;
    std::string specificDiseasesConsentFlag; // 0, 1, 2 (期限切れ)
    std::vector<SpecificDiseaseCertificate> specificDiseases;

    // Medical-information consents (特定健診 / 薬剤 / 診療 / 手術)
    MedicalInfoConsent specificHealthCheckups;
    MedicalInfoConsent pharmacists;
    MedicalInfoConsent diagnosis;
    MedicalInfoConsent operation;

    std::string referenceNumber; // 照会番号 (local patient id)

    // The file as received, never re-encoded.
    std::string rawXml;
    std::string rawEncoding;

    // The predicate one public client uses for "confirmed" [S:2 result.ts] (ResultList length is
    // checked by the codec: a snapshot holds exactly one result).
    bool isConfirmed() const
    {
        return segmentOfResult == SegmentOfResult::Normal && processingResultStatus == ProcessingResultStatus::Normal &&
               qualificationValidity == QualificationValidity::Valid;
    }
};

} // namespace zaitaku::model
