#include "sync/store/CanonicalJson.h"

#include <array>
#include <nlohmann/json.hpp>
#include <openssl/sha.h>

namespace zaitaku::sync::store
{

std::string canonicalJson(const nlohmann::json& value)
{
    // Invalid UTF-8 never reaches a hash: it is an error, not replaced silently.
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

std::string sha256Hex(std::string_view bytes)
{
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest.data());
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(digest.size() * 2);
    for (const unsigned char b : digest) {
        out += kHex[b >> 4];
        out += kHex[b & 0x0f];
    }
    return out;
}

} // namespace zaitaku::sync::store
