#include "sync/store/DeviceSigningKey.h"

#include "base/Bytes.h"
#include "sync/sql/AuditLog.h"
#include "sync/sql/Transaction.h"

#include <memory>
#include <openssl/evp.h>

namespace zaitaku::sync::store
{

namespace
{

using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
constexpr std::size_t kSeedBytes = 32;

PKey privateKey(const base::SecureBytes& seed)
{
    return PKey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()), EVP_PKEY_free);
}

} // namespace

Expected<DeviceSigningKey, Error> DeviceSigningKey::loadOrCreate(Store& store, base::RandomSource& random)
{
    sql::Database& db = store.db();
    auto stored = db.queryText("SELECT value FROM store_meta WHERE key = 'device_signing_seed'");
    if (!stored) {
        return Unexpected(stored.error());
    }
    base::SecureBytes seed(kSeedBytes);
    if (!stored->empty()) {
        auto bytes = base::fromHex(*stored);
        if (!bytes || bytes->size() != kSeedBytes) {
            return Unexpected(Error{Errc::StoreCorrupted, "the device signing key in the store is malformed"});
        }
        std::copy(bytes->begin(), bytes->end(), seed.data());
        std::fill(bytes->begin(), bytes->end(), std::uint8_t{0});
        return DeviceSigningKey(std::move(seed));
    }
    random.fill(seed.span());
    DeviceSigningKey key(std::move(seed));
    auto tx = sql::Transaction::begin(db, sql::Durability::Full);
    if (!tx) {
        return Unexpected(tx.error());
    }
    auto insert = db.prepare("INSERT INTO store_meta (key, value) VALUES ('device_signing_seed', ?1), "
                             "('device_signing_public', ?2)");
    if (!insert) {
        return Unexpected(insert.error());
    }
    std::string hex = base::toHex(key.m_seed.span());
    insert->bind(1, hex).bind(2, key.publicKeyHex());
    std::fill(hex.begin(), hex.end(), '\0');
    if (auto done = insert->run(); !done) {
        return Unexpected(done.error());
    }
    if (auto done = sql::AuditLog::append(
            db, sql::AuditEntry{"system", "device.signing_key_created", "store", {{"public_key", key.publicKeyHex()}}},
            store.clock().nowJst());
        !done) {
        return Unexpected(done.error());
    }
    if (auto done = tx->commit(); !done) {
        return Unexpected(done.error());
    }
    return key;
}

std::string DeviceSigningKey::publicKeyHex() const
{
    PKey key = privateKey(m_seed);
    std::vector<std::uint8_t> raw(32);
    std::size_t length = raw.size();
    if (!key || EVP_PKEY_get_raw_public_key(key.get(), raw.data(), &length) != 1) {
        return {};
    }
    raw.resize(length);
    return base::toHex(raw);
}

Expected<std::vector<std::uint8_t>, Error> DeviceSigningKey::sign(std::string_view message) const
{
    PKey key = privateKey(m_seed);
    MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    std::vector<std::uint8_t> signature(64);
    std::size_t length = signature.size();
    if (!key || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), signature.data(), &length, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1) {
        return Unexpected(Error{Errc::StoreIo, "signing failed"});
    }
    signature.resize(length);
    return signature;
}

} // namespace zaitaku::sync::store
