#include "sync/client/Backoff.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace zaitaku::sync::client
{

std::chrono::seconds backoffDelay(int attempts, const BackoffPolicy& policy, base::RandomSource& random)
{
    const int shift = std::clamp(attempts - 1, 0, 30);
    const auto full = std::min<std::int64_t>(policy.cap.count(), policy.base.count() << shift);
    std::array<std::uint8_t, 4> bytes{};
    random.fill(bytes);
    const std::uint32_t r =
        (std::uint32_t(bytes[0]) << 24) | (std::uint32_t(bytes[1]) << 16) | (std::uint32_t(bytes[2]) << 8) | bytes[3];
    const std::int64_t half = full / 2;
    const std::int64_t jitter =
        (full - half) > 0 ? static_cast<std::int64_t>(r % static_cast<std::uint32_t>(full - half + 1)) : 0;
    return std::chrono::seconds(std::max<std::int64_t>(1, half + jitter));
}

} // namespace zaitaku::sync::client
