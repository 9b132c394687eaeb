#pragma once

#include "device/apdu/Bytes.h"
#include "device/apdu/StatusWord.h"

namespace zaitaku::device
{

struct ResponseApdu
{
    Bytes data;
    std::uint16_t sw = 0;

    bool ok() const { return sw == sw::kOk; }
    std::uint8_t sw1() const { return static_cast<std::uint8_t>(sw >> 8); }
    std::uint8_t sw2() const { return static_cast<std::uint8_t>(sw & 0xFF); }

    Bytes encode() const;
    // At least the two status bytes; everything before them is data.
    static Expected<ResponseApdu, Error> decode(ByteView bytes);
};

} // namespace zaitaku::device
