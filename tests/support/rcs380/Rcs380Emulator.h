#pragma once

// The RC-S380's firmware as seen over USB, for tests: bulk-out frames in, bulk-in frames out
// (an ACK, then the answer), the commands the driver uses, and a Type B card that can be put on
// and taken off the field. Every command and RF frame is logged for the tests to assert on.

#include "support/rcs380/EmulatedTypeBCard.h"

#include <deque>
#include <mutex>
#include <vector>

namespace zaitaku::test
{

class Rcs380Emulator
{
public:
    // One bulk-out transfer.
    void write(hardware::rcs380::ByteView bytes);
    // The next bulk-in transfer, if the chip has one ready.
    std::optional<hardware::rcs380::Bytes> read();

    void placeCard(std::unique_ptr<hardware::VirtualCard> card);
    void takeCardAway();
    EmulatedTypeBCard* card() { return m_card.get(); }

    bool rfOn() const { return m_rfOn; }
    // The Type B rate InSetRF last chose.
    hardware::rcs380::BitRate rate() const { return m_rate; }
    // Command codes the chip received, in order.
    std::vector<std::uint8_t> commands() const { return m_commands; }
    int malformedFrames() const { return m_malformed; }

private:
    void execute(hardware::rcs380::ByteView data);
    void answer(std::uint8_t code, hardware::rcs380::ByteView result);

    std::unique_ptr<EmulatedTypeBCard> m_card;
    std::deque<hardware::rcs380::Bytes> m_out;
    std::vector<std::uint8_t> m_commands;
    bool m_rfOn = false;
    hardware::rcs380::BitRate m_rate = hardware::rcs380::BitRate::Kbps106;
    int m_commandType = 0;
    int m_malformed = 0;
};

} // namespace zaitaku::test
