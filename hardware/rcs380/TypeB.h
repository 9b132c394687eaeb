#pragma once

// ISO/IEC 14443-3 Type B activation as a reader does it: SENSB_REQ (REQB), the card's SENSB_RES
// (ATQB), ATTRIB and its answer; and the ATR a PC/SC reader builds for a Type B card (PC/SC
// Part 3, "ATR for contactless cards": 3B 88 80 01 ‖ application data ‖ protocol info ‖ MBLI/CID
// ‖ TCK), so that the RC-S380 reports the same ATR as a CCID reader does.

#include "hardware/rcs380/Frame.h"

#include <array>
#include <chrono>

namespace zaitaku::hardware::rcs380
{

// REQB: APf 05, AFI 00 (all families), PARAM 00 (one slot, REQB not WUPB).
base::Bytes sensbRequest();
// WUPB: the same with the wake-up bit, so a HALTed card answers too.
base::Bytes sensbWakeUp();

// ISO 14443 Type B bit rates the driver uses (the same both ways).
enum class BitRate
{
    Kbps106,
    Kbps212,
};

struct TypeBCard
{
    std::array<std::uint8_t, 4> pupi{};
    std::array<std::uint8_t, 4> applicationData{};
    std::array<std::uint8_t, 3> protocolInfo{};
    // Derived from protocolInfo.
    std::size_t maxFrameSize = 32; // FSC: the largest frame the card accepts
    bool iso14443_4 = false;       // protocol type bit: ISO 14443-4 compliant
    int fwi = 4;                   // frame waiting time integer
    bool cidSupported = false;
    bool nadSupported = false;
    bool supports212 = false; // Bit_Rate_capability: 212 kbit/s in both directions
};

// SENSB_RES: 50 ‖ PUPI(4) ‖ application data(4) ‖ protocol info(3) [‖ extended byte].
Expected<TypeBCard, Error> parseSensbResponse(base::ByteView response);

// FSCI → FSC (ISO/IEC 14443-4 table: 16, 24, 32, 40, 48, 64, 96, 128, 256, and 512…4096 for
// the newer codes); codes above 12 are RFU and read as 256.
std::size_t frameSizeOf(int fsci);
// FWT = (256 × 16 / fc) × 2^FWI, about 302 µs × 2^FWI; FWI 15 is RFU and read as 4.
std::chrono::microseconds frameWaitingTime(int fwi);

// The fastest rate, at most `ceiling`, that the card takes both ways. A card that says nothing
// about 212 kbit/s stays at 106.
BitRate negotiateBitRate(const TypeBCard& card, BitRate ceiling);
// ATTRIB 1D ‖ PUPI ‖ param1 00 (default TR0/TR1, SOF and EOF) ‖ param2 (the bit rate both ways in
// b8-b5, FSDI 8 in b4-b1: the reader takes 256-byte frames) ‖ param3 (ISO 14443-4) ‖ param4
// (CID 0). After the answer, the reader switches to `rate`.
base::Bytes attribRequest(const TypeBCard& card, BitRate rate = BitRate::Kbps106);
inline constexpr std::size_t kReaderFrameSize = 256;
// The answer: MBLI/CID byte [‖ higher-layer response]; CID must be 0.
Expected<void, Error> checkAttribResponse(base::ByteView response);

// The PC/SC Part 3 ATR for this card.
base::Bytes pcscAtrOf(const TypeBCard& card, std::uint8_t mbliCid = 0x00);

} // namespace zaitaku::hardware::rcs380
