#pragma once

// Per-device token buckets (docs/design/STORAGE-SYNC-STYLE.md §2.5 item 8: a few devices must not starve the
// rest). `rate` requests a second on average, bursts up to `burst`. Time comes from the injected
// monotonic clock.

#include "base/Clock.h"

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace zaitaku::sync::gateway
{

class RateLimiter
{
public:
    RateLimiter(const base::MonotonicClock& clock, double rate, double burst)
        : m_clock(clock)
        , m_rate(rate)
        , m_burst(burst)
    {}

    // false: over the limit; `retryAfter` says when `cost` tokens are back. A request that costs
    // the gateway more (200 challenges, a 500-patient pre-check) costs more tokens (review M8).
    bool allow(const std::string& key, std::chrono::seconds& retryAfter, double cost = 1.0);
    // Buckets held now: at most kMaxBuckets, however many keys (addresses) were ever seen.
    std::size_t size() const;

    static constexpr std::size_t kMaxBuckets = 10000;

private:
    struct Bucket
    {
        double tokens;
        std::chrono::nanoseconds at;
    };
    // Drops the buckets that have refilled (forgetting them changes nothing), then, if still
    // full, the least recently used.
    void evict(std::chrono::nanoseconds now);

    const base::MonotonicClock& m_clock;
    double m_rate;
    double m_burst;
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, Bucket> m_buckets;
};

} // namespace zaitaku::sync::gateway
