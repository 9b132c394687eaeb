#include "base/Sha256.h"

#include <openssl/evp.h>

namespace zaitaku::base
{

Bytes sha256(ByteView message)
{
    unsigned char hash[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(message.data(), message.size(), hash, &length, EVP_sha256(), nullptr);
    return Bytes(hash, hash + length);
}

std::string sha256Hex(std::string_view bytes)
{
    const Bytes digest = sha256(ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(digest.size() * 2);
    for (const std::uint8_t b : digest) {
        out += kHex[b >> 4];
        out += kHex[b & 0x0f];
    }
    return out;
}

} // namespace zaitaku::base
