#pragma once

// Where the chipset's frames go: one bulk-out write, one bulk-in read, each with a timeout.
// UsbDevice is the real one; tests and the benchmark put the emulated chip behind one.

#include "hardware/rcs380/Frame.h"

#include <chrono>

namespace zaitaku::hardware::rcs380
{

class FrameLink
{
public:
    virtual ~FrameLink() = default;
    virtual Expected<void, Error> write(base::ByteView bytes, std::chrono::milliseconds timeout) = 0;
    // One transfer from the bulk-in endpoint (a whole frame). Errc::Timeout when nothing came.
    virtual Expected<base::Bytes, Error> read(std::chrono::milliseconds timeout) = 0;
    // The device went away (every later transfer fails).
    virtual bool detached() const { return false; }
};

} // namespace zaitaku::hardware::rcs380
