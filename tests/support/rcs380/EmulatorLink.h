#pragma once

// A FrameLink straight into an Rcs380Emulator (no USB): the driver's chipset, block protocol and
// channel over the emulated chip, for unit tests and the benchmark. Records what was written.

#include "hardware/rcs380/FrameLink.h"
#include "support/rcs380/Rcs380Emulator.h"

namespace zaitaku::test
{

class EmulatorLink : public hardware::rcs380::FrameLink
{
public:
    explicit EmulatorLink(Rcs380Emulator& chip)
        : m_chip(chip)
    {}
    Expected<void, hardware::rcs380::Error> write(hardware::rcs380::ByteView bytes, std::chrono::milliseconds) override
    {
        m_written.emplace_back(bytes.begin(), bytes.end());
        m_chip.write(bytes);
        return {};
    }
    Expected<hardware::rcs380::Bytes, hardware::rcs380::Error> read(std::chrono::milliseconds) override
    {
        auto next = m_chip.read();
        if (!next) {
            return Unexpected(hardware::rcs380::Error{device::Errc::Timeout, "the emulated chip has nothing to send"});
        }
        return *next;
    }
    const std::vector<hardware::rcs380::Bytes>& written() const { return m_written; }
    void clearWritten() { m_written.clear(); }

private:
    Rcs380Emulator& m_chip;
    std::vector<hardware::rcs380::Bytes> m_written;
};

} // namespace zaitaku::test
