#pragma once

// The virtual card as an in-process CardChannel: the same emulator that zaitaku-vcard serves to
// pcscd, without the socket. For unit tests of the card client and as the benchmark baseline.

#include "device/reader/CardChannel.h"
#include "hardware/vcard/VirtualCard.h"

namespace zaitaku::hardware
{

class VirtualCardChannel final : public device::CardChannel
{
public:
    explicit VirtualCardChannel(VirtualCard& card)
        : m_card(card)
    {}

    Expected<base::Bytes, Error> transmit(base::ByteView command, std::chrono::milliseconds) override
    {
        if (m_closed) {
            return Unexpected(Error{device::Errc::CardRemoved, "the virtual card is disconnected"});
        }
        return m_card.process(command);
    }
    base::Bytes atr() const override { return m_card.atr(); }
    Expected<void, Error> disconnect(device::Disposition disposition) override
    {
        if (disposition != device::Disposition::Leave) {
            m_card.reset();
        }
        m_closed = true;
        return {};
    }

private:
    VirtualCard& m_card;
    bool m_closed = false;
};

} // namespace zaitaku::hardware
