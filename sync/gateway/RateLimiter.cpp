#include "sync/gateway/RateLimiter.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace zaitaku::sync::gateway
{

bool RateLimiter::allow(const std::string& key, std::chrono::seconds& retryAfter, double cost)
{
    const auto now = m_clock.sinceBoot();
    std::lock_guard lock(m_mutex);
    if (m_buckets.size() >= kMaxBuckets && !m_buckets.contains(key)) {
        evict(now);
    }
    auto [it, fresh] = m_buckets.try_emplace(key, Bucket{m_burst, now});
    Bucket& bucket = it->second;
    if (!fresh) {
        const double elapsed = std::chrono::duration<double>(now - bucket.at).count();
        bucket.tokens = std::min(m_burst, bucket.tokens + std::max(0.0, elapsed) * m_rate);
        bucket.at = now;
    }
    cost = std::clamp(cost, 0.0, m_burst); // more than a full bucket would never pass
    if (bucket.tokens >= cost) {
        bucket.tokens -= cost;
        return true;
    }
    retryAfter = std::chrono::seconds(static_cast<long>(std::ceil((cost - bucket.tokens) / m_rate)));
    return false;
}

void RateLimiter::evict(std::chrono::nanoseconds now)
{
    std::erase_if(m_buckets, [&](const auto& entry) {
        const double elapsed = std::chrono::duration<double>(now - entry.second.at).count();
        return entry.second.tokens + std::max(0.0, elapsed) * m_rate >= m_burst;
    });
    if (m_buckets.size() < kMaxBuckets) {
        return;
    }
    // Still full of active buckets: the least recently used tenth goes, so that a flood of new
    // addresses costs one sweep per thousand of them, not one per request.
    std::vector<std::pair<std::chrono::nanoseconds, std::string>> ages;
    ages.reserve(m_buckets.size());
    for (const auto& [key, bucket] : m_buckets) {
        ages.emplace_back(bucket.at, key);
    }
    const auto cut = ages.begin() + static_cast<std::ptrdiff_t>(kMaxBuckets / 10);
    std::nth_element(ages.begin(), cut, ages.end());
    for (auto it = ages.begin(); it != cut; ++it) {
        m_buckets.erase(it->second);
    }
}

std::size_t RateLimiter::size() const
{
    std::lock_guard lock(m_mutex);
    return m_buckets.size();
}

} // namespace zaitaku::sync::gateway
