#pragma once

// BER-TLV as the My Number Card uses it: tags of 1–3 bytes (FF20, DF27), definite lengths in
// short form or 81/82/83 long form. Every parse checks bounds first: malformed or truncated input
// is an Error, never a read past the buffer.

#include "base/Bytes.h"
#include "device/DeviceError.h"

#include <optional>
#include <vector>

namespace zaitaku::device
{

struct TlvHeader
{
    std::uint32_t tag = 0;
    std::size_t headerLength = 0; // tag + length bytes
    std::size_t valueLength = 0;
    bool constructed = false;

    std::size_t totalLength() const { return headerLength + valueLength; }
};

struct Tlv
{
    std::uint32_t tag = 0;
    base::ByteView value;
};

// The header at the start of `bytes`; the value itself need not be present yet (a chunked reader
// reads the header first, then the rest).
Expected<TlvHeader, Error> parseTlvHeader(base::ByteView bytes);
// One complete TLV at the start of `bytes` (trailing bytes are allowed and ignored).
Expected<Tlv, Error> parseTlv(base::ByteView bytes);
// A sequence of complete TLVs that covers `bytes` exactly.
Expected<std::vector<Tlv>, Error> parseTlvSequence(base::ByteView bytes);
std::optional<Tlv> findTlv(const std::vector<Tlv>& tlvs, std::uint32_t tag);

// Encodes with the shortest length form.
base::Bytes encodeTlv(std::uint32_t tag, base::ByteView value);

} // namespace zaitaku::device
