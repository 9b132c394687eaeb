#pragma once

// Exponential backoff with jitter for records the gateway could not take: base · 2^(attempts−1),
// capped, then drawn uniformly from its upper half so that tablets coming back into signal
// together do not retry in lockstep.

#include "base/Random.h"

#include <chrono>

namespace zaitaku::sync::client
{

struct BackoffPolicy
{
    std::chrono::seconds base{5};
    std::chrono::seconds cap{15 * 60};
};

std::chrono::seconds backoffDelay(int attempts, const BackoffPolicy& policy, base::RandomSource& random);

} // namespace zaitaku::sync::client
