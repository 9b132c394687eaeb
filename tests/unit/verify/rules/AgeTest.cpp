#include "verify/rules/Age.h"

#include "RulesTestSupport.h"
#include "verify/rules/AgeThresholds.h"

namespace zaitaku::rules
{
namespace
{

using test::d;

TEST(AgeTest, ReachesAnAgeOnTheDayBeforeTheBirthday)
{
    EXPECT_EQ(ageReachingDay(d("1955-06-15"), 70), d("2025-06-14")); // DOMAIN §7
    EXPECT_EQ(ageReachingDay(d("1955-06-01"), 70), d("2025-05-31"));
    EXPECT_EQ(ageReachingDay(d("1956-01-01"), 70), d("2025-12-31")); // year end
    EXPECT_EQ(ageReachingDay(d("2019-04-01"), 6), d("2025-03-31"));
}

TEST(AgeTest, TwentyNinthOfFebruaryReachesOnTheTwentyEighth)
{
    EXPECT_EQ(ageReachingDay(d("1956-02-29"), 70), d("2026-02-28")); // common year
    EXPECT_EQ(ageReachingDay(d("1952-02-29"), 72), d("2024-02-28")); // leap year
    EXPECT_EQ(firstDayAtAge(d("1952-02-29"), 73), d("2025-03-01"));  // Q10 [I]
    EXPECT_EQ(firstDayAtAge(d("1952-02-29"), 72), d("2024-02-29"));
}

TEST(AgeTest, AgeOnADate)
{
    const auto birth = d("1955-06-15");
    EXPECT_EQ(ageOn(birth, d("2025-06-13")), 69);
    EXPECT_EQ(ageOn(birth, d("2025-06-14")), 69); // reaches 70 at the end of this day
    EXPECT_EQ(ageOn(birth, d("2025-06-15")), 70);
    EXPECT_EQ(ageOn(birth, birth), 0);
    EXPECT_EQ(ageOn(d("2024-02-29"), d("2025-02-28")), 0);
    EXPECT_EQ(ageOn(d("2024-02-29"), d("2025-03-01")), 1);
}

TEST(AgeThresholdsTest, PreschoolEndsOnTheFirstMarch31AfterReachingSix)
{
    // R1 worked examples [S:P23]
    EXPECT_EQ(preschoolUntil(d("2019-04-01")), d("2025-03-31"));
    EXPECT_EQ(preschoolUntil(d("2019-04-02")), d("2026-03-31"));
    EXPECT_EQ(preschoolUntil(d("2019-12-25")), d("2026-03-31"));
    EXPECT_EQ(preschoolUntil(d("2020-01-01")), d("2026-03-31"));
    EXPECT_EQ(preschoolUntil(d("2020-02-29")), d("2026-03-31"));
}

TEST(AgeThresholdsTest, ElderlyRatioStartsTheMonthAfterReaching70)
{
    EXPECT_EQ(elderlyFrom(d("1955-06-15")), d("2025-07-01")); // R1, §7
    EXPECT_EQ(elderlyFrom(d("1955-06-01")), d("2025-06-01")); // born on the 1st: the birth month
    EXPECT_EQ(elderlyFrom(d("1955-12-20")), d("2026-01-01")); // across the year end
    EXPECT_EQ(elderlyFrom(d("1956-01-01")), d("2026-01-01"));
    EXPECT_EQ(elderlyFrom(d("1956-02-29")), d("2026-03-01"));
}

TEST(AgeThresholdsTest, KoukiStartsOnThe75thBirthday)
{
    EXPECT_EQ(koukiFrom(d("1950-09-20")), d("2025-09-20")); // R1
    EXPECT_EQ(koukiFrom(d("1950-09-01")), d("2025-09-01"));
    EXPECT_EQ(koukiFrom(d("1952-02-29")), d("2027-03-01")); // common year: Q10 [I]
    EXPECT_EQ(koukiFrom(d("1948-02-29")), d("2023-03-01"));
}

TEST(AgeThresholdsTest, CardBefore70IsValidToTheEndOfTheBirthMonth)
{
    EXPECT_EQ(cardValidUntilBefore70(d("1955-06-15")), d("2025-06-30")); // R2
    EXPECT_EQ(cardValidUntilBefore70(d("1955-06-01")), d("2025-05-31"));
    EXPECT_EQ(cardValidUntilBefore70(d("1956-01-01")), d("2025-12-31"));
    // seed 004: 「7月8日が70歳の誕生日→7月31日まで有効」「7月1日が70歳の誕生日→6月30日まで有効」
    EXPECT_EQ(cardValidUntilBefore70(d("1956-07-08")), d("2026-07-31"));
    EXPECT_EQ(cardValidUntilBefore70(d("1956-07-01")), d("2026-06-30"));
    EXPECT_EQ(cardValidUntilBefore70(d("1956-02-29")), d("2026-02-28"));
    EXPECT_EQ(cardValidUntilBefore70(d("1954-02-15")), d("2024-02-29")); // leap February
}

TEST(AgeThresholdsTest, CardBefore75EndsTheDayBeforeThe75thBirthday)
{
    EXPECT_EQ(cardValidUntilBefore75(d("1950-09-20")), d("2025-09-19")); // R2
    EXPECT_EQ(cardValidUntilBefore75(d("1950-09-01")), d("2025-08-31"));
    EXPECT_EQ(cardValidUntilBefore75(d("1951-01-01")), d("2025-12-31"));
    EXPECT_EQ(cardValidUntilBefore75(d("1949-03-01")), d("2024-02-29"));
}

} // namespace
} // namespace zaitaku::rules
