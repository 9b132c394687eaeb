#include "hardware/rcs380/Frame.h"

#include <algorithm>
#include <numeric>

namespace zaitaku::hardware::rcs380
{

namespace
{

Unexpected<Error> malformed(const std::string& what)
{
    return Unexpected(Error{device::Errc::MalformedResponse, "RC-S380 frame: " + what});
}

std::uint8_t checksumOf(base::ByteView bytes)
{
    const unsigned sum = std::accumulate(bytes.begin(), bytes.end(), 0U);
    return static_cast<std::uint8_t>((0x100 - (sum & 0xFF)) & 0xFF);
}

} // namespace

base::Bytes encodeFrame(base::ByteView data)
{
    const auto length = static_cast<std::uint16_t>(data.size());
    const auto lo = static_cast<std::uint8_t>(length & 0xFF);
    const auto hi = static_cast<std::uint8_t>(length >> 8);
    base::Bytes out{0x00, 0x00, 0xFF, 0xFF, 0xFF, lo, hi};
    const std::uint8_t both[] = {lo, hi};
    out.push_back(checksumOf(both));
    out.insert(out.end(), data.begin(), data.end());
    out.push_back(checksumOf(data));
    out.push_back(0x00);
    return out;
}

Expected<Frame, Error> decodeFrame(base::ByteView bytes)
{
    if (std::equal(bytes.begin(), bytes.end(), kAckFrame.begin(), kAckFrame.end())) {
        return Frame{FrameKind::Ack, {}};
    }
    if (std::equal(bytes.begin(), bytes.end(), kErrorFrame.begin(), kErrorFrame.end())) {
        return Frame{FrameKind::Refused, {}};
    }
    if (bytes.size() < 10) {
        return malformed(bytes.size() < 3 ? "truncated preamble"
                                          : "truncated frame of " + std::to_string(bytes.size()) + " bytes");
    }
    if (bytes[0] != 0x00 || bytes[1] != 0x00 || bytes[2] != 0xFF) {
        return malformed("bad preamble");
    }
    if (bytes[3] != 0xFF || bytes[4] != 0xFF) {
        return malformed("not an extended frame");
    }
    const std::uint8_t lengthBytes[] = {bytes[5], bytes[6], bytes[7]};
    if (checksumOf(base::ByteView(lengthBytes, 2)) != bytes[7]) {
        return malformed("length checksum mismatch");
    }
    const std::size_t length = bytes[5] | (static_cast<std::size_t>(bytes[6]) << 8);
    if (length > kMaxFrameData) {
        return malformed("length " + std::to_string(length) + " over the limit");
    }
    if (bytes.size() < 8 + length + 2) {
        return malformed("truncated data (" + std::to_string(bytes.size() - 8) + " of " + std::to_string(length + 2) +
                         " bytes)");
    }
    if (bytes.size() > 8 + length + 2) {
        return malformed("trailing bytes after the frame");
    }
    const base::ByteView data = bytes.subspan(8, length);
    if (checksumOf(data) != bytes[8 + length]) {
        return malformed("data checksum mismatch");
    }
    if (bytes[9 + length] != 0x00) {
        return malformed("bad postamble");
    }
    return Frame{FrameKind::Data, base::Bytes(data.begin(), data.end())};
}

} // namespace zaitaku::hardware::rcs380
