#pragma once

// Gateway challenges (docs/design/DESIGN.md §3.3) are stateless until used: the id names the device and the
// validity window, the nonce is HMAC-SHA256(secret, id), and the token is the gateway's Ed25519
// signature over id and nonce (anyone holding the public key can check issuance). Issuing costs
// no write; a challenge's single use is enforced when a record claims it (a unique key in the
// gateway's storage). A database restored from backup therefore still recognises every challenge
// it issued, and a re-pushed visit is accepted once.
//
//   id    = "c1.<device_id>.<issued_unix>.<expires_unix>.<16 random hex>"
//   nonce = HMAC-SHA256(secret, "zaitaku-challenge-v1|" + id)
//   token = Ed25519(token_key, "zaitaku-challenge-v1|" + id + "|" + nonce_hex)

#include "base/Expected.h"
#include "base/Random.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "sync/gateway/GatewayPki.h"
#include "sync/protocol/Messages.h"

#include <chrono>
#include <string>

namespace zaitaku::sync::gateway
{

struct ChallengeClaim
{
    std::string deviceId;
    base::Timestamp issuedAt = base::Timestamp::fromUtc({});
    base::Timestamp expiresAt = base::Timestamp::fromUtc({});
};

class ChallengeIssuer
{
public:
    ChallengeIssuer(const GatewayPki& pki, std::chrono::seconds lifetime)
        : m_pki(pki)
        , m_lifetime(lifetime)
    {}

    protocol::WireChallenge
    issue(const std::string& deviceId, const base::Timestamp& now, base::RandomSource& random) const;
    // The challenge is one of ours and `nonceHex` is its nonce (SignatureInvalid otherwise).
    Expected<ChallengeClaim, Error> check(const std::string& id, const std::string& nonceHex) const;

private:
    const GatewayPki& m_pki;
    std::chrono::seconds m_lifetime;
};

} // namespace zaitaku::sync::gateway
