#pragma once

// A CardReader over the in-process virtual card, for engine tests that need many fast visits: one
// reader, a card that can be pulled out after N more APDUs (the N+1-th fails with CardRemoved, as
// PC/SC reports it) and put back when the engine waits for it. The PC/SC path itself is covered by
// the integration tests over pcscd + zaitaku-vcard.

#include "device/reader/CardReader.h"
#include "hardware/vcard/VirtualCard.h"

#include <memory>
#include <optional>
#include <utility>

namespace zaitaku::testing
{

class VirtualCardReader final : public device::CardReader
{
public:
    static constexpr const char* kName = "Virtual Reader 0";

    explicit VirtualCardReader(hardware::VirtualCard* card)
        : m_card(card)
        , m_present(card != nullptr)
    {}

    // The card leaves the field after `apdus` more exchanges.
    void pullAfter(int apdus) { m_pullAfter = apdus; }
    // When the engine waits for a card that is out, put it back (the patient presents it again).
    void reinsertOnWait(bool on) { m_reinsert = on; }
    // When the engine waits for a card, another card is presented.
    void swapOnWait(hardware::VirtualCard* other) { m_swap = other; }
    void insert(hardware::VirtualCard* card)
    {
        m_apdus = 0;
        m_card = card;
        m_present = card != nullptr;
    }
    void remove() { m_present = false; }
    int connects() const { return m_connects; }
    int apdus() const { return m_apdus; }

    Expected<std::vector<device::ReaderState>, device::Error> listReaders() override
    {
        return std::vector<device::ReaderState>{{kName, m_present, m_present ? m_card->atr() : base::Bytes{}, {}, {}}};
    }
    Expected<device::ReaderState, device::Error>
    waitForChange(const std::string&, bool cardPresent, std::chrono::milliseconds) override
    {
        if (m_present == cardPresent && !cardPresent && m_swap != nullptr) {
            m_card = std::exchange(m_swap, nullptr);
            m_present = true;
        }
        if (m_present == cardPresent && !cardPresent && m_reinsert && m_card != nullptr) {
            m_present = true;
        }
        if (m_present == cardPresent) {
            return Unexpected(device::Error{device::Errc::Timeout, "no card change"});
        }
        return device::ReaderState{kName, m_present, {}, {}, {}};
    }
    Expected<std::unique_ptr<device::CardChannel>, device::Error> connect(const std::string&,
                                                                          device::ShareMode) override
    {
        if (!m_present) {
            return Unexpected(device::Error{device::Errc::NoCard, "no card"});
        }
        ++m_connects;
        return std::unique_ptr<device::CardChannel>(std::make_unique<Channel>(*this));
    }

private:
    class Channel final : public device::CardChannel
    {
    public:
        explicit Channel(VirtualCardReader& reader)
            : m_reader(reader)
        {}
        Expected<base::Bytes, device::Error> transmit(base::ByteView command, std::chrono::milliseconds) override
        {
            if (!m_reader.m_present || m_closed) {
                return Unexpected(device::Error{device::Errc::CardRemoved, "the card was removed"});
            }
            if (m_reader.m_pullAfter && (*m_reader.m_pullAfter)-- <= 0) {
                m_reader.m_pullAfter.reset();
                m_reader.m_present = false;
                m_reader.m_card->reset(); // leaving the field drops the verified state
                return Unexpected(device::Error{device::Errc::CardRemoved, "the card was removed"});
            }
            ++m_reader.m_apdus;
            return m_reader.m_card->process(command);
        }
        base::Bytes atr() const override { return m_reader.m_card->atr(); }
        Expected<void, device::Error> disconnect(device::Disposition disposition) override
        {
            if (!m_closed && disposition != device::Disposition::Leave && m_reader.m_present) {
                m_reader.m_card->reset();
            }
            m_closed = true;
            return {};
        }

    private:
        VirtualCardReader& m_reader;
        bool m_closed = false;
    };

    hardware::VirtualCard* m_card;
    bool m_present;
    bool m_reinsert = false;
    hardware::VirtualCard* m_swap = nullptr;
    std::optional<int> m_pullAfter;
    int m_connects = 0;
    int m_apdus = 0;
};

} // namespace zaitaku::testing
