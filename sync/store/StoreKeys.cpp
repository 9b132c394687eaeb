#include "sync/store/StoreKeys.h"

#include "base/AtomicFile.h"

#include <memory>
#include <openssl/evp.h>

namespace zaitaku::sync::store
{

namespace
{

constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr std::size_t kSaltBytes = 16;

std::string aadFor(const std::string& storeId, KeySlotKind kind)
{
    return "zaitaku-store-key/1|" + storeId + "|" + std::string(base::toCode(kind));
}

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

Expected<base::SecureBytes, Error> keyEncryptionKey(const UnlockSecret& secret, const KeySlot& slot)
{
    if (!slot.scrypt) {
        if (secret.bytes.size() != kDataKeyBytes) {
            return Unexpected(Error{Errc::InvalidInput, "a device key has 32 bytes", "device_key"});
        }
        base::SecureBytes kek(kDataKeyBytes);
        std::copy(secret.bytes.begin(), secret.bytes.end(), kek.data());
        return kek;
    }
    const std::string_view text(reinterpret_cast<const char*>(secret.bytes.data()), secret.bytes.size());
    return protocol::deriveScrypt(text, slot.salt, slot.params);
}

} // namespace

UnlockSecret UnlockSecret::passphrase(std::string_view text)
{
    return {KeySlotKind::Passphrase, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}};
}

UnlockSecret UnlockSecret::recoveryCode(std::string_view canonical)
{
    return {KeySlotKind::Recovery, {reinterpret_cast<const std::uint8_t*>(canonical.data()), canonical.size()}};
}

base::SecureBytes makeDataKey(base::RandomSource& random)
{
    base::SecureBytes key(kDataKeyBytes);
    random.fill(key.span());
    return key;
}

Expected<KeySlot, Error> wrapDataKey(const base::SecureBytes& dataKey,
                                     const UnlockSecret& secret,
                                     const protocol::ScryptParams& params,
                                     const std::string& storeId,
                                     base::RandomSource& random)
{
    KeySlot slot;
    slot.kind = secret.kind;
    slot.scrypt = secret.kind != KeySlotKind::Device;
    slot.params = params;
    if (slot.scrypt) {
        slot.salt.resize(kSaltBytes);
        random.fill(slot.salt);
    }
    slot.nonce.resize(kNonceBytes);
    random.fill(slot.nonce);
    auto kek = keyEncryptionKey(secret, slot);
    if (!kek) {
        return Unexpected(kek.error());
    }
    const std::string aad = aadFor(storeId, slot.kind);
    CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    slot.wrapped.resize(dataKey.size() + kTagBytes);
    int len = 0;
    int total = 0;
    const bool ok =
        ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, kek->data(), slot.nonce.data()) == 1 &&
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                          static_cast<int>(aad.size())) == 1 &&
        EVP_EncryptUpdate(ctx.get(), slot.wrapped.data(), &len, dataKey.data(), static_cast<int>(dataKey.size())) ==
            1 &&
        (total = len, EVP_EncryptFinal_ex(ctx.get(), slot.wrapped.data() + total, &len) == 1) &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, slot.wrapped.data() + dataKey.size()) == 1;
    if (!ok) {
        return Unexpected(Error{Errc::StoreIo, "wrapping the data key failed"});
    }
    return slot;
}

Expected<base::SecureBytes, Error>
unwrapDataKey(const KeySlot& slot, const UnlockSecret& secret, const std::string& storeId)
{
    if (slot.kind != secret.kind) {
        return Unexpected(Error{Errc::WrongKey, "the secret is for another key slot"});
    }
    if (slot.wrapped.size() != kDataKeyBytes + kTagBytes || slot.nonce.size() != kNonceBytes) {
        return Unexpected(Error{Errc::InvalidInput, "the key slot is malformed", "keys"});
    }
    auto kek = keyEncryptionKey(secret, slot);
    if (!kek) {
        return Unexpected(kek.error());
    }
    const std::string aad = aadFor(storeId, slot.kind);
    CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    base::SecureBytes key(kDataKeyBytes);
    std::vector<std::uint8_t> tag(slot.wrapped.end() - kTagBytes, slot.wrapped.end());
    int len = 0;
    const bool ok =
        ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, kek->data(), slot.nonce.data()) == 1 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                          static_cast<int>(aad.size())) == 1 &&
        EVP_DecryptUpdate(ctx.get(), key.data(), &len, slot.wrapped.data(), static_cast<int>(kDataKeyBytes)) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
        EVP_DecryptFinal_ex(ctx.get(), key.data() + kDataKeyBytes, &len) == 1;
    if (!ok) {
        return Unexpected(Error{Errc::WrongKey, std::string(describe(Errc::WrongKey)) + " (" +
                                                    std::string(base::toCode(slot.kind)) + ")"});
    }
    return key;
}

Expected<base::SecureBytes, Error> unlockKeyFile(const KeyFile& file, const UnlockSecret& secret)
{
    const KeySlot* slot = file.find(secret.kind);
    if (slot == nullptr) {
        return Unexpected(
            Error{Errc::WrongKey, "the store has no " + std::string(base::toCode(secret.kind)) + " key slot"});
    }
    return unwrapDataKey(*slot, secret, file.storeId);
}

Expected<base::SecureBytes, Error> createDeviceKeyFile(const std::string& path, base::RandomSource& random)
{
    if (base::fileExists(path)) {
        return loadDeviceKeyFile(path);
    }
    base::SecureBytes key(kDataKeyBytes);
    random.fill(key.span());
    auto written =
        base::writeFileAtomically(path, std::string_view(reinterpret_cast<const char*>(key.data()), key.size()), 0600);
    if (!written) {
        return Unexpected(fromBase(written.error()));
    }
    return key;
}

Expected<base::SecureBytes, Error> loadDeviceKeyFile(const std::string& path)
{
    // The raw key that unwraps the data key: owner-only, no links, like the other key files (L2).
    auto content = base::readSecretFile(path, kDataKeyBytes);
    if (!content) {
        return Unexpected(fromBase(content.error()));
    }
    if (content->size() != kDataKeyBytes) {
        return Unexpected(Error{Errc::InvalidInput, "a device key file holds exactly 32 bytes", "device_key"});
    }
    base::SecureBytes key(kDataKeyBytes);
    std::copy(content->begin(), content->end(), key.data());
    std::fill(content->begin(), content->end(), '\0');
    return key;
}

} // namespace zaitaku::sync::store
