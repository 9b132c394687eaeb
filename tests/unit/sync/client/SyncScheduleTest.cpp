// Issue 31: when the tablet syncs without a tap.

#include "sync/client/SyncSchedule.h"

#include <gtest/gtest.h>

namespace zaitaku::sync::client
{
namespace
{

using namespace std::chrono_literals;
using Clock = SyncSchedule::Clock;

TEST(SyncSchedule, RunsAtSignInThenSoonAfterAVisitAndEveryMinuteWhileRecordsWait)
{
    base::SeededRandom random(7);
    const Clock::time_point t0{};
    SyncSchedule schedule({}, random, t0);
    EXPECT_TRUE(schedule.due(t0)) << "right after sign-in";
    schedule.started();
    EXPECT_FALSE(schedule.due(t0)) << "never twice at once";
    schedule.finished(true, 0, t0 + 1s);
    EXPECT_FALSE(schedule.due(t0 + 10min));
    EXPECT_TRUE(schedule.due(t0 + 1s + 15min)) << "nothing queued: the feed every quarter hour";

    schedule.visitCommitted(t0 + 2min);
    EXPECT_FALSE(schedule.due(t0 + 2min + 1s));
    EXPECT_TRUE(schedule.due(t0 + 2min + 2s)) << "two seconds after the commit";
    schedule.started();
    schedule.finished(true, 3, t0 + 2min + 3s); // three still queued (a batch limit, a refusal)
    EXPECT_TRUE(schedule.due(t0 + 3min + 3s));
}

TEST(SyncSchedule, FailuresBackOffAndTheNetworkComingBackTriesAtOnce)
{
    base::SeededRandom random(7);
    const Clock::time_point t0{};
    SyncSchedule schedule({}, random, t0);
    Clock::time_point now = t0;
    Clock::duration previous{};
    for (int i = 1; i <= 4; ++i) {
        schedule.started();
        schedule.finished(false, 1, now);
        const auto wait = schedule.next() - now;
        EXPECT_GE(wait, 2s * (1 << (i - 1))) << "attempt " << i; // the upper half, in whole seconds
        EXPECT_LE(wait, 5s * (1 << (i - 1))) << "attempt " << i;
        EXPECT_GE(wait, previous / 2);
        previous = wait;
        now = schedule.next();
    }
    for (int i = 0; i < 10; ++i) {
        schedule.started();
        schedule.finished(false, 1, now);
        EXPECT_LE(schedule.next() - now, 5min) << "capped";
        now = schedule.next();
    }
    EXPECT_EQ(schedule.failures(), 14);
    schedule.networkBack(now + 1s);
    EXPECT_TRUE(schedule.due(now + 1s));
    EXPECT_EQ(schedule.failures(), 0);
}

TEST(SyncSchedule, AVisitCommittedDuringARunGoesRightAfterIt)
{
    base::SeededRandom random(7);
    const Clock::time_point t0{};
    SyncSchedule schedule({}, random, t0);
    schedule.started();
    schedule.visitCommitted(t0 + 1s); // the run began before this visit was in the outbox
    schedule.finished(true, 0, t0 + 5s);
    EXPECT_TRUE(schedule.due(t0 + 5s)) << "not a quarter hour later";
}

} // namespace
} // namespace zaitaku::sync::client
