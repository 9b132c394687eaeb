#include "hardware/rcs380/Rcs380Reader.h"

#include "hardware/rcs380/Rcs380Channel.h"

#include <thread>

namespace zaitaku::hardware::rcs380
{

namespace
{

using device::Errc;
using device::ReaderState;

} // namespace

Expected<std::unique_ptr<Rcs380Reader>, Error> Rcs380Reader::open(Rcs380Options options)
{
    auto context = UsbContext::create();
    if (!context) {
        return Unexpected(context.error());
    }
    return std::unique_ptr<Rcs380Reader>(new Rcs380Reader(std::move(*context), options));
}

std::string Rcs380Reader::nameOf(const UsbLocation& location)
{
    return "Sony RC-S380 " + location.toString();
}

Expected<void, Error> Rcs380Reader::refresh()
{
    auto found = findUsbDevices(*m_context, kSonyVendorId, kRcs380ProductId);
    if (!found) {
        return Unexpected(found.error());
    }
    std::vector<Slot> next;
    for (const auto& location : *found) {
        Slot slot{location, nullptr};
        for (auto& old : m_slots) {
            if (old.location.bus == location.bus && old.location.address == location.address && old.session &&
                !old.session->detached()) {
                slot.session = old.session;
            }
        }
        next.push_back(std::move(slot));
    }
    m_slots = std::move(next);
    return {};
}

Rcs380Reader::Slot* Rcs380Reader::find(const std::string& reader)
{
    for (std::size_t i = 0; i < m_slots.size(); ++i) {
        if (nameOf(m_slots[i].location) == reader || kIdPrefix + std::to_string(i) == reader) {
            return &m_slots[i];
        }
    }
    return nullptr;
}

Expected<ReaderState, Error> Rcs380Reader::stateOf(std::size_t index)
{
    Slot& slot = m_slots[index];
    ReaderState state{nameOf(slot.location), false, {}, kIdPrefix + std::to_string(index), {}};
    if (!slot.session) {
        auto session = Session::open(m_context, slot.location);
        if (!session) {
            return Unexpected(session.error());
        }
        slot.session = std::move(*session);
    }
    std::lock_guard lock(slot.session->mutex());
    if (slot.session->connectedAtr) {
        state.cardPresent = true;
        state.atr = *slot.session->connectedAtr;
        return state;
    }
    auto card = slot.session->sense(false);
    if (!card) {
        if (card.error().code == Errc::ReaderDetached) {
            slot.session.reset();
        }
        return Unexpected(card.error());
    }
    if (*card) {
        state.cardPresent = true;
        state.atr = pcscAtrOf(**card);
    }
    return state;
}

Expected<std::vector<ReaderState>, Error> Rcs380Reader::listReaders()
{
    if (auto done = refresh(); !done) {
        return Unexpected(done.error());
    }
    std::vector<ReaderState> out;
    for (std::size_t i = 0; i < m_slots.size(); ++i) {
        auto state = stateOf(i);
        if (!state) {
            if (state.error().code == Errc::ReaderDetached) {
                continue; // pulled out while we looked: not a reader any more
            }
            // Listed, so that the user sees it and why it cannot be used (permissions, busy).
            out.push_back(ReaderState{
                nameOf(m_slots[i].location), false, {}, kIdPrefix + std::to_string(i), state.error().message});
            continue;
        }
        out.push_back(std::move(*state));
    }
    return out;
}

Expected<ReaderState, Error>
Rcs380Reader::waitForChange(const std::string& reader, bool cardPresent, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    if (auto done = refresh(); !done) {
        return Unexpected(done.error());
    }
    Slot* slot = find(reader);
    if (slot == nullptr) {
        return Unexpected(Error{Errc::NoReader, "no RC-S380 named '" + reader + "'", "reader"});
    }
    const UsbLocation location = slot->location;
    for (;;) {
        std::size_t index = 0;
        for (; index < m_slots.size(); ++index) {
            if (m_slots[index].location.bus == location.bus && m_slots[index].location.address == location.address) {
                break;
            }
        }
        if (index == m_slots.size()) {
            return Unexpected(Error{Errc::ReaderDetached, nameOf(location) + " was unplugged"});
        }
        auto state = stateOf(index);
        if (!state) {
            return Unexpected(state.error());
        }
        if (state->cardPresent != cardPresent) {
            return state;
        }
        if (std::chrono::steady_clock::now() + m_options.pollInterval > deadline) {
            return Unexpected(Error{Errc::Timeout, "no card change on " + nameOf(location)});
        }
        std::this_thread::sleep_for(m_options.pollInterval);
        if (auto done = refresh(); !done) {
            return Unexpected(done.error());
        }
    }
}

Expected<std::unique_ptr<device::CardChannel>, Error> Rcs380Reader::connect(const std::string& reader,
                                                                            device::ShareMode)
{
    // The RC-S380 is never shared with another application: every connection is exclusive.
    if (m_slots.empty()) {
        if (auto done = refresh(); !done) {
            return Unexpected(done.error());
        }
    }
    Slot* slot = find(reader);
    if (slot == nullptr) {
        return Unexpected(Error{Errc::NoReader, "no RC-S380 named '" + reader + "'", "reader"});
    }
    if (!slot->session) {
        auto session = Session::open(m_context, slot->location);
        if (!session) {
            return Unexpected(session.error());
        }
        slot->session = std::move(*session);
    }
    std::lock_guard lock(slot->session->mutex());
    if (slot->session->connectedAtr) {
        return Unexpected(Error{Errc::Busy, "the card on " + nameOf(slot->location) + " is already connected"});
    }
    auto card = slot->session->sense(true);
    if (!card) {
        return Unexpected(card.error());
    }
    if (!*card) {
        return Unexpected(Error{Errc::NoCard, "no card on " + nameOf(slot->location)});
    }
    auto channel = Rcs380Channel::activate(slot->session, **card, m_options.maxBitRate);
    if (!channel) {
        return Unexpected(channel.error());
    }
    return std::unique_ptr<device::CardChannel>(std::move(*channel));
}

} // namespace zaitaku::hardware::rcs380
