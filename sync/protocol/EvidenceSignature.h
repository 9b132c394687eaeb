#pragma once

// The check of a tablet's Ed25519 device signature (evidence bundles, export archives): the gateway
// verifies with the public key the tablet sent at enrollment; the tablet signs with
// store/DeviceSigningKey.

#include <cstdint>
#include <string_view>
#include <vector>

namespace zaitaku::sync::protocol
{

// `publicKeyHex`: the raw 32-byte Ed25519 public key as hex. False for a malformed key too.
bool verifyDeviceSignature(std::string_view publicKeyHex,
                           std::string_view message,
                           const std::vector<std::uint8_t>& signature);

} // namespace zaitaku::sync::protocol
