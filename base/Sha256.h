#pragma once

// SHA-256, the one digest zaitaku uses (signatures, record hashes, model and consent-text checks).

#include "base/Bytes.h"

#include <string>
#include <string_view>

namespace zaitaku::base
{

// The 32-byte digest of `message`.
Bytes sha256(ByteView message);
// Lower-case hex of the digest of `bytes` (the form records and manifests carry).
std::string sha256Hex(std::string_view bytes);

} // namespace zaitaku::base
