#pragma once

// The card as one visit sees it: find a reader, wait (bounded) for a card, connect exclusively (no
// other application may talk to the card while a PIN is verified), and drop the connection with a
// reset so no verified state outlives the identity step. A card that leaves mid-exchange shows up
// as an error for which cardGone() is true; the engine then waits for it again.

#include "device/mynacard/MynaCard.h"
#include "device/reader/CardReader.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace zaitaku::visit
{

class CardSession
{
public:
    CardSession(device::CardReader* reader, std::string selector, std::chrono::milliseconds apduTimeout);
    ~CardSession();
    CardSession(const CardSession&) = delete;
    CardSession& operator=(const CardSession&) = delete;

    // Waits up to `wait` for a card on the selected reader and connects to it.
    Expected<void, device::Error> connect(std::chrono::milliseconds wait);
    bool connected() const { return m_card.has_value(); }
    device::MynaCard& card() { return *m_card; }
    // Disconnects with a reset (the PIN's verified state goes with it).
    void drop();

    // The card (or the reader) went away: wait for it again rather than fail the visit.
    static bool cardGone(const device::Error& error);

private:
    device::CardReader* m_reader;
    std::string m_selector;
    std::chrono::milliseconds m_apduTimeout;
    std::string m_readerName;
    std::unique_ptr<device::CardChannel> m_channel;
    std::optional<device::MynaCard> m_card;
};

} // namespace zaitaku::visit
