#pragma once

#include "base/Bytes.h"
#include "device/DeviceError.h"
#include "device/apdu/StatusWord.h"

namespace zaitaku::device
{

struct ResponseApdu
{
    base::Bytes data;
    std::uint16_t sw = 0;

    bool ok() const { return sw == sw::kOk; }
    std::uint8_t sw1() const { return static_cast<std::uint8_t>(sw >> 8); }
    std::uint8_t sw2() const { return static_cast<std::uint8_t>(sw & 0xFF); }

    base::Bytes encode() const;
    // At least the two status bytes; everything before them is data.
    static Expected<ResponseApdu, Error> decode(base::ByteView bytes);
};

} // namespace zaitaku::device
