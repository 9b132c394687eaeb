#include "sync/gateway/RateLimiter.h"

#include <algorithm>
#include <cmath>

namespace zaitaku::sync::gateway
{

bool RateLimiter::allow(const std::string& key, std::chrono::seconds& retryAfter)
{
    const auto now = m_clock.sinceBoot();
    std::lock_guard lock(m_mutex);
    auto [it, fresh] = m_buckets.try_emplace(key, Bucket{m_burst, now});
    Bucket& bucket = it->second;
    if (!fresh) {
        const double elapsed = std::chrono::duration<double>(now - bucket.at).count();
        bucket.tokens = std::min(m_burst, bucket.tokens + std::max(0.0, elapsed) * m_rate);
        bucket.at = now;
    }
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        return true;
    }
    retryAfter = std::chrono::seconds(static_cast<long>(std::ceil((1.0 - bucket.tokens) / m_rate)));
    return false;
}

} // namespace zaitaku::sync::gateway
