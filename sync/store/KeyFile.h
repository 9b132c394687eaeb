#pragma once

// The key file next to the database (<db>.keys): the store's random data key wrapped once per
// slot (operator passphrase, recovery code, optional device key). Without a slot's secret the file
// reveals nothing; changing a passphrase rewrites one slot, never the database.

#include "base/CodeTable.h"
#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/protocol/Scrypt.h"

#include <array>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace zaitaku::sync::store
{

enum class KeySlotKind
{
    Passphrase, // the operator's passphrase → scrypt → KEK
    Recovery,   // the recovery code printed at init → scrypt → KEK
    Device,     // a 32-byte device key file (kiosk or sync daemon unlock) used directly as KEK
};

struct KeySlot
{
    KeySlotKind kind = KeySlotKind::Passphrase;
    bool scrypt = true; // false for Device
    protocol::ScryptParams params;
    std::vector<std::uint8_t> salt;
    std::vector<std::uint8_t> nonce;
    std::vector<std::uint8_t> wrapped; // AES-256-GCM ciphertext ‖ tag
};

struct KeyFile
{
    static constexpr const char* kFormat = "zaitaku-store-keys/1";

    std::string storeId; // binds the wraps to one store (it is in every wrap's AAD)
    std::vector<KeySlot> slots;

    static Expected<KeyFile, Error> load(const std::string& path);
    Expected<void, Error> save(const std::string& path) const;

    const KeySlot* find(KeySlotKind kind) const;
    void put(KeySlot slot); // replaces the slot of the same kind
    bool remove(KeySlotKind kind);
};

std::string keyFilePathFor(const std::string& databasePath);

// One slot as JSON (also used by export archives); `where` names the file in errors.
nlohmann::json slotToJson(const KeySlot& slot);
Expected<KeySlot, Error> slotFromJson(const nlohmann::json& json, const std::string& where);

} // namespace zaitaku::sync::store

namespace zaitaku::base
{
template <> struct CodeTable<sync::store::KeySlotKind>
{
    static constexpr std::string_view name = "KeySlotKind";
    static constexpr std::array<CodeEntry<sync::store::KeySlotKind>, 3> entries{{
        {sync::store::KeySlotKind::Passphrase, "passphrase", "パスフレーズ"},
        {sync::store::KeySlotKind::Recovery, "recovery", "回復コード"},
        {sync::store::KeySlotKind::Device, "device", "端末鍵"},
    }};
};
} // namespace zaitaku::base
