#include "sync/protocol/EvidenceSignature.h"

#include "base/Bytes.h"

#include <memory>
#include <openssl/evp.h>

namespace zaitaku::sync::protocol
{

bool verifyDeviceSignature(std::string_view publicKeyHex,
                           std::string_view message,
                           const std::vector<std::uint8_t>& signature)
{
    auto raw = base::fromHex(publicKeyHex);
    if (!raw || raw->size() != 32) {
        return false;
    }
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw->data(), raw->size()), EVP_PKEY_free);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    return key && ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
           EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                            reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

} // namespace zaitaku::sync::protocol
