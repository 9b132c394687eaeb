#include "hardware/rcs380/Command.h"

#include <algorithm>
#include <cstdio>

namespace zaitaku::hardware::rcs380
{

base::Bytes encodeCommand(CommandCode code, base::ByteView params)
{
    const std::uint8_t header[] = {kCommandPrefix, static_cast<std::uint8_t>(code)};
    return base::concat({header, params});
}

Expected<base::Bytes, Error> decodeResponse(CommandCode code, base::ByteView data)
{
    const auto expected = static_cast<std::uint8_t>(static_cast<std::uint8_t>(code) + 1);
    if (data.size() < 2 || data[0] != kResponsePrefix || data[1] != expected) {
        char what[96];
        std::snprintf(what, sizeof what, "RC-S380: expected a response D7 %02X, got %s", expected,
                      data.empty() ? "nothing"
                                   : base::toHex(data.first(std::min<std::size_t>(data.size(), 2))).c_str());
        return Unexpected(Error{device::Errc::MalformedResponse, what});
    }
    return base::Bytes(data.begin() + 2, data.end());
}

base::Bytes inSetRfTypeB(BitRate rate)
{
    const std::uint8_t setting = rate == BitRate::Kbps212 ? 0x08 : 0x07;
    return {0x03, setting, 0x0F, setting};
}

base::Bytes inSetProtocolDefaults()
{
    // (setting, value) pairs: initial guard time 0x18, add CRC, check CRC, no multi-card, no
    // parity handling, no anticollision, 8 valid bits in the last byte, no Crypto1, no SOF/EOF,
    // deaf time 4, no continuous receive, RFCA off, guard time 6.
    return {0x00, 0x18, 0x01, 0x01, 0x02, 0x01, 0x03, 0x00, 0x04, 0x00, 0x05, 0x00, 0x06,
            0x00, 0x07, 0x08, 0x08, 0x00, 0x09, 0x00, 0x0A, 0x00, 0x0B, 0x00, 0x0C, 0x00,
            0x0E, 0x04, 0x0F, 0x00, 0x10, 0x00, 0x11, 0x00, 0x12, 0x00, 0x13, 0x06};
}

base::Bytes inSetProtocolTypeB()
{
    // Initial guard time 20, add and check SOF and EOF (Type B character framing).
    return {0x00, 0x14, 0x09, 0x01, 0x0A, 0x01, 0x0B, 0x01, 0x0C, 0x01};
}

base::Bytes inCommRfParams(base::ByteView frame, std::chrono::microseconds timeout)
{
    const auto units = std::clamp<std::int64_t>(timeout.count() / 100, 1, 0xFFFF);
    const std::uint8_t littleEndian[] = {static_cast<std::uint8_t>(units & 0xFF),
                                         static_cast<std::uint8_t>(units >> 8)};
    return base::concat({littleEndian, frame});
}

Expected<RfResult, Error> decodeInCommRf(base::ByteView result)
{
    if (result.size() < 4) {
        return Unexpected(Error{device::Errc::MalformedResponse, "RC-S380: InCommRF result shorter than its status"});
    }
    RfResult out;
    out.status = static_cast<std::uint32_t>(result[0]) | (static_cast<std::uint32_t>(result[1]) << 8) |
                 (static_cast<std::uint32_t>(result[2]) << 16) | (static_cast<std::uint32_t>(result[3]) << 24);
    if (out.ok()) {
        if (result.size() < 5) {
            return Unexpected(Error{device::Errc::MalformedResponse, "RC-S380: InCommRF result without its frame"});
        }
        out.frame.assign(result.begin() + 5, result.end());
    }
    return out;
}

std::string describeRfStatus(std::uint32_t status)
{
    struct Name
    {
        RfStatus bit;
        const char* text;
    };
    static constexpr Name kNames[] = {
        {RfStatus::ProtocolError, "protocol error"},
        {RfStatus::ParityError, "parity error"},
        {RfStatus::CrcError, "CRC error"},
        {RfStatus::Collision, "collision"},
        {RfStatus::Overflow, "overflow"},
        {RfStatus::Temperature, "over temperature"},
        {RfStatus::ReceiveTimeout, "no answer"},
        {RfStatus::RfOff, "RF off"},
        {RfStatus::TransmitTimeout, "transmit timeout"},
        {RfStatus::ReceiveLength, "receive length"},
    };
    std::string out;
    for (const auto& n : kNames) {
        if ((status & static_cast<std::uint32_t>(n.bit)) != 0) {
            out += (out.empty() ? "" : ", ") + std::string(n.text);
        }
    }
    if (out.empty()) {
        char hex[16];
        std::snprintf(hex, sizeof hex, "0x%08X", status);
        out = std::string("status ") + hex;
    }
    return out;
}

} // namespace zaitaku::hardware::rcs380
