#pragma once

// Wrapping and unwrapping the store's data key (AES-256-GCM under a key-encryption key) and the
// key-file operations built on it: create, unlock, change the passphrase, add a device key.
// A wrong secret fails the GCM tag: Errc::WrongKey, and nothing on disk is touched.

#include "base/Expected.h"
#include "base/Random.h"
#include "base/SecureBytes.h"
#include "sync/SyncError.h"
#include "sync/store/KeyFile.h"

#include <span>
#include <string>
#include <string_view>

namespace zaitaku::sync::store
{

inline constexpr std::size_t kDataKeyBytes = 32; // AES-256 for SQLCipher's raw key

// A secret that opens one slot. Passphrase and recovery code are text (stretched with scrypt);
// the device key is 32 raw bytes from a file.
struct UnlockSecret
{
    KeySlotKind kind = KeySlotKind::Passphrase;
    std::span<const std::uint8_t> bytes;

    static UnlockSecret passphrase(std::string_view text);
    static UnlockSecret recoveryCode(std::string_view canonical);
    static UnlockSecret deviceKey(const base::SecureBytes& key) { return {KeySlotKind::Device, key.span()}; }
};

base::SecureBytes makeDataKey(base::RandomSource& random);

Expected<KeySlot, Error> wrapDataKey(const base::SecureBytes& dataKey,
                                     const UnlockSecret& secret,
                                     const protocol::ScryptParams& params,
                                     const std::string& storeId,
                                     base::RandomSource& random);
Expected<base::SecureBytes, Error>
unwrapDataKey(const KeySlot& slot, const UnlockSecret& secret, const std::string& storeId);

// Tries the slot matching the secret's kind.
Expected<base::SecureBytes, Error> unlockKeyFile(const KeyFile& file, const UnlockSecret& secret);

// Device key files: exactly 32 random bytes, mode 0600.
Expected<base::SecureBytes, Error> createDeviceKeyFile(const std::string& path, base::RandomSource& random);
Expected<base::SecureBytes, Error> loadDeviceKeyFile(const std::string& path);

} // namespace zaitaku::sync::store
