#include "hardware/rcs380/TypeB.h"

#include <algorithm>

namespace zaitaku::hardware::rcs380
{

namespace
{

Unexpected<Error> malformed(const std::string& what)
{
    return Unexpected(Error{device::Errc::MalformedResponse, "Type B: " + what});
}

} // namespace

base::Bytes sensbRequest()
{
    return {0x05, 0x00, 0x00};
}

base::Bytes sensbWakeUp()
{
    return {0x05, 0x00, 0x08};
}

std::size_t frameSizeOf(int fsci)
{
    static constexpr std::size_t kSizes[] = {16, 24, 32, 40, 48, 64, 96, 128, 256, 512, 1024, 2048, 4096};
    return fsci >= 0 && fsci < 13 ? kSizes[fsci] : 256;
}

std::chrono::microseconds frameWaitingTime(int fwi)
{
    if (fwi < 0 || fwi > 14) {
        fwi = 4;
    }
    // 256 × 16 / 13.56 MHz = 302.06 µs, rounded up.
    return std::chrono::microseconds((30206LL * (1LL << fwi) + 99) / 100);
}

Expected<TypeBCard, Error> parseSensbResponse(base::ByteView response)
{
    if (response.size() != 12 && response.size() != 13) {
        return malformed("SENSB_RES of " + std::to_string(response.size()) + " bytes (expected 12 or 13)");
    }
    if (response[0] != 0x50) {
        return malformed("SENSB_RES does not start with 50");
    }
    TypeBCard card;
    std::copy_n(response.begin() + 1, 4, card.pupi.begin());
    std::copy_n(response.begin() + 5, 4, card.applicationData.begin());
    std::copy_n(response.begin() + 9, 3, card.protocolInfo.begin());
    const std::uint8_t sizeAndType = card.protocolInfo[1];
    card.maxFrameSize = frameSizeOf(sizeAndType >> 4);
    card.iso14443_4 = (sizeAndType & 0x01) != 0;
    if ((sizeAndType & 0x08) != 0) {
        return malformed("protocol type has the RFU bit b4 set");
    }
    // b1 PCD→PICC 212, b5 PICC→PCD 212 (b8: the same rate both ways is compulsory).
    card.supports212 = (card.protocolInfo[0] & 0x11) == 0x11;
    card.fwi = card.protocolInfo[2] >> 4;
    card.nadSupported = (card.protocolInfo[2] & 0x02) != 0;
    card.cidSupported = (card.protocolInfo[2] & 0x01) != 0;
    return card;
}

BitRate negotiateBitRate(const TypeBCard& card, BitRate ceiling)
{
    return ceiling == BitRate::Kbps212 && card.supports212 ? BitRate::Kbps212 : BitRate::Kbps106;
}

base::Bytes attribRequest(const TypeBCard& card, BitRate rate)
{
    const std::uint8_t command[] = {0x1D};
    const std::uint8_t params[] = {0x00, static_cast<std::uint8_t>(rate == BitRate::Kbps212 ? 0x58 : 0x08), 0x01,
                                   0x00}; // param 2: 01 01 = 212 kbit/s each way, FSDI 8
    return base::concat({command, card.pupi, params});
}

Expected<void, Error> checkAttribResponse(base::ByteView response)
{
    if (response.empty()) {
        return malformed("empty ATTRIB answer");
    }
    if ((response[0] & 0x0F) != 0) {
        return malformed("ATTRIB answer names CID " + std::to_string(response[0] & 0x0F) + ", not 0");
    }
    return {};
}

base::Bytes pcscAtrOf(const TypeBCard& card, std::uint8_t mbliCid)
{
    const std::uint8_t header[] = {0x3B, 0x88, 0x80, 0x01};
    const std::uint8_t mbli[] = {mbliCid};
    base::Bytes atr = base::concat({header, card.applicationData, card.protocolInfo, mbli});
    std::uint8_t tck = 0;
    for (std::size_t i = 1; i < atr.size(); ++i) {
        tck ^= atr[i];
    }
    atr.push_back(tck);
    return atr;
}

} // namespace zaitaku::hardware::rcs380
