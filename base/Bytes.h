#pragma once

// Byte strings and their hex form (for logs, CLI arguments and test vectors).

#include "base/BaseError.h"
#include "base/Expected.h"

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zaitaku::base
{

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// "00A4040C" or, with spaced, "00 A4 04 0C".
std::string toHex(ByteView bytes, bool spaced = false);
// Accepts upper/lower case, ignores spaces and colons; rejects odd lengths and non-hex characters.
Expected<Bytes, Error> fromHex(std::string_view text);

// Overwrites the bytes in a way the compiler keeps (explicit_bzero). Every copy a VERIFY's PIN or
// 照合番号B passes through on its way to the card is wiped before it is freed: the APDU, its
// encoding, the firewall's parse, the PC/SC and RC-S380 buffers.
void wipe(Bytes& bytes);

// Wipes `bytes` when the scope ends, however it ends.
class WipeOnExit
{
public:
    explicit WipeOnExit(Bytes& bytes)
        : m_bytes(bytes)
    {}
    ~WipeOnExit() { wipe(m_bytes); }
    WipeOnExit(const WipeOnExit&) = delete;
    WipeOnExit& operator=(const WipeOnExit&) = delete;

private:
    Bytes& m_bytes;
};

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

} // namespace zaitaku::base
