#pragma once

// OQS result code lists (DOMAIN.md §2.2–§2.4). Sources: [S:1] myclinic-ts onshi-result/codes.ts,
// [S:2] MessageHeader.ts / MessageBody.ts, [S:7] smart-test DTDs. The official 外部インターフェイス
// 仕様書 is not public; reconcile before shipping (DOMAIN.md header).

#include "verify/model/CodeTable.h"

#include <array>

namespace zaitaku::model
{

// MessageHeader/SegmentOfResult [S:1][S:2]
enum class SegmentOfResult
{
    Normal,     // 1 正常終了
    Processing, // 2 処理中 (bulk still running: poll again)
    Abnormal,   // 9 異常終了
};

// MessageBody/ProcessingResultStatus [S:1]
enum class ProcessingResultStatus
{
    Normal, // 1
    Failed, // 2 エラー
};

// MessageBody/QualificationValidity, OQSCD006 [S:1]
enum class QualificationValidity
{
    Valid,                   // 1 有効
    Invalid,                 // 2 無効
    InvalidNewQualification, // 3 無効（新しい資格あり）
    NoQualification,         // 4 該当資格なし
    MultipleMatches,         // 5 複数該当
};

// MessageHeader/ReferenceClassification [S:1]
enum class ReferenceClassification
{
    MyNumberCard,    // 1
    InsuredCardInfo, // 2 被保険者証情報
};

// InsuredCardClassification [S:1]
enum class InsuredCardClassification
{
    General,                  // 01 被保険者証（一般）
    Retired,                  // 02 被保険者証（退職）
    ShortTermGeneral,         // 03 短期被保険者証（一般）
    ShortTermRetired,         // 04 短期被保険者証（退職）
    QualificationCertificate, // 05 被保険者資格証明書
    SpecialRetired,           // 06 特例退職被保険者証
    SelfDefenseForces,        // 07 自衛官診療証
};

// PersonalFamilyClassification [S:1]
enum class PersonalFamily
{
    Self,   // 1 本人
    Family, // 2 家族
};

// Sex1 / Sex2 [S:1]
enum class Sex
{
    Male,   // 1 男
    Female, // 2 女
    Unset,  // 3 未設定
};

// ReasonOfLoss [S:1]
enum class ReasonOfLoss
{
    Death,            // 01 死亡
    PublicAssistance, // 02 生活保護受給開始
    OtherInsurance,   // 03 医療保険等の資格取得
    Other,            // 99 その他
};

// PrescriptionIssueSelect [S:1]
enum class PrescriptionIssue
{
    Electronic, // 1 電子処方箋
    Paper,      // 2 紙の処方箋
};

// LimitApplicationCertificateClassification [S:1]
enum class LimitCertificateClass
{
    Limit,             // 01 限度額適用認定証
    LimitAndReduction, // 02 限度額適用・標準負担額減額認定証
    Reduction,         // 03 標準負担額減額認定証
};

// CharacterCodeIdentifier [S:1]
enum class CharacterCode
{
    Utf8,     // 0
    ShiftJis, // 1
};

template <> struct CodeTable<SegmentOfResult>
{
    static constexpr std::string_view name = "SegmentOfResult";
    static constexpr std::array<CodeEntry<SegmentOfResult>, 3> entries{{
        {SegmentOfResult::Normal, "1", "正常終了"},
        {SegmentOfResult::Processing, "2", "処理中"},
        {SegmentOfResult::Abnormal, "9", "異常終了"},
    }};
};

template <> struct CodeTable<ProcessingResultStatus>
{
    static constexpr std::string_view name = "ProcessingResultStatus";
    static constexpr std::array<CodeEntry<ProcessingResultStatus>, 2> entries{{
        {ProcessingResultStatus::Normal, "1", "正常終了"},
        {ProcessingResultStatus::Failed, "2", "エラー"},
    }};
};

template <> struct CodeTable<QualificationValidity>
{
    static constexpr std::string_view name = "QualificationValidity";
    static constexpr std::array<CodeEntry<QualificationValidity>, 5> entries{{
        {QualificationValidity::Valid, "1", "有効"},
        {QualificationValidity::Invalid, "2", "無効"},
        {QualificationValidity::InvalidNewQualification, "3", "無効（新しい資格あり）"},
        {QualificationValidity::NoQualification, "4", "該当資格なし"},
        {QualificationValidity::MultipleMatches, "5", "複数該当"},
    }};
};

template <> struct CodeTable<ReferenceClassification>
{
    static constexpr std::string_view name = "ReferenceClassification";
    static constexpr std::array<CodeEntry<ReferenceClassification>, 2> entries{{
        {ReferenceClassification::MyNumberCard, "1", "マイナンバーカード"},
        {ReferenceClassification::InsuredCardInfo, "2", "被保険者証情報"},
    }};
};

template <> struct CodeTable<InsuredCardClassification>
{
    static constexpr std::string_view name = "InsuredCardClassification";
    static constexpr std::array<CodeEntry<InsuredCardClassification>, 7> entries{{
        {InsuredCardClassification::General, "01", "被保険者証（一般）"},
        {InsuredCardClassification::Retired, "02", "被保険者証（退職）"},
        {InsuredCardClassification::ShortTermGeneral, "03", "短期被保険者証（一般）"},
        {InsuredCardClassification::ShortTermRetired, "04", "短期被保険者証（退職）"},
        {InsuredCardClassification::QualificationCertificate, "05", "被保険者資格証明書"},
        {InsuredCardClassification::SpecialRetired, "06", "特例退職被保険者証"},
        {InsuredCardClassification::SelfDefenseForces, "07", "自衛官診療証"},
    }};
};

template <> struct CodeTable<PersonalFamily>
{
    static constexpr std::string_view name = "PersonalFamilyClassification";
    static constexpr std::array<CodeEntry<PersonalFamily>, 2> entries{{
        {PersonalFamily::Self, "1", "本人"},
        {PersonalFamily::Family, "2", "家族"},
    }};
};

template <> struct CodeTable<Sex>
{
    static constexpr std::string_view name = "Sex";
    static constexpr std::array<CodeEntry<Sex>, 3> entries{{
        {Sex::Male, "1", "男"},
        {Sex::Female, "2", "女"},
        {Sex::Unset, "3", "未設定"},
    }};
};

template <> struct CodeTable<ReasonOfLoss>
{
    static constexpr std::string_view name = "ReasonOfLoss";
    static constexpr std::array<CodeEntry<ReasonOfLoss>, 4> entries{{
        {ReasonOfLoss::Death, "01", "死亡"},
        {ReasonOfLoss::PublicAssistance, "02", "生活保護受給開始"},
        {ReasonOfLoss::OtherInsurance, "03", "医療保険等の資格取得"},
        {ReasonOfLoss::Other, "99", "その他"},
    }};
};

template <> struct CodeTable<PrescriptionIssue>
{
    static constexpr std::string_view name = "PrescriptionIssueSelect";
    static constexpr std::array<CodeEntry<PrescriptionIssue>, 2> entries{{
        {PrescriptionIssue::Electronic, "1", "電子処方箋"},
        {PrescriptionIssue::Paper, "2", "紙の処方箋"},
    }};
};

template <> struct CodeTable<LimitCertificateClass>
{
    static constexpr std::string_view name = "LimitApplicationCertificateClassification";
    static constexpr std::array<CodeEntry<LimitCertificateClass>, 3> entries{{
        {LimitCertificateClass::Limit, "01", "限度額適用認定証"},
        {LimitCertificateClass::LimitAndReduction, "02", "限度額適用・標準負担額減額認定証"},
        {LimitCertificateClass::Reduction, "03", "標準負担額減額認定証"},
    }};
};

template <> struct CodeTable<CharacterCode>
{
    static constexpr std::string_view name = "CharacterCodeIdentifier";
    static constexpr std::array<CodeEntry<CharacterCode>, 2> entries{{
        {CharacterCode::Utf8, "0", "UTF-8"},
        {CharacterCode::ShiftJis, "1", "Shift_JIS"},
    }};
};

} // namespace zaitaku::model
