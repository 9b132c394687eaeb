#pragma once

// Where the bytes the card signs come from (docs/design/DESIGN.md §3.3). The store-backed source hands out the
// gateway-issued challenges downloaded before the route, each taken (and so burned) once; when the
// pool is empty it falls back to a LocalChallengeSource, and the evidence says `challenge: local`
// so the gateway can apply its policy. A challenge is never handed out twice.

#include "base/Bytes.h"
#include "base/Expected.h"
#include "base/Random.h"
#include "base/Timestamp.h"
#include "verify/model/Evidence.h"
#include "verify/visit/VisitError.h"

#include <string>

namespace zaitaku::visit
{

struct Challenge
{
    std::string id;
    base::Bytes nonce; // what the card signs (as SHA-256 DigestInfo)
    model::ChallengeOrigin origin = model::ChallengeOrigin::Local;
};

class ChallengeSource
{
public:
    virtual ~ChallengeSource() = default;
    // A fresh challenge for this visit, never handed out before.
    virtual Expected<Challenge, Error> take(const std::string& visitId, const base::Timestamp& now) = 0;
};

// 32 random bytes from the injected source; the id is "local-<uuid>".
class LocalChallengeSource final : public ChallengeSource
{
public:
    explicit LocalChallengeSource(base::RandomSource& random)
        : m_random(random)
    {}
    Expected<Challenge, Error> take(const std::string& visitId, const base::Timestamp& now) override;

private:
    base::RandomSource& m_random;
};

} // namespace zaitaku::visit
