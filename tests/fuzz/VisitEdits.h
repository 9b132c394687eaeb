#pragma once

// The edits both intake fuzz targets apply to a genuine visit payload (issue 34): the input is a
// script — remove a value, give it another type, add an unknown field beside it, keep the old
// seal, change a string — after which the evidence is sealed again with the tablet's key, so the
// edits reach the checks behind the signature instead of stopping at the hash.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

typedef struct evp_pkey_st EVP_PKEY;

namespace zaitaku::fuzz
{

// The sending tablet's Ed25519 key (fixed: the targets are deterministic).
class TabletKey
{
public:
    TabletKey();
    std::string publicHex() const;
    std::string signHex(const std::string& message) const;

private:
    std::shared_ptr<EVP_PKEY> m_key;
};

// A first visit `visitId` with visual evidence (no card signature to check) and one consent, as
// the visit engine writes it, naming `deviceId`, sealed with `key`.
nlohmann::json genuineVisit(const std::string& deviceId, const TabletKey& key, const std::string& visitId = "v-1");

// `payload` edited by the script in `data`, sealed again unless the script kept the old seal; its
// canonical text, or nothing when the edits left bytes that are not UTF-8 (no tablet can write
// them, and the gateway's JSON parser refuses them).
std::optional<std::string>
editVisit(nlohmann::json& payload, const std::uint8_t* data, std::size_t size, const TabletKey& key);

} // namespace zaitaku::fuzz
