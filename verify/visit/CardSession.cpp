#include "verify/visit/CardSession.h"

namespace zaitaku::visit
{

CardSession::CardSession(device::CardReader* reader, std::string selector, std::chrono::milliseconds apduTimeout)
    : m_reader(reader)
    , m_selector(std::move(selector))
    , m_apduTimeout(apduTimeout)
{}

CardSession::~CardSession()
{
    drop();
}

Expected<void, device::Error> CardSession::connect(std::chrono::milliseconds wait)
{
    drop();
    if (m_reader == nullptr) {
        return Unexpected(device::Error{device::Errc::NoReader, "this tablet has no card reader"});
    }
    auto readers = m_reader->listReaders();
    if (!readers) {
        return Unexpected(readers.error());
    }
    auto chosen = device::selectReader(*readers, m_selector);
    if (!chosen && m_selector.empty() && !readers->empty()) {
        chosen = readers->front(); // no card anywhere yet: wait on the first reader
    }
    if (!chosen) {
        return Unexpected(chosen.error());
    }
    m_readerName = chosen->name;
    if (!chosen->cardPresent) {
        auto change = m_reader->waitForChange(m_readerName, false, wait);
        if (!change) {
            return Unexpected(change.error());
        }
        if (!change->cardPresent) {
            return Unexpected(device::Error{device::Errc::NoCard, "no card on " + m_readerName});
        }
    }
    auto channel = m_reader->connect(m_readerName, device::ShareMode::Exclusive);
    if (!channel) {
        return Unexpected(channel.error());
    }
    m_channel = std::move(*channel);
    m_card.emplace(*m_channel, m_apduTimeout);
    return {};
}

void CardSession::drop()
{
    m_card.reset();
    if (m_channel) {
        (void)m_channel->disconnect(device::Disposition::Reset);
        m_channel.reset();
    }
}

bool CardSession::cardGone(const device::Error& error)
{
    switch (error.code) {
    case device::Errc::NoCard:
    case device::Errc::CardRemoved:
    case device::Errc::CardReset:
    case device::Errc::ReaderDetached:
    case device::Errc::TransmitFailed:
        return true;
    default:
        return false;
    }
}

} // namespace zaitaku::visit
