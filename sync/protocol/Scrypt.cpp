#include "sync/protocol/Scrypt.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

namespace zaitaku::sync::protocol
{

Expected<base::SecureBytes, Error> deriveScrypt(std::string_view passphrase,
                                                std::span<const std::uint8_t> salt,
                                                const ScryptParams& params,
                                                std::size_t keyLength)
{
    if (!params.valid()) {
        return Unexpected(Error{Errc::InvalidInput, "scrypt parameters out of range", "kdf"});
    }
    EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "SCRYPT", nullptr);
    EVP_KDF_CTX* ctx = kdf != nullptr ? EVP_KDF_CTX_new(kdf) : nullptr;
    EVP_KDF_free(kdf);
    if (ctx == nullptr) {
        return Unexpected(Error{Errc::StoreIo, "OpenSSL has no scrypt KDF"});
    }
    std::uint64_t n = std::uint64_t{1} << params.logN;
    std::uint32_t r = params.r;
    std::uint32_t p = params.p;
    // 128·r·N bytes are needed; allow twice that so OpenSSL's own bookkeeping fits.
    std::uint64_t maxMem = 256ull * r * n * p + (16u << 20);
    std::array<OSSL_PARAM, 7> ossl{{
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, const_cast<char*>(passphrase.data()),
                                          passphrase.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<std::uint8_t*>(salt.data()), salt.size()),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxMem),
        OSSL_PARAM_construct_end(),
    }};
    base::SecureBytes key(keyLength);
    const int ok = EVP_KDF_derive(ctx, key.data(), key.size(), ossl.data());
    EVP_KDF_CTX_free(ctx);
    if (ok != 1) {
        return Unexpected(Error{Errc::StoreIo, "scrypt key derivation failed (not enough memory?)"});
    }
    return key;
}

ScryptParams calibrateScrypt(std::chrono::milliseconds target)
{
    ScryptParams probe{14, 8, 1};
    const std::array<std::uint8_t, 16> salt{};
    const auto start = std::chrono::steady_clock::now();
    (void)deriveScrypt("calibration", salt, probe);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    const double doublings = std::log2(static_cast<double>(target.count()) / std::max(ms, 0.01));
    long logN = 14 + std::lround(doublings);
    logN = std::clamp<long>(logN, ScryptParams::kMinProductionLogN, 20);
    return ScryptParams{static_cast<unsigned>(logN), 8, 1};
}

} // namespace zaitaku::sync::protocol
