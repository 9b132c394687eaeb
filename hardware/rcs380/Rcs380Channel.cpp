#include "hardware/rcs380/Rcs380Channel.h"

namespace zaitaku::hardware::rcs380
{

namespace
{

using device::Errc;

} // namespace

Rcs380Channel::Rcs380Channel(std::shared_ptr<Session> session, const TypeBCard& card)
    : m_session(std::move(session))
    , m_protocol(std::min(card.maxFrameSize, kReaderFrameSize), frameWaitingTime(card.fwi))
    , m_atr(pcscAtrOf(card))
{}

Expected<std::unique_ptr<Rcs380Channel>, Error>
Rcs380Channel::activate(std::shared_ptr<Session> session, const TypeBCard& card, BitRate ceiling)
{
    if (!card.iso14443_4) {
        (void)session->chipset().switchRf(false);
        return Unexpected(Error{Errc::UnsupportedCard, "the Type B card on the RC-S380 does not speak ISO 14443-4"});
    }
    std::unique_ptr<Rcs380Channel> channel(new Rcs380Channel(session, card));
    channel->m_rate = negotiateBitRate(card, ceiling);
    auto answer = session->chipset().inCommRf(attribRequest(card, channel->m_rate), frameWaitingTime(card.fwi));
    if (!answer) {
        return Unexpected(answer.error());
    }
    if (answer->timedOut) {
        (void)session->chipset().switchRf(false);
        return Unexpected(Error{Errc::CardRemoved, "the card left the RC-S380 during activation (ATTRIB)"});
    }
    if (auto accepted = checkAttribResponse(answer->frame); !accepted) {
        (void)session->chipset().switchRf(false);
        return Unexpected(accepted.error());
    }
    if (channel->m_rate != BitRate::Kbps106) {
        // The card answered ATTRIB at 106 kbit/s and now listens at the agreed rate.
        if (auto switched = session->chipset().setBitRate(channel->m_rate); !switched) {
            (void)session->chipset().switchRf(false);
            return Unexpected(switched.error());
        }
    }
    session->connectedAtr = channel->m_atr;
    return channel;
}

Rcs380Channel::~Rcs380Channel()
{
    if (m_open) {
        std::lock_guard lock(m_session->mutex());
        release(true);
    }
}

Transceiver Rcs380Channel::transceiver()
{
    return [session = m_session](base::ByteView frame, std::chrono::microseconds wait) {
        return session->chipset().inCommRf(frame, wait);
    };
}

Expected<base::Bytes, Error> Rcs380Channel::transmit(base::ByteView command, std::chrono::milliseconds timeout)
{
    if (!m_open) {
        return Unexpected(Error{Errc::TransmitFailed, "the RC-S380 connection is closed"});
    }
    std::lock_guard lock(m_session->mutex());
    auto response = m_protocol.exchange(command, transceiver(), std::chrono::steady_clock::now() + timeout);
    if (!response && response.error().code == Errc::CardRemoved) {
        // The card is gone: this connection is over; the next one needs a new activation.
        release(true);
    }
    return response;
}

Expected<void, Error> Rcs380Channel::disconnect(device::Disposition disposition)
{
    if (!m_open) {
        return {};
    }
    std::lock_guard lock(m_session->mutex());
    auto deselected = m_protocol.deselect(transceiver());
    release(disposition != device::Disposition::Leave);
    if (!deselected && deselected.error().code == Errc::ReaderDetached) {
        return Unexpected(deselected.error());
    }
    return {};
}

void Rcs380Channel::release(bool fieldOff)
{
    m_open = false;
    m_session->connectedAtr.reset();
    if (fieldOff) {
        (void)m_session->chipset().switchRf(false);
    }
}

} // namespace zaitaku::hardware::rcs380
