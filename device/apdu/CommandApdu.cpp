#include "device/apdu/CommandApdu.h"

namespace zaitaku::device
{

namespace
{

Error malformed(const std::string& why)
{
    return Error{Errc::MalformedResponse, "malformed command APDU: " + why};
}

std::uint32_t shortLe(std::uint8_t b)
{
    return b == 0 ? 256u : b;
}

std::uint32_t extendedLe(std::uint8_t hi, std::uint8_t lo)
{
    const std::uint32_t v = static_cast<std::uint32_t>(hi) << 8 | lo;
    return v == 0 ? 65536u : v;
}

} // namespace

Expected<base::Bytes, Error> CommandApdu::encode() const
{
    if (data.size() > 65535) {
        return Unexpected(malformed("data longer than 65535 bytes"));
    }
    if (le && (*le == 0 || *le > kMaxExtendedLe)) {
        return Unexpected(malformed("Le out of range"));
    }
    base::Bytes out{cla, ins, p1, p2};
    if (!needsExtended()) {
        if (!data.empty()) {
            out.push_back(static_cast<std::uint8_t>(data.size()));
            out.insert(out.end(), data.begin(), data.end());
        }
        if (le) {
            out.push_back(static_cast<std::uint8_t>(*le == 256 ? 0 : *le));
        }
        return out;
    }
    out.push_back(0x00);
    if (!data.empty()) {
        out.push_back(static_cast<std::uint8_t>(data.size() >> 8));
        out.push_back(static_cast<std::uint8_t>(data.size() & 0xFF));
        out.insert(out.end(), data.begin(), data.end());
    }
    if (le) {
        const std::uint32_t v = *le == 65536 ? 0 : *le;
        out.push_back(static_cast<std::uint8_t>(v >> 8));
        out.push_back(static_cast<std::uint8_t>(v & 0xFF));
    }
    return out;
}

Expected<CommandApdu, Error> CommandApdu::decode(base::ByteView b)
{
    if (b.size() < 4) {
        return Unexpected(malformed("shorter than a header"));
    }
    CommandApdu c;
    c.cla = b[0];
    c.ins = b[1];
    c.p1 = b[2];
    c.p2 = b[3];
    const std::size_t n = b.size();
    if (n == 4) {
        return c; // case 1
    }
    if (n == 5) {
        c.le = shortLe(b[4]); // case 2S
        return c;
    }
    if (b[4] != 0) {
        const std::size_t lc = b[4];
        if (n == 5 + lc || n == 6 + lc) {
            c.data.assign(b.begin() + 5, b.begin() + 5 + static_cast<std::ptrdiff_t>(lc));
            if (n == 6 + lc) {
                c.le = shortLe(b[n - 1]);
            }
            return c; // case 3S / 4S
        }
        return Unexpected(malformed("Lc does not match the length"));
    }
    // b[4] == 0: extended
    c.extended = true;
    if (n == 7) {
        c.le = extendedLe(b[5], b[6]); // case 2E
        return c;
    }
    if (n < 8) {
        return Unexpected(malformed("truncated extended length"));
    }
    const std::size_t lc = static_cast<std::size_t>(b[5]) << 8 | b[6];
    if (lc == 0) {
        return Unexpected(malformed("extended Lc of zero"));
    }
    if (n == 7 + lc || n == 9 + lc) {
        c.data.assign(b.begin() + 7, b.begin() + 7 + static_cast<std::ptrdiff_t>(lc));
        if (n == 9 + lc) {
            c.le = extendedLe(b[n - 2], b[n - 1]);
        }
        return c; // case 3E / 4E
    }
    return Unexpected(malformed("extended Lc does not match the length"));
}

std::string CommandApdu::toLogString() const
{
    const base::Bytes header{cla, ins, p1, p2};
    std::string out = base::toHex(header, true);
    const bool secret = (cla & 0x7F) == 0x00 && (ins == 0x20 || ins == 0x24);
    if (!data.empty()) {
        out += " [" + std::to_string(data.size()) + " bytes" + (secret ? " masked]" : "] " + base::toHex(data, true));
    }
    if (le) {
        out += " Le=" + std::to_string(*le);
    }
    return out;
}

} // namespace zaitaku::device
