#pragma once

// The appliance never reads, asks for or handles the 個人番号 (docs/design/DESIGN.md §3.1). This channel
// decorator enforces it below every caller as an allow-list: it parses each outgoing APDU,
// follows which application and which EF are selected, and lets through only the exact shapes
// MynaCard sends (docs/design/CARD.md §6). Everything else is refused without being sent, among it:
//   - selecting any application but the JPKI AP and the 券面事項確認AP (so the 券面事項入力補助AP,
//     which holds the 個人番号, by its AID or any prefix, and the empty-name SELECT);
//   - selecting any EF but the few MynaCard reads (so 照合番号A 0013 and the 個人番号 image 0005);
//   - a VERIFY with data unless the selected EF is the JPKI auth PIN (4 digits) or the
//     照合番号B key (14 digits): a 12-digit 照合番号A can never be sent;
//   - other classes (secure messaging, logical channels, command chaining), extended lengths,
//     short-EF-id forms, and anything that does not parse as an APDU.

#include "device/reader/CardChannel.h"

#include <cstdint>
#include <optional>

namespace zaitaku::device
{

class MyNumberFirewall final : public CardChannel
{
public:
    explicit MyNumberFirewall(CardChannel& inner)
        : m_inner(inner)
    {}

    // Refusals come back as Errc::Forbidden and never reach the inner channel.
    Expected<base::Bytes, Error> transmit(base::ByteView command, std::chrono::milliseconds timeout) override;
    base::Bytes atr() const override { return m_inner.atr(); }
    Expected<void, Error> disconnect(Disposition disposition) override
    {
        m_selected = {};
        return m_inner.disconnect(disposition);
    }

    // What the card has selected, as far as the firewall let it be selected.
    struct Selection
    {
        base::Bytes aid;                 // empty: no application selected yet
        std::optional<std::uint16_t> ef; // the EF selected in that application
    };

    // The check alone, given the current selection.
    static Expected<void, Error> check(base::ByteView command, const Selection& selected);

private:
    CardChannel& m_inner;
    Selection m_selected;
};

} // namespace zaitaku::device
