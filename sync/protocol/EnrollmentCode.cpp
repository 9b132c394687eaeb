#include "sync/protocol/EnrollmentCode.h"

#include <array>
#include <cctype>
#include <openssl/sha.h>

namespace zaitaku::sync::protocol
{

namespace
{
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32

std::string hexOf(const unsigned char* bytes, std::size_t n)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += kDigits[bytes[i] >> 4];
        out += kDigits[bytes[i] & 0xF];
    }
    return out;
}
} // namespace

EnrollmentCode EnrollmentCode::generate(base::RandomSource& random, std::string_view caFingerprint)
{
    std::array<std::uint8_t, kSecretChars> bytes{};
    random.fill(bytes);
    EnrollmentCode code;
    for (auto b : bytes) {
        code.secret += kAlphabet[b & 0x1F]; // 5 bits a character: 80 bits in all
    }
    code.caFingerprint = std::string(caFingerprint);
    return code;
}

namespace
{
std::string withoutSeparators(std::string_view text)
{
    std::string compact;
    for (char c : text) {
        if (c != '-' && c != ' ') {
            compact += c;
        }
    }
    return compact;
}
} // namespace

Expected<std::string, Error> EnrollmentCode::parseSecret(std::string_view text)
{
    const std::string compact = withoutSeparators(text);
    if (compact.size() != kSecretChars) {
        return Unexpected(Error{Errc::InvalidInput, "the code's secret has 16 characters", "code"});
    }
    std::string secret;
    for (char raw : compact) {
        const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(raw)));
        if (kAlphabet.find(c) == std::string_view::npos) {
            return Unexpected(Error{Errc::InvalidInput,
                                    std::string("'") + raw + "' is not a character of an enrollment code", "code"});
        }
        secret += c;
    }
    return secret;
}

Expected<EnrollmentCode, Error> EnrollmentCode::parse(std::string_view text)
{
    const std::string compact = withoutSeparators(text);
    if (compact.size() != kSecretChars + kFingerprintHex) {
        return Unexpected(Error{Errc::InvalidInput,
                                "an enrollment code has 16 characters and a 16-hex fingerprint "
                                "(XXXX-XXXX-XXXX-XXXX-ffffffffffffffff)",
                                "code"});
    }
    auto secret = parseSecret(std::string_view(compact).substr(0, kSecretChars));
    if (!secret) {
        return Unexpected(secret.error());
    }
    EnrollmentCode code;
    code.secret = std::move(*secret);
    for (std::size_t i = kSecretChars; i < compact.size(); ++i) {
        const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(compact[i])));
        if (!std::isxdigit(static_cast<unsigned char>(c))) {
            return Unexpected(Error{Errc::InvalidInput, "the fingerprint part of the code must be hex", "code"});
        }
        code.caFingerprint += c;
    }
    return code;
}

std::string EnrollmentCode::toString() const
{
    std::string out;
    for (std::size_t i = 0; i < secret.size(); ++i) {
        if (i > 0 && i % 4 == 0) {
            out += '-';
        }
        out += secret[i];
    }
    return out + "-" + caFingerprint;
}

std::string caFingerprintOf(std::string_view certificateDer)
{
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(certificateDer.data()), certificateDer.size(), digest.data());
    return hexOf(digest.data(), 8);
}

} // namespace zaitaku::sync::protocol
