#pragma once

// The RC-S380 command layer inside a data frame: a command is D6 CODE PARAMS…, its response
// D7 CODE+1 RESULT…. Codes and settings from nfcpy's nfc/clf/rcs380.py and the kernel's
// port100.c (hardware/READERS.md); only what a Type B reader needs is here.

#include "hardware/rcs380/Frame.h"
#include "hardware/rcs380/TypeB.h"

#include <chrono>
#include <cstdint>

namespace zaitaku::hardware::rcs380
{

enum class CommandCode : std::uint8_t
{
    InSetRf = 0x00,
    InSetProtocol = 0x02,
    InCommRf = 0x04,
    SwitchRf = 0x06,
    GetFirmwareVersion = 0x20,
    GetPdDataVersion = 0x22,
    GetCommandType = 0x28,
    SetCommandType = 0x2A,
};

inline constexpr std::uint8_t kCommandPrefix = 0xD6;
inline constexpr std::uint8_t kResponsePrefix = 0xD7;

// D6 CODE PARAMS…
base::Bytes encodeCommand(CommandCode code, base::ByteView params);
// The RESULT bytes of a response to `code`; MalformedResponse when it answers something else.
Expected<base::Bytes, Error> decodeResponse(CommandCode code, base::ByteView data);

// InSetRF for ISO 14443 Type B: send and receive settings 03 07 / 0F 07 at 106 kbit/s,
// 03 08 / 0F 08 at 212 kbit/s.
base::Bytes inSetRfTypeB(BitRate rate);
// InSetProtocol: the chip's documented defaults, then Type B framing (SOF/EOF on, guard time).
base::Bytes inSetProtocolDefaults();
base::Bytes inSetProtocolTypeB();

// InCommRF parameters: the timeout in the chip's 0.1 ms units (saturating) and the frame.
base::Bytes inCommRfParams(base::ByteView frame, std::chrono::microseconds timeout);

// InCommRF's result: a 32-bit little-endian status, one byte the driver ignores, then the frame
// the card sent. Status 0x80 is "no answer in time", the card-absent case.
enum class RfStatus : std::uint32_t
{
    Ok = 0,
    ProtocolError = 0x00000001,
    ParityError = 0x00000002,
    CrcError = 0x00000004,
    Collision = 0x00000008,
    Overflow = 0x00000010,
    Temperature = 0x00000040,
    ReceiveTimeout = 0x00000080,
    RfOff = 0x00000400,
    TransmitTimeout = 0x00000800,
    ReceiveLength = 0x80000000,
};

struct RfResult
{
    std::uint32_t status = 0;
    base::Bytes frame;
    bool ok() const { return status == 0; }
    bool timedOut() const { return (status & static_cast<std::uint32_t>(RfStatus::ReceiveTimeout)) != 0; }
};

Expected<RfResult, Error> decodeInCommRf(base::ByteView result);
std::string describeRfStatus(std::uint32_t status);

} // namespace zaitaku::hardware::rcs380
