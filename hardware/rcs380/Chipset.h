#pragma once

// The RC-S380's command layer over a FrameLink: every command is a data frame the chip
// acknowledges (ACK frame) and then answers (data frame). Sets the chip up as an ISO 14443
// Type B reader at 106 kbit/s and carries frames to and from the card with InCommRF.

#include "hardware/rcs380/BlockProtocol.h"
#include "hardware/rcs380/Command.h"
#include "hardware/rcs380/FrameLink.h"

#include <string>

namespace zaitaku::hardware::rcs380
{

class Chipset
{
public:
    explicit Chipset(FrameLink& link)
        : m_link(link)
    {}

    // Cancels whatever a previous user left running (a bare ACK), selects command type 1, reads
    // the firmware version and switches RF off.
    Expected<void, Error> initialise();
    // InSetRF and InSetProtocol for Type B at 106 kbit/s (how every card is woken), then RF on.
    Expected<void, Error> startTypeB();
    // InSetRF at `rate`: after ATTRIB has agreed on it.
    Expected<void, Error> setBitRate(BitRate rate);
    Expected<void, Error> switchRf(bool on);
    // One frame to the card and its answer within `waitingTime`. A card that does not answer, or
    // answers with a damaged frame (CRC, parity, framing), is Reception::timedOut.
    Expected<Reception, Error> inCommRf(base::ByteView frame, std::chrono::microseconds waitingTime);

    Expected<base::Bytes, Error> command(CommandCode code, base::ByteView params, std::chrono::milliseconds timeout);

    const std::string& firmwareVersion() const { return m_firmware; }
    bool rfOn() const { return m_rfOn; }

    static constexpr std::chrono::milliseconds kCommandTimeout{500};

private:
    FrameLink& m_link;
    std::string m_firmware;
    bool m_rfOn = false;
};

} // namespace zaitaku::hardware::rcs380
