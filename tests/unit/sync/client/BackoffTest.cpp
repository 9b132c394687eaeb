// The sync engine's back-off between failed runs: exponential with jitter, capped.

#include "sync/client/Backoff.h"

#include "base/Random.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace zaitaku::sync::client
{
namespace
{

TEST(BackoffTest, GrowsWithJitterUpToTheCap)
{
    base::SeededRandom random(11);
    BackoffPolicy policy{std::chrono::seconds(5), std::chrono::seconds(600)};
    for (int attempts = 1; attempts < 20; ++attempts) {
        const long full = std::min(600L, 5L << std::min(attempts - 1, 30));
        for (int i = 0; i < 50; ++i) {
            const auto d = backoffDelay(attempts, policy, random).count();
            EXPECT_GE(d, std::max(1L, full / 2));
            EXPECT_LE(d, full);
        }
    }
}

} // namespace
} // namespace zaitaku::sync::client
