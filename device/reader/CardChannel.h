#pragma once

// One open connection to one card. Implemented by the PC/SC backend, the RC-S380 driver and
// the in-process virtual card; everything above talks to cards only through this.

#include "base/Bytes.h"
#include "device/DeviceError.h"

#include <chrono>

namespace zaitaku::device
{

// What happens to the card when the connection ends.
enum class Disposition
{
    Leave,
    Reset, // default: no verified PIN state survives the connection
    Unpower,
};

class CardChannel
{
public:
    virtual ~CardChannel() = default;

    // One raw exchange: the encoded command in, the response (data ‖ SW1 SW2) out.
    virtual Expected<base::Bytes, Error> transmit(base::ByteView command, std::chrono::milliseconds timeout) = 0;
    virtual base::Bytes atr() const = 0;
    virtual Expected<void, Error> disconnect(Disposition disposition) = 0;
};

} // namespace zaitaku::device
