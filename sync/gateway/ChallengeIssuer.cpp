#include "sync/gateway/ChallengeIssuer.h"

#include "base/Bytes.h"

#include <cctype>
#include <charconv>
#include <openssl/crypto.h>
#include <vector>

namespace zaitaku::sync::gateway
{

namespace
{
std::string lowerHex(const std::vector<std::uint8_t>& bytes)
{
    std::string hex = base::toHex(bytes);
    for (auto& c : hex) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return hex;
}

constexpr std::string_view kDomain = "zaitaku-challenge-v1|";

std::vector<std::string> split(const std::string& text, char sep)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == sep) {
            parts.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    return parts;
}

std::optional<std::int64_t> number(const std::string& text)
{
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}
} // namespace

protocol::WireChallenge
ChallengeIssuer::issue(const std::string& deviceId, const base::Timestamp& now, base::RandomSource& random) const
{
    std::vector<std::uint8_t> salt(8);
    random.fill(salt);
    const auto issued = now.utc().time_since_epoch().count();
    const auto expires = issued + m_lifetime.count();
    protocol::WireChallenge c;
    c.id = "c1." + deviceId + "." + std::to_string(issued) + "." + std::to_string(expires) + "." + lowerHex(salt);
    c.nonceHex = lowerHex(m_pki.challengeMac(std::string(kDomain) + c.id));
    c.token = lowerHex(m_pki.signToken(std::string(kDomain) + c.id + "|" + c.nonceHex));
    c.issuedAt = now.withOffset(base::Timestamp::kJstOffsetMinutes);
    c.expiresAt = c.issuedAt.plus(m_lifetime);
    return c;
}

Expected<ChallengeClaim, Error> ChallengeIssuer::check(const std::string& id, const std::string& nonceHex) const
{
    const auto parts = split(id, '.');
    const auto issued = parts.size() == 5 ? number(parts[2]) : std::nullopt;
    const auto expires = parts.size() == 5 ? number(parts[3]) : std::nullopt;
    if (parts.size() != 5 || parts[0] != "c1" || !issued || !expires) {
        return Unexpected(
            Error{Errc::SignatureInvalid, "the challenge '" + id + "' was not issued by this gateway", "challenge_id"});
    }
    const auto expected = m_pki.challengeMac(std::string(kDomain) + id);
    auto given = base::fromHex(nonceHex);
    if (!given || given->size() != expected.size() ||
        CRYPTO_memcmp(given->data(), expected.data(), expected.size()) != 0) {
        return Unexpected(Error{Errc::SignatureInvalid,
                                "the challenge '" + id + "' was not issued by this gateway (nonce does not match)",
                                "challenge_nonce"});
    }
    ChallengeClaim claim;
    claim.deviceId = parts[1];
    claim.issuedAt = base::Timestamp::fromUtc(std::chrono::sys_seconds(std::chrono::seconds(*issued)));
    claim.expiresAt = base::Timestamp::fromUtc(std::chrono::sys_seconds(std::chrono::seconds(*expires)));
    return claim;
}

} // namespace zaitaku::sync::gateway
