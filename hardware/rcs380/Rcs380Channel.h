#pragma once

// A connection to the Type B card on an RC-S380: ATTRIB done, APDUs carried by the ISO 14443-4
// block protocol over InCommRF. Ending the connection deselects the card; Reset and Unpower also
// switch the field off, so no verified PIN survives.

#include "device/reader/CardChannel.h"
#include "hardware/rcs380/BlockProtocol.h"
#include "hardware/rcs380/Session.h"

namespace zaitaku::hardware::rcs380
{

class Rcs380Channel : public device::CardChannel
{
public:
    // Activates the card found by Session::sense(keepField = true), at the fastest bit rate up
    // to `ceiling` that the card takes.
    static Expected<std::unique_ptr<Rcs380Channel>, Error>
    activate(std::shared_ptr<Session> session, const TypeBCard& card, BitRate ceiling = BitRate::Kbps212);
    BitRate bitRate() const { return m_rate; }
    ~Rcs380Channel() override;

    Expected<base::Bytes, Error> transmit(base::ByteView command, std::chrono::milliseconds timeout) override;
    base::Bytes atr() const override { return m_atr; }
    Expected<void, Error> disconnect(device::Disposition disposition) override;

private:
    Rcs380Channel(std::shared_ptr<Session> session, const TypeBCard& card);
    Transceiver transceiver();
    void release(bool fieldOff);

    std::shared_ptr<Session> m_session;
    BlockProtocol m_protocol;
    base::Bytes m_atr;
    BitRate m_rate = BitRate::Kbps106;
    bool m_open = true;
};

} // namespace zaitaku::hardware::rcs380
