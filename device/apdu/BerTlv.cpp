#include "device/apdu/BerTlv.h"

namespace zaitaku::device
{

namespace
{

Error malformed(const std::string& why)
{
    return Error{Errc::MalformedResponse, "malformed TLV: " + why};
}

} // namespace

Expected<TlvHeader, Error> parseTlvHeader(base::ByteView b)
{
    if (b.empty()) {
        return Unexpected(malformed("empty"));
    }
    TlvHeader h;
    std::size_t pos = 0;
    h.constructed = (b[0] & 0x20) != 0;
    h.tag = b[pos++];
    if ((h.tag & 0x1F) == 0x1F) {
        // Subsequent tag bytes: bit 8 set means another follows. At most 3 tag bytes in total.
        do {
            if (pos >= b.size()) {
                return Unexpected(malformed("truncated tag"));
            }
            if (pos >= 3) {
                return Unexpected(malformed("tag longer than 3 bytes"));
            }
            h.tag = h.tag << 8 | b[pos];
        } while ((b[pos++] & 0x80) != 0);
    }
    if (pos >= b.size()) {
        return Unexpected(malformed("missing length"));
    }
    const std::uint8_t first = b[pos++];
    if (first < 0x80) {
        h.valueLength = first;
    } else {
        const std::size_t count = first & 0x7F;
        if (count == 0) {
            return Unexpected(malformed("indefinite length"));
        }
        if (count > 3) {
            return Unexpected(malformed("length field longer than 3 bytes"));
        }
        if (pos + count > b.size()) {
            return Unexpected(malformed("truncated length"));
        }
        std::size_t len = 0;
        for (std::size_t i = 0; i < count; ++i) {
            len = len << 8 | b[pos++];
        }
        h.valueLength = len;
    }
    h.headerLength = pos;
    return h;
}

Expected<Tlv, Error> parseTlv(base::ByteView b)
{
    auto h = parseTlvHeader(b);
    if (!h) {
        return Unexpected(h.error());
    }
    if (h->valueLength > b.size() - h->headerLength) {
        return Unexpected(malformed("value of " + std::to_string(h->valueLength) + " bytes exceeds the " +
                                    std::to_string(b.size() - h->headerLength) + " available"));
    }
    return Tlv{h->tag, b.subspan(h->headerLength, h->valueLength)};
}

Expected<std::vector<Tlv>, Error> parseTlvSequence(base::ByteView b)
{
    std::vector<Tlv> out;
    while (!b.empty()) {
        auto h = parseTlvHeader(b);
        if (!h) {
            return Unexpected(h.error());
        }
        if (h->valueLength > b.size() - h->headerLength) {
            return Unexpected(malformed("value exceeds the enclosing TLV"));
        }
        out.push_back(Tlv{h->tag, b.subspan(h->headerLength, h->valueLength)});
        b = b.subspan(h->totalLength());
    }
    return out;
}

std::optional<Tlv> findTlv(const std::vector<Tlv>& tlvs, std::uint32_t tag)
{
    for (const auto& t : tlvs) {
        if (t.tag == tag) {
            return t;
        }
    }
    return std::nullopt;
}

base::Bytes encodeTlv(std::uint32_t tag, base::ByteView value)
{
    base::Bytes out;
    if (tag > 0xFFFF) {
        out.push_back(static_cast<std::uint8_t>(tag >> 16));
    }
    if (tag > 0xFF) {
        out.push_back(static_cast<std::uint8_t>(tag >> 8));
    }
    out.push_back(static_cast<std::uint8_t>(tag));
    const std::size_t n = value.size();
    if (n < 0x80) {
        out.push_back(static_cast<std::uint8_t>(n));
    } else if (n <= 0xFF) {
        out.insert(out.end(), {0x81, static_cast<std::uint8_t>(n)});
    } else if (n <= 0xFFFF) {
        out.insert(out.end(), {0x82, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)});
    } else {
        out.insert(out.end(), {0x83, static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8),
                               static_cast<std::uint8_t>(n)});
    }
    out.insert(out.end(), value.begin(), value.end());
    return out;
}

} // namespace zaitaku::device
