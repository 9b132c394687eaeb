#pragma once

// ISO/IEC 7816-4 command APDU: short form where it fits, extended when asked or needed.

#include "base/Bytes.h"
#include "device/DeviceError.h"

#include <optional>

namespace zaitaku::device
{

struct CommandApdu
{
    std::uint8_t cla = 0x00;
    std::uint8_t ins = 0x00;
    std::uint8_t p1 = 0x00;
    std::uint8_t p2 = 0x00;
    base::Bytes data;
    std::optional<std::uint32_t> le; // expected length: 1..256 short, 1..65536 extended; absent = none
    bool extended = false;           // force the extended form

    static constexpr std::size_t kMaxShortData = 255;
    static constexpr std::uint32_t kMaxShortLe = 256;
    static constexpr std::uint32_t kMaxExtendedLe = 65536;

    bool needsExtended() const { return extended || data.size() > kMaxShortData || (le && *le > kMaxShortLe); }
    // Errors only for impossible sizes (data > 65535, Le of 0 or > 65536).
    Expected<base::Bytes, Error> encode() const;
    // Parses cases 1, 2S/3S/4S and 2E/3E/4E; anything else is MalformedResponse (never reads past).
    static Expected<CommandApdu, Error> decode(base::ByteView bytes);

    // For logs: the header and Lc, with the body of VERIFY / CHANGE REFERENCE DATA masked, so a
    // PIN or a 照合番号 never reaches a log line.
    std::string toLogString() const;
};

} // namespace zaitaku::device
