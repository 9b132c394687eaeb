#include "base/Bytes.h"

#include <string.h> // explicit_bzero

namespace zaitaku::base
{

namespace
{

int nibble(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

} // namespace

void wipe(Bytes& bytes)
{
    if (!bytes.empty()) {
        ::explicit_bzero(bytes.data(), bytes.size());
    }
}

std::string toHex(ByteView bytes, bool spaced)
{
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(bytes.size() * 3);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (spaced && i > 0) {
            out.push_back(' ');
        }
        out.push_back(kDigits[bytes[i] >> 4]);
        out.push_back(kDigits[bytes[i] & 0x0F]);
    }
    return out;
}

Expected<Bytes, Error> fromHex(std::string_view text)
{
    Bytes out;
    int high = -1;
    for (char c : text) {
        if (c == ' ' || c == ':') {
            continue;
        }
        const int v = nibble(c);
        if (v < 0) {
            return Unexpected(Error{Errc::InvalidFormat, "not a hex digit: '" + std::string(1, c) + "'"});
        }
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(high << 4 | v));
            high = -1;
        }
    }
    if (high >= 0) {
        return Unexpected(Error{Errc::InvalidFormat, "odd number of hex digits"});
    }
    return out;
}

} // namespace zaitaku::base
