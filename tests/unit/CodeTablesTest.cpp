// Every coded vocabulary (OQS code lists, our enums, every library's error enum) must map each
// value to exactly one distinct, non-empty code and label, and parse its codes back.

#include "device/DeviceError.h"
#include "sync/SyncError.h"
#include "verify/identity/IdentityError.h"
#include "verify/identity/face/FaceIssue.h"
#include "verify/model/CareRelationship.h"
#include "verify/model/Consent.h"
#include "verify/model/CustodyEvent.h"
#include "verify/model/EligibilitySnapshot.h"
#include "verify/model/Evidence.h"
#include "verify/model/FallbackEvidence.h"
#include "verify/model/OqsCodes.h"
#include "verify/model/Visit.h"
#include "verify/rules/CertificateExpiry.h"
#include "verify/rules/Copay.h"
#include "verify/rules/MedicalInfoWindow.h"
#include "verify/rules/Requery.h"
#include "verify/rules/RulesError.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace zaitaku::model
{
namespace
{

template <typename E> class CodeTableTest : public ::testing::Test
{};

using AllTables = ::testing::Types<SegmentOfResult,
                                   ProcessingResultStatus,
                                   QualificationValidity,
                                   ReferenceClassification,
                                   InsuredCardClassification,
                                   PersonalFamily,
                                   Sex,
                                   ReasonOfLoss,
                                   PrescriptionIssue,
                                   LimitCertificateClass,
                                   CharacterCode,
                                   SnapshotSource,
                                   ServiceKind,
                                   ConfirmMethod,
                                   ConsentKind,
                                   EvidenceMethod,
                                   FallbackKind,
                                   CustodyAction,
                                   VisitFlow,
                                   rules::Errc,
                                   rules::Income,
                                   rules::CopayBasis,
                                   rules::CertificateState,
                                   rules::CareSetting,
                                   rules::RequeryReason,
                                   rules::VisitKind,
                                   rules::WindowBasis,
                                   device::Errc,
                                   sync::Errc,
                                   identity::Errc,
                                   identity::face::FaceIssue>;
TYPED_TEST_SUITE(CodeTableTest, AllTables);

TYPED_TEST(CodeTableTest, CodesAreDistinctAndRoundTrip)
{
    std::set<std::string_view> codes;
    std::set<TypeParam> values;
    for (const auto& entry : base::CodeTable<TypeParam>::entries) {
        EXPECT_FALSE(entry.code.empty());
        EXPECT_FALSE(entry.label.empty());
        EXPECT_TRUE(codes.insert(entry.code).second) << "duplicate code " << entry.code;
        EXPECT_TRUE(values.insert(entry.value).second) << "duplicate value for " << entry.code;
        auto parsed = base::fromCode<TypeParam>(entry.code);
        ASSERT_TRUE(parsed.has_value());
        EXPECT_EQ(*parsed, entry.value);
        EXPECT_EQ(base::toCode(entry.value), entry.code);
        EXPECT_EQ(base::labelOf(entry.value), entry.label);
    }
}

TYPED_TEST(CodeTableTest, UnknownCodesAreErrors)
{
    auto parsed = base::fromCode<TypeParam>("no-such-code");
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().code, base::Errc::UnknownCode);
    EXPECT_NE(parsed.error().message.find("no-such-code"), std::string::npos);
}

TEST(OqsCodesTest, UsesTheSourcedWireCodes)
{
    // [S:1] OQSCD006 and friends: the wire codes, not our enum order.
    EXPECT_EQ(*base::fromCode<QualificationValidity>("3"), QualificationValidity::InvalidNewQualification);
    EXPECT_EQ(*base::fromCode<SegmentOfResult>("9"), SegmentOfResult::Abnormal);
    EXPECT_EQ(*base::fromCode<InsuredCardClassification>("07"), InsuredCardClassification::SelfDefenseForces);
    EXPECT_EQ(*base::fromCode<ReasonOfLoss>("99"), ReasonOfLoss::Other);
    EXPECT_FALSE(base::fromCode<InsuredCardClassification>("7").has_value());
    EXPECT_EQ(base::labelOf(QualificationValidity::MultipleMatches), "複数該当");
}

TEST(EligibilitySnapshotTest, ConfirmedNeedsNormalSegmentStatusAndValidity)
{
    EligibilitySnapshot s;
    s.segmentOfResult = SegmentOfResult::Normal;
    s.processingResultStatus = ProcessingResultStatus::Normal;
    s.qualificationValidity = QualificationValidity::Valid;
    EXPECT_TRUE(s.isConfirmed());
    s.qualificationValidity = QualificationValidity::InvalidNewQualification;
    EXPECT_FALSE(s.isConfirmed());
    s.qualificationValidity = QualificationValidity::Valid;
    s.segmentOfResult = SegmentOfResult::Processing;
    EXPECT_FALSE(s.isConfirmed());
    s.segmentOfResult = SegmentOfResult::Normal;
    s.processingResultStatus.reset();
    EXPECT_FALSE(s.isConfirmed());
}

TEST(ErrorDescriptionsTest, EveryLibraryErrorIsDescribed)
{
    for (const auto& entry : base::CodeTable<device::Errc>::entries) {
        EXPECT_NE(device::describe(entry.value), "unknown device error") << entry.code;
    }
    for (const auto& entry : base::CodeTable<sync::Errc>::entries) {
        EXPECT_NE(sync::describe(entry.value), "unknown sync error") << entry.code;
    }
}

} // namespace
} // namespace zaitaku::model
