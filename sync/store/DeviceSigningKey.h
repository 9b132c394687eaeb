#pragma once

// The tablet's own Ed25519 signing key, created on first use from the injected random source and
// kept only inside the encrypted store (store_meta). It signs export archives; the gateway knows
// the public key from enrollment. The seed is wiped from memory after each use.

#include "base/Expected.h"
#include "base/Random.h"
#include "base/SecureBytes.h"
#include "sync/SyncError.h"
#include "sync/store/Store.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zaitaku::sync::store
{

class DeviceSigningKey
{
public:
    static Expected<DeviceSigningKey, Error> loadOrCreate(Store& store, base::RandomSource& random);

    std::string publicKeyHex() const;
    Expected<std::vector<std::uint8_t>, Error> sign(std::string_view message) const;

    // Checks an Ed25519 signature against a raw 32-byte public key given as hex.
    static bool
    verify(std::string_view publicKeyHex, std::string_view message, const std::vector<std::uint8_t>& signature);

private:
    explicit DeviceSigningKey(base::SecureBytes seed)
        : m_seed(std::move(seed))
    {}
    base::SecureBytes m_seed;
};

} // namespace zaitaku::sync::store
