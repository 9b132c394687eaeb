#include "verify/rules/Copay.h"

#include "RulesTestSupport.h"

namespace zaitaku::rules
{
namespace
{

using test::d;

CopayResult copayOn(const char* birth, const char* on, Income income = Income::General, int kouki = 10)
{
    auto result = copay(CopayInput{d(birth), d(on), income, kouki});
    EXPECT_TRUE(result.has_value()) << birth << " on " << on;
    return result.value_or(CopayResult{});
}

TEST(CopayTest, WorkedExampleTimelineOfDomainSection7)
{
    // Born 1955-06-15: 69 on the first visit (3割), 2割 from 2025-07-01.
    EXPECT_EQ(copayOn("1955-06-15", "2025-06-10").percent, 30);
    EXPECT_EQ(copayOn("1955-06-15", "2025-06-10").basis, CopayBasis::General);
    EXPECT_EQ(copayOn("1955-06-15", "2025-06-10").age, 69);
    EXPECT_EQ(copayOn("1955-06-15", "2025-06-24").percent, 30); // turned 70, still June
    EXPECT_EQ(copayOn("1955-06-15", "2025-06-30").percent, 30);
    const CopayResult july = copayOn("1955-06-15", "2025-07-08");
    EXPECT_EQ(july.percent, 20);
    EXPECT_EQ(july.basis, CopayBasis::Elderly70to74);
    EXPECT_EQ(july.age, 70);
    EXPECT_EQ(copayOn("1955-06-15", "2025-07-01").percent, 20);
}

TEST(CopayTest, ElderlyHighIncomePaysThirtyPercent)
{
    EXPECT_EQ(copayOn("1955-06-15", "2025-07-08", Income::High).percent, 30);
    EXPECT_EQ(copayOn("1955-06-15", "2025-07-08", Income::High).basis, CopayBasis::Elderly70to74);
}

TEST(CopayTest, BornOnTheFirstStartsInTheBirthMonth)
{
    EXPECT_EQ(copayOn("1955-06-01", "2025-05-31").percent, 30);
    EXPECT_EQ(copayOn("1955-06-01", "2025-06-01").percent, 20); // R1
}

TEST(CopayTest, PreschoolChildrenPayTwentyPercentUntilMarch31)
{
    EXPECT_EQ(copayOn("2019-04-01", "2025-03-31").basis, CopayBasis::Preschool);
    EXPECT_EQ(copayOn("2019-04-01", "2025-03-31").percent, 20);
    EXPECT_EQ(copayOn("2019-04-01", "2025-04-01").percent, 30);
    EXPECT_EQ(copayOn("2019-04-02", "2026-03-31").percent, 20);
    EXPECT_EQ(copayOn("2019-04-02", "2026-04-01").basis, CopayBasis::General);
    EXPECT_EQ(copayOn("2025-01-01", "2025-01-01").percent, 20); // newborn
}

TEST(CopayTest, KoukiStartsMidMonthOnThe75thBirthday)
{
    // R1: born 1950-09-20, old insurer up to 2025-09-19, 後期 from 2025-09-20.
    EXPECT_EQ(copayOn("1950-09-20", "2025-09-19").basis, CopayBasis::Elderly70to74);
    EXPECT_EQ(copayOn("1950-09-20", "2025-09-19").percent, 20);
    EXPECT_EQ(copayOn("1950-09-20", "2025-09-20").basis, CopayBasis::Kouki);
    EXPECT_EQ(copayOn("1950-09-20", "2025-09-20").percent, 10);
    EXPECT_EQ(copayOn("1950-09-20", "2025-09-20", Income::General, 20).percent, 20);
    EXPECT_EQ(copayOn("1950-09-20", "2025-09-20", Income::High, 30).percent, 30);
    EXPECT_EQ(copayOn("1930-01-01", "2025-12-31").age, 95);
}

TEST(CopayTest, RejectsOnBeforeBirth)
{
    auto result = copay(CopayInput{d("2025-07-08"), d("2025-07-07")});
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, Errc::DateOrder);
    EXPECT_EQ(result.error().field, "on");
}

TEST(CopayTest, RejectsKoukiRatiosThatDoNotExist)
{
    for (int bad : {0, 15, 40, 100, -10}) {
        auto result = copay(CopayInput{d("1950-09-20"), d("2025-10-01"), Income::General, bad});
        ASSERT_FALSE(result.has_value()) << bad;
        EXPECT_EQ(result.error().field, "kouki_percent");
    }
}

TEST(CopayTest, FlagsAnOqsRatioThatContradictsTheAgeRule)
{
    const CopayInput july{d("1955-06-15"), d("2025-07-08")};
    EXPECT_FALSE(copayDiscrepancy(july, 20).has_value());
    EXPECT_FALSE(copayDiscrepancy(july, 30).has_value()); // 現役並み: the insurer knows the income
    EXPECT_FALSE(copayDiscrepancy(july, std::nullopt).has_value());
    auto flagged = copayDiscrepancy(july, 10);
    ASSERT_TRUE(flagged.has_value());
    EXPECT_EQ(flagged->basis, CopayBasis::Elderly70to74);
    const CopayInput june{d("1955-06-15"), d("2025-06-24")};
    EXPECT_TRUE(copayDiscrepancy(june, 20).has_value()); // still 3割 in June
}

} // namespace
} // namespace zaitaku::rules
