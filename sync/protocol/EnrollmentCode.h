#pragma once

// The one-time enrollment code staff read from `zaitaku-gateway enroll-code` and type on the
// tablet: an 80-bit secret in Crockford base32 (four groups of four, no I/L/O/U to misread) and
// the first 8 bytes of the SHA-256 of the gateway CA certificate (16 hex). The secret authorises
// one CSR; the fingerprint lets the tablet check the gateway before it trusts anything it says,
// so there is no trust-on-first-use. Example: 7KQ2-M9XD-4HTP-W3RA-8c1f5e2a9b07d3e6.

#include "base/Expected.h"
#include "base/Random.h"
#include "sync/SyncError.h"

#include <string>
#include <string_view>

namespace zaitaku::sync::protocol
{

struct EnrollmentCode
{
    std::string secret;        // "7KQ2M9XD4HTPW3RA" (normalised: upper case, no dashes)
    std::string caFingerprint; // 16 lower-case hex

    static constexpr std::size_t kSecretChars = 16;
    static constexpr std::size_t kFingerprintHex = 16;

    static EnrollmentCode generate(base::RandomSource& random, std::string_view caFingerprint);
    // Accepts lower case and missing or extra dashes/spaces; InvalidInput naming what is wrong.
    static Expected<EnrollmentCode, Error> parse(std::string_view text);
    // The secret part alone, as a tablet sends it (the gateway's side of parse()).
    static Expected<std::string, Error> parseSecret(std::string_view text);
    std::string toString() const;
};

// The fingerprint the code carries: the first 8 bytes of SHA-256(der), as hex.
std::string caFingerprintOf(std::string_view certificateDer);

} // namespace zaitaku::sync::protocol
