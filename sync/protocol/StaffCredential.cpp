#include "sync/protocol/StaffCredential.h"

#include "base/Bytes.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>

namespace zaitaku::sync::protocol
{

namespace
{

constexpr std::string_view kLabel = "zaitaku staff verifier v1";

Expected<std::string, Error> verifierOf(std::string_view secret, const base::Bytes& salt, const ScryptParams& params)
{
    auto key = deriveScrypt(secret, salt, params);
    if (!key) {
        return Unexpected(key.error());
    }
    unsigned char mac[32];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key->data(), static_cast<int>(key->size()),
         reinterpret_cast<const unsigned char*>(kLabel.data()), kLabel.size(), mac, &length);
    return base::toHex(base::Bytes(mac, mac + length));
}

} // namespace

nlohmann::json StaffCredential::toJson() const
{
    return {{"salt", saltHex}, {"log_n", params.logN}, {"r", params.r}, {"p", params.p}, {"verifier", verifierHex}};
}

Expected<StaffCredential, Error> StaffCredential::fromJson(const nlohmann::json& j)
{
    const auto bad = [] {
        return Unexpected(Error{Errc::ProtocolViolation, "a staff credential is malformed", "credential"});
    };
    if (!j.is_object() || !j.contains("salt") || !j["salt"].is_string() || !j.contains("verifier") ||
        !j["verifier"].is_string() || !j.contains("log_n") || !j["log_n"].is_number_unsigned() || !j.contains("r") ||
        !j["r"].is_number_unsigned() || !j.contains("p") || !j["p"].is_number_unsigned()) {
        return bad();
    }
    StaffCredential c;
    c.saltHex = j["salt"];
    c.verifierHex = j["verifier"];
    c.params = {j["log_n"].get<unsigned>(), j["r"].get<unsigned>(), j["p"].get<unsigned>()};
    if (!c.params.valid() || !base::fromHex(c.saltHex) || c.verifierHex.size() != 64 || !base::fromHex(c.verifierHex)) {
        return bad();
    }
    return c;
}

Expected<StaffCredential, Error>
makeStaffCredential(std::string_view secret, base::RandomSource& random, const ScryptParams& params)
{
    if (secret.size() < 4 || secret.size() > 128) {
        return Unexpected(Error{Errc::InvalidInput, "a staff PIN or passphrase has 4 to 128 characters", "secret"});
    }
    base::Bytes salt(16);
    random.fill(salt);
    StaffCredential c;
    c.saltHex = base::toHex(salt);
    c.params = params;
    auto verifier = verifierOf(secret, salt, params);
    if (!verifier) {
        return Unexpected(verifier.error());
    }
    c.verifierHex = std::move(*verifier);
    return c;
}

bool staffCredentialMatches(const StaffCredential& credential, std::string_view secret)
{
    auto salt = base::fromHex(credential.saltHex);
    if (!salt || !credential.params.valid()) {
        return false;
    }
    auto verifier = verifierOf(secret, *salt, credential.params);
    return verifier && verifier->size() == credential.verifierHex.size() &&
           CRYPTO_memcmp(verifier->data(), credential.verifierHex.data(), verifier->size()) == 0;
}

} // namespace zaitaku::sync::protocol
