#pragma once

// Byte strings and their hex form (for logs, CLI arguments and test vectors).

#include "device/DeviceError.h"
#include "verify/model/Expected.h"

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zaitaku::device
{

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// "00A4040C" or, with spaced, "00 A4 04 0C".
std::string toHex(ByteView bytes, bool spaced = false);
// Accepts upper/lower case, ignores spaces and colons; rejects odd lengths and non-hex characters.
Expected<Bytes, Error> fromHex(std::string_view text);

// The parts one after another (one allocation).
inline Bytes concat(std::initializer_list<ByteView> parts)
{
    std::size_t size = 0;
    for (const auto& p : parts) {
        size += p.size();
    }
    Bytes out;
    out.reserve(size);
    for (const auto& p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

inline Bytes bytesOf(std::string_view ascii)
{
    return Bytes(ascii.begin(), ascii.end());
}

} // namespace zaitaku::device
