#pragma once

// The key-encryption key from a passphrase: scrypt (OpenSSL EVP_KDF "SCRYPT"). The parameters are
// stored next to each wrap so they can be raised later without breaking existing stores.

#include "base/Expected.h"
#include "base/SecureBytes.h"
#include "sync/SyncError.h"

#include <chrono>
#include <cstdint>
#include <span>
#include <string_view>

namespace zaitaku::sync::protocol
{

struct ScryptParams
{
    unsigned logN = 17; // N = 2^17: 128 MiB with r = 8; unlock ≈ 325 ms with the open checks (bench)
    unsigned r = 8;
    unsigned p = 1;

    static constexpr unsigned kMinLogN = 10; // tests only; init refuses below kMinProductionLogN
    static constexpr unsigned kMinProductionLogN = 15;
    static constexpr unsigned kMaxLogN = 22;
    bool valid() const { return logN >= kMinLogN && logN <= kMaxLogN && r >= 1 && r <= 32 && p >= 1 && p <= 16; }
};

Expected<base::SecureBytes, Error> deriveScrypt(std::string_view passphrase,
                                                std::span<const std::uint8_t> salt,
                                                const ScryptParams& params,
                                                std::size_t keyLength = 32);

// The largest logN (r = 8, p = 1) whose derivation stays near `target`, measured on this machine by
// timing one derivation at a small N and scaling (scrypt's time is linear in N).
ScryptParams calibrateScrypt(std::chrono::milliseconds target);

} // namespace zaitaku::sync::protocol
