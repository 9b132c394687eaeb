#include "base/Timestamp.h"

#include "base/Clock.h"

#include <gtest/gtest.h>

namespace zaitaku::base
{
namespace
{

TEST(TimestampTest, ParsesJstAndPrintsItBack)
{
    auto t = Timestamp::parse("2025-06-10T14:30:05+09:00");
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->toString(), "2025-06-10T14:30:05+09:00");
    EXPECT_EQ(t->offsetMinutes(), 540);
    EXPECT_EQ(t->localDate().toString(), "2025-06-10");
}

TEST(TimestampTest, ComparesInstantsAcrossOffsets)
{
    auto jst = Timestamp::parse("2025-06-10T09:00:00+09:00");
    auto utc = Timestamp::parse("2025-06-10T00:00:00Z");
    ASSERT_TRUE(jst && utc);
    EXPECT_EQ(*jst, *utc);
    EXPECT_EQ(utc->withOffset(540).toString(), "2025-06-10T09:00:00+09:00");
    EXPECT_EQ(Timestamp::parse("2025-06-09T19:00:00-05:00")->withOffset(540).toString(), "2025-06-10T09:00:00+09:00");
}

TEST(TimestampTest, AddsTimeAcrossYearEnd)
{
    auto t = Timestamp::parse("2025-12-31T23:30:00+09:00");
    EXPECT_EQ(t->plus(std::chrono::hours{24}).toString(), "2026-01-01T23:30:00+09:00");
    EXPECT_EQ(t->plus(std::chrono::minutes{30}).localDate().toString(), "2026-01-01");
}

TEST(TimestampTest, RejectsMalformedOrImpossibleTimes)
{
    for (const char* bad : {"2025-06-10", "2025-06-10 14:30:00+09:00", "2025-06-10T14:30+09:00", "2025-06-10T14:30:00",
                            "2025-06-10T14:30:00.5+09:00", "2025-06-10T14:30:00+0900", "2025-06-10T14:30:00JST"}) {
        auto t = Timestamp::parse(bad);
        ASSERT_FALSE(t.has_value()) << bad;
        EXPECT_EQ(t.error().code, Errc::InvalidFormat) << bad;
    }
    EXPECT_EQ(Timestamp::parse("2025-06-10T24:00:00+09:00").error().code, Errc::ImpossibleDate);
    EXPECT_EQ(Timestamp::parse("2025-02-30T10:00:00+09:00").error().code, Errc::ImpossibleDate);
    EXPECT_EQ(Timestamp::parse("2025-06-10T10:00:00+15:00").error().code, Errc::OutOfRange);
}

TEST(ClockTest, TodayIsTheDateInJapan)
{
    // 15:00 UTC on 30 June is already 1 July in Japan.
    ManualClock clock(*Timestamp::parse("2025-06-30T15:00:00Z"));
    EXPECT_EQ(clock.todayJst().toString(), "2025-07-01");
    EXPECT_EQ(clock.nowJst().toString(), "2025-07-01T00:00:00+09:00");
    clock.advance(std::chrono::hours{-1});
    EXPECT_EQ(clock.todayJst().toString(), "2025-06-30");
}

} // namespace
} // namespace zaitaku::base
