#pragma once

// OQS result code lists (docs/design/DOMAIN.md §2.2–§2.4). Sources: [S:1] myclinic-ts onshi-result/codes.ts,
// [S:2] MessageHeader.ts / MessageBody.ts, [S:7] smart-test DTDs. The official 外部インターフェイス
// 仕様書 is not public; reconcile before shipping (docs/design/DOMAIN.md header).

#include "base/CodeTable.h"

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

} // namespace zaitaku::model

namespace zaitaku::base
{
template <> struct CodeTable<model::SegmentOfResult>
{
    static constexpr std::string_view name = "SegmentOfResult";
    static constexpr std::array<CodeEntry<model::SegmentOfResult>, 3> entries{{
        {model::SegmentOfResult::Normal, "1", "正常終了"},
        {model::SegmentOfResult::Processing, "2", "処理中"},
        {model::SegmentOfResult::Abnormal, "9", "異常終了"},
    }};
};

template <> struct CodeTable<model::ProcessingResultStatus>
{
    static constexpr std::string_view name = "ProcessingResultStatus";
    static constexpr std::array<CodeEntry<model::ProcessingResultStatus>, 2> entries{{
        {model::ProcessingResultStatus::Normal, "1", "正常終了"},
        {model::ProcessingResultStatus::Failed, "2", "エラー"},
    }};
};

template <> struct CodeTable<model::QualificationValidity>
{
    static constexpr std::string_view name = "QualificationValidity";
    static constexpr std::array<CodeEntry<model::QualificationValidity>, 5> entries{{
        {model::QualificationValidity::Valid, "1", "有効"},
        {model::QualificationValidity::Invalid, "2", "無効"},
        {model::QualificationValidity::InvalidNewQualification, "3", "無効（新しい資格あり）"},
        {model::QualificationValidity::NoQualification, "4", "該当資格なし"},
        {model::QualificationValidity::MultipleMatches, "5", "複数該当"},
    }};
};

template <> struct CodeTable<model::ReferenceClassification>
{
    static constexpr std::string_view name = "ReferenceClassification";
    static constexpr std::array<CodeEntry<model::ReferenceClassification>, 2> entries{{
        {model::ReferenceClassification::MyNumberCard, "1", "マイナンバーカード"},
        {model::ReferenceClassification::InsuredCardInfo, "2", "被保険者証情報"},
    }};
};

template <> struct CodeTable<model::InsuredCardClassification>
{
    static constexpr std::string_view name = "InsuredCardClassification";
    static constexpr std::array<CodeEntry<model::InsuredCardClassification>, 7> entries{{
        {model::InsuredCardClassification::General, "01", "被保険者証（一般）"},
        {model::InsuredCardClassification::Retired, "02", "被保険者証（退職）"},
        {model::InsuredCardClassification::ShortTermGeneral, "03", "短期被保険者証（一般）"},
        {model::InsuredCardClassification::ShortTermRetired, "04", "短期被保険者証（退職）"},
        {model::InsuredCardClassification::QualificationCertificate, "05", "被保険者資格証明書"},
        {model::InsuredCardClassification::SpecialRetired, "06", "特例退職被保険者証"},
        {model::InsuredCardClassification::SelfDefenseForces, "07", "自衛官診療証"},
    }};
};

template <> struct CodeTable<model::PersonalFamily>
{
    static constexpr std::string_view name = "PersonalFamilyClassification";
    static constexpr std::array<CodeEntry<model::PersonalFamily>, 2> entries{{
        {model::PersonalFamily::Self, "1", "本人"},
        {model::PersonalFamily::Family, "2", "家族"},
    }};
};

template <> struct CodeTable<model::Sex>
{
    static constexpr std::string_view name = "Sex";
    static constexpr std::array<CodeEntry<model::Sex>, 3> entries{{
        {model::Sex::Male, "1", "男"},
        {model::Sex::Female, "2", "女"},
        {model::Sex::Unset, "3", "未設定"},
    }};
};

template <> struct CodeTable<model::ReasonOfLoss>
{
    static constexpr std::string_view name = "ReasonOfLoss";
    static constexpr std::array<CodeEntry<model::ReasonOfLoss>, 4> entries{{
        {model::ReasonOfLoss::Death, "01", "死亡"},
        {model::ReasonOfLoss::PublicAssistance, "02", "生活保護受給開始"},
        {model::ReasonOfLoss::OtherInsurance, "03", "医療保険等の資格取得"},
        {model::ReasonOfLoss::Other, "99", "その他"},
    }};
};

template <> struct CodeTable<model::PrescriptionIssue>
{
    static constexpr std::string_view name = "PrescriptionIssueSelect";
    static constexpr std::array<CodeEntry<model::PrescriptionIssue>, 2> entries{{
        {model::PrescriptionIssue::Electronic, "1", "電子処方箋"},
        {model::PrescriptionIssue::Paper, "2", "紙の処方箋"},
    }};
};

template <> struct CodeTable<model::LimitCertificateClass>
{
    static constexpr std::string_view name = "LimitApplicationCertificateClassification";
    static constexpr std::array<CodeEntry<model::LimitCertificateClass>, 3> entries{{
        {model::LimitCertificateClass::Limit, "01", "限度額適用認定証"},
        {model::LimitCertificateClass::LimitAndReduction, "02", "限度額適用・標準負担額減額認定証"},
        {model::LimitCertificateClass::Reduction, "03", "標準負担額減額認定証"},
    }};
};

template <> struct CodeTable<model::CharacterCode>
{
    static constexpr std::string_view name = "CharacterCodeIdentifier";
    static constexpr std::array<CodeEntry<model::CharacterCode>, 2> entries{{
        {model::CharacterCode::Utf8, "0", "UTF-8"},
        {model::CharacterCode::ShiftJis, "1", "Shift_JIS"},
    }};
};
} // namespace zaitaku::base
