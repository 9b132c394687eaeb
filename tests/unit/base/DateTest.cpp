#include "base/Date.h"

#include <gtest/gtest.h>

namespace zaitaku::base
{
namespace
{

Date d(const char* text)
{
    auto parsed = Date::parse(text);
    EXPECT_TRUE(parsed.has_value()) << text;
    return *parsed;
}

TEST(DateTest, ParsesAndPrintsIsoDates)
{
    const Date date = d("2025-07-08");
    EXPECT_EQ(date.year(), 2025);
    EXPECT_EQ(date.month(), 7u);
    EXPECT_EQ(date.day(), 8u);
    EXPECT_EQ(date.toString(), "2025-07-08");
    EXPECT_EQ(date.toCompact(), "20250708");
}

TEST(DateTest, RejectsMalformedText)
{
    for (const char* bad : {"", "2025-7-08", "2025/07/08", "20250708", "2025-07-08T00:00", "2025-07-0x", "+025-07-08",
                            " 2025-07-08", "２０２５-07-08"}) {
        auto parsed = Date::parse(bad);
        ASSERT_FALSE(parsed.has_value()) << bad;
        EXPECT_EQ(parsed.error().code, Errc::InvalidFormat) << bad;
    }
}

TEST(DateTest, RejectsImpossibleCalendarDays)
{
    for (const char* bad : {"2025-02-29", "2025-02-30", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00",
                            "1900-02-29", "2100-02-29"}) {
        auto parsed = Date::parse(bad);
        ASSERT_FALSE(parsed.has_value()) << bad;
        EXPECT_EQ(parsed.error().code, Errc::ImpossibleDate) << bad;
    }
}

TEST(DateTest, AcceptsLeapDays)
{
    EXPECT_TRUE(Date::parse("2024-02-29").has_value());
    EXPECT_TRUE(Date::parse("2000-02-29").has_value());
    EXPECT_TRUE(isLeapYear(2000));
    EXPECT_FALSE(isLeapYear(1900));
    EXPECT_FALSE(isLeapYear(2025));
}

TEST(DateTest, RejectsYearsOutsideTheSupportedRange)
{
    auto parsed = Date::parse("1867-12-31");
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().code, Errc::OutOfRange);
    EXPECT_FALSE(Date::parse("2200-01-01").has_value());
    EXPECT_TRUE(Date::parse("1868-01-01").has_value());
}

TEST(DateTest, ParsesOqsCompactDates)
{
    EXPECT_EQ(Date::parseCompact("19550615")->toString(), "1955-06-15");
    EXPECT_FALSE(Date::parseCompact("1955-06-15").has_value());
    EXPECT_EQ(Date::parseCompact("20250230").error().code, Errc::ImpossibleDate);
}

TEST(DateTest, AddsDaysAcrossMonthAndYearEnds)
{
    EXPECT_EQ(d("2025-12-31").addDays(1), d("2026-01-01"));
    EXPECT_EQ(d("2024-02-28").addDays(1), d("2024-02-29"));
    EXPECT_EQ(d("2025-02-28").addDays(1), d("2025-03-01"));
    EXPECT_EQ(d("2025-03-01").addDays(-1), d("2025-02-28"));
}

TEST(DateTest, AddsMonthsClampingToTheLastDay)
{
    EXPECT_EQ(d("2025-05-31").addMonths(-3), d("2025-02-28"));
    EXPECT_EQ(d("2024-05-31").addMonths(-3), d("2024-02-29"));
    EXPECT_EQ(d("2025-01-31").addMonths(1), d("2025-02-28"));
    EXPECT_EQ(d("2025-11-30").addMonths(3), d("2026-02-28"));
    EXPECT_EQ(d("2025-02-14").addMonths(-3), d("2024-11-14"));
    EXPECT_EQ(d("2025-10-15").addMonths(3), d("2026-01-15"));
}

TEST(DateTest, FindsMonthBoundaries)
{
    EXPECT_EQ(d("2024-02-10").lastDayOfMonth(), d("2024-02-29"));
    EXPECT_EQ(d("2025-02-10").lastDayOfMonth(), d("2025-02-28"));
    EXPECT_EQ(d("2025-12-15").firstDayOfNextMonth(), d("2026-01-01"));
    EXPECT_EQ(d("2025-06-30").firstDayOfNextMonth(), d("2025-07-01"));
    EXPECT_TRUE(d("2025-04-30").isLastDayOfMonth());
    EXPECT_FALSE(d("2025-04-29").isLastDayOfMonth());
}

TEST(DateTest, OrdersChronologically)
{
    EXPECT_LT(d("2024-12-31"), d("2025-01-01"));
    EXPECT_GT(d("2025-07-01"), d("2025-06-30"));
}

} // namespace
} // namespace zaitaku::base
