#pragma once

// The tablet's own Ed25519 signing key, created on first use from the injected random source and
// kept only inside the encrypted store (store_meta). It signs every evidence bundle and export archive;
// the gateway knows the public key from enrollment and checks with protocol/EvidenceSignature. The seed is wiped from
// memory after each use.

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

private:
    explicit DeviceSigningKey(base::SecureBytes seed)
        : m_seed(std::move(seed))
    {}
    base::SecureBytes m_seed;
};

} // namespace zaitaku::sync::store
