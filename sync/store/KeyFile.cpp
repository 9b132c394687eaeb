#include "sync/store/KeyFile.h"

#include "base/AtomicFile.h"
#include "base/BoundedJson.h"
#include "base/Bytes.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace zaitaku::sync::store
{

namespace
{

using nlohmann::json;
constexpr std::size_t kMaxKeyFileBytes = 64 * 1024;

Error malformed(const std::string& path, const std::string& why)
{
    return Error{Errc::InvalidInput, "the key file " + path + " is malformed: " + why, "keys"};
}

Expected<std::vector<std::uint8_t>, Error> hexField(const json& j, const char* name, const std::string& path)
{
    if (!j.contains(name) || !j[name].is_string()) {
        return Unexpected(malformed(path, std::string("missing ") + name));
    }
    auto bytes = base::fromHex(j[name].get<std::string>());
    if (!bytes) {
        return Unexpected(malformed(path, std::string(name) + " is not hex"));
    }
    return std::move(*bytes);
}

} // namespace

std::string keyFilePathFor(const std::string& databasePath)
{
    return databasePath + ".keys";
}

const KeySlot* KeyFile::find(KeySlotKind kind) const
{
    const auto it = std::find_if(slots.begin(), slots.end(), [&](const KeySlot& s) { return s.kind == kind; });
    return it == slots.end() ? nullptr : &*it;
}

void KeyFile::put(KeySlot slot)
{
    remove(slot.kind);
    slots.push_back(std::move(slot));
}

bool KeyFile::remove(KeySlotKind kind)
{
    const auto before = slots.size();
    std::erase_if(slots, [&](const KeySlot& s) { return s.kind == kind; });
    return slots.size() != before;
}

json slotToJson(const KeySlot& slot)
{
    json s{{"slot", base::toCode(slot.kind)},
           {"nonce", base::toHex(slot.nonce)},
           {"wrapped_key", base::toHex(slot.wrapped)}};
    if (slot.scrypt) {
        s["kdf"] = json{{"name", "scrypt"},
                        {"log_n", slot.params.logN},
                        {"r", slot.params.r},
                        {"p", slot.params.p},
                        {"salt", base::toHex(slot.salt)}};
    } else {
        s["kdf"] = json{{"name", "none"}};
    }
    return s;
}

Expected<KeySlot, Error> slotFromJson(const json& s, const std::string& path)
{
    if (!s.is_object() || !s.contains("slot") || !s["slot"].is_string() || !s.contains("kdf") ||
        !s["kdf"].is_object()) {
        return Unexpected(malformed(path, "a slot lacks slot/kdf"));
    }
    auto kind = base::fromCode<KeySlotKind>(s["slot"].get<std::string>());
    if (!kind) {
        return Unexpected(malformed(path, "unknown slot " + s["slot"].get<std::string>()));
    }
    KeySlot slot;
    slot.kind = *kind;
    const json& kdf = s["kdf"];
    const std::string kdfName = kdf.value("name", "");
    if (kdfName == "scrypt") {
        if (!kdf.contains("log_n") || !kdf["log_n"].is_number_unsigned() || !kdf.contains("r") ||
            !kdf["r"].is_number_unsigned() || !kdf.contains("p") || !kdf["p"].is_number_unsigned()) {
            return Unexpected(malformed(path, "scrypt parameters missing"));
        }
        slot.params =
            protocol::ScryptParams{kdf["log_n"].get<unsigned>(), kdf["r"].get<unsigned>(), kdf["p"].get<unsigned>()};
        if (!slot.params.valid()) {
            return Unexpected(malformed(path, "scrypt parameters out of range"));
        }
        auto salt = hexField(kdf, "salt", path);
        if (!salt) {
            return Unexpected(salt.error());
        }
        slot.salt = std::move(*salt);
    } else if (kdfName == "none") {
        slot.scrypt = false;
    } else {
        return Unexpected(malformed(path, "unknown kdf " + kdfName));
    }
    auto nonce = hexField(s, "nonce", path);
    auto wrapped = hexField(s, "wrapped_key", path);
    if (!nonce || !wrapped) {
        return Unexpected(!nonce ? nonce.error() : wrapped.error());
    }
    slot.nonce = std::move(*nonce);
    slot.wrapped = std::move(*wrapped);
    return slot;
}

Expected<void, Error> KeyFile::save(const std::string& path) const
{
    json out{{"format", kFormat}, {"store_id", storeId}, {"cipher", "aes-256-gcm"}, {"slots", json::array()}};
    for (const auto& slot : slots) {
        out["slots"].push_back(slotToJson(slot));
    }
    if (auto written = base::writeFileAtomically(path, out.dump(2) + "\n", 0600); !written) {
        return Unexpected(fromBase(written.error()));
    }
    return {};
}

Expected<KeyFile, Error> KeyFile::load(const std::string& path)
{
    auto text = base::readSecretFile(path, kMaxKeyFileBytes);
    if (!text) {
        return Unexpected(fromBase(text.error()));
    }
    const json j = base::parseJson(*text);
    if (j.is_discarded() || !j.is_object()) {
        return Unexpected(malformed(path, "not JSON"));
    }
    if (j.value("format", "") != kFormat) {
        return Unexpected(malformed(path, "unknown format (expected " + std::string(kFormat) + ")"));
    }
    if (!j.contains("store_id") || !j["store_id"].is_string() || !j.contains("slots") || !j["slots"].is_array()) {
        return Unexpected(malformed(path, "missing store_id or slots"));
    }
    KeyFile file;
    file.storeId = j["store_id"].get<std::string>();
    for (const auto& s : j["slots"]) {
        auto slot = slotFromJson(s, path);
        if (!slot) {
            return Unexpected(slot.error());
        }
        file.put(std::move(*slot));
    }
    return file;
}

} // namespace zaitaku::sync::store
