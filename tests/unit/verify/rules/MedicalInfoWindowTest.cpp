#include "verify/rules/MedicalInfoWindow.h"

#include "RulesTestSupport.h"

namespace zaitaku::rules
{
namespace
{

using test::ts;

MedicalInfoWindowResult
window(const char* consent, const char* on, VisitKind kind, std::optional<base::Timestamp> available = std::nullopt)
{
    auto result = medicalInfoWindow(MedicalInfoWindowInput{ts(consent), ts(on), kind, available});
    EXPECT_TRUE(result.has_value());
    return result.value_or(MedicalInfoWindowResult{});
}

TEST(MedicalInfoWindowTest, OushinConsentLasts24Hours)
{
    // seed 003: 「同意情報登録後24時間」
    const auto inside = window("2025-06-10T10:30:00+09:00", "2025-06-11T10:29:59+09:00", VisitKind::Oushin);
    EXPECT_TRUE(inside.allowed);
    ASSERT_TRUE(inside.until.has_value());
    EXPECT_EQ(inside.until->toString(), "2025-06-11T10:30:00+09:00");
    EXPECT_EQ(inside.basis, WindowBasis::TwentyFourHours);
    EXPECT_TRUE(window("2025-06-10T10:30:00+09:00", "2025-06-11T10:30:00+09:00", VisitKind::Oushin).allowed);
    EXPECT_FALSE(window("2025-06-10T10:30:00+09:00", "2025-06-11T10:30:01+09:00", VisitKind::Oushin).allowed);
}

TEST(MedicalInfoWindowTest, WindowCrossesMonthYearAndLeapDay)
{
    EXPECT_EQ(window("2025-12-31T20:00:00+09:00", "2026-01-01T08:00:00+09:00", VisitKind::Oushin).until->toString(),
              "2026-01-01T20:00:00+09:00");
    EXPECT_EQ(window("2024-02-28T09:00:00+09:00", "2024-02-28T09:00:00+09:00", VisitKind::Oushin).until->toString(),
              "2024-02-29T09:00:00+09:00");
    // Another offset for "on" compares as an instant.
    EXPECT_TRUE(window("2025-06-10T10:30:00+09:00", "2025-06-11T01:30:00Z", VisitKind::Oushin).allowed);
    EXPECT_FALSE(window("2025-06-10T10:30:00+09:00", "2025-06-11T01:30:01Z", VisitKind::Oushin).allowed);
}

TEST(MedicalInfoWindowTest, ContinuingHomeCareHasNoFixedEnd)
{
    const auto result = window("2025-06-10T10:30:00+09:00", "2026-06-10T10:30:00+09:00", VisitKind::HoumonContinuing);
    EXPECT_TRUE(result.allowed);
    EXPECT_FALSE(result.until.has_value());
    EXPECT_TRUE(result.requiresRequeryAllowed);
    EXPECT_EQ(result.basis, WindowBasis::ContinuingCare);
}

TEST(MedicalInfoWindowTest, AvailableTimeFromOqsIsAuthoritative)
{
    const auto available = ts("2025-06-12T00:00:00+09:00");
    const auto result =
        window("2025-06-10T10:30:00+09:00", "2025-06-11T23:00:00+09:00", VisitKind::HoumonContinuing, available);
    EXPECT_TRUE(result.allowed);
    EXPECT_EQ(result.basis, WindowBasis::AvailableTime);
    EXPECT_EQ(result.until->toString(), "2025-06-12T00:00:00+09:00");
    EXPECT_FALSE(
        window("2025-06-10T10:30:00+09:00", "2025-06-12T00:00:01+09:00", VisitKind::Oushin, available).allowed);
}

TEST(MedicalInfoWindowTest, RejectsOnBeforeConsent)
{
    auto result = medicalInfoWindow(
        {ts("2025-06-10T10:30:00+09:00"), ts("2025-06-10T10:29:59+09:00"), VisitKind::Oushin, std::nullopt});
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, Errc::DateOrder);
    EXPECT_EQ(result.error().field, "on");
}

} // namespace
} // namespace zaitaku::rules
