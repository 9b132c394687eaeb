#pragma once

// The appliance never reads, asks for or handles the 個人番号 (DESIGN.md §3.1). This channel
// decorator enforces it below every caller: it parses each outgoing APDU, follows which
// application is selected, and refuses (without sending) anything that could reach the number:
//   - selecting the 券面事項入力補助AP (text AP: EF 0001 is the 個人番号, 0014 is 照合番号A),
//     including by an AID prefix;
//   - in the 券面事項確認AP, selecting 照合番号A (0013) or the 個人番号 image (0005), or any
//     short-EF-id access there;
//   - any VERIFY carrying 12 bytes (the length of 照合番号A);
//   - anything that does not parse as an APDU.

#include "device/reader/CardChannel.h"

namespace zaitaku::device
{

class MyNumberFirewall final : public CardChannel
{
public:
    explicit MyNumberFirewall(CardChannel& inner)
        : m_inner(inner)
    {}

    // Refusals come back as Errc::Forbidden and never reach the inner channel.
    Expected<Bytes, Error> transmit(ByteView command, std::chrono::milliseconds timeout) override;
    Bytes atr() const override { return m_inner.atr(); }
    Expected<void, Error> disconnect(Disposition disposition) override { return m_inner.disconnect(disposition); }

    // The check alone, given the currently selected application (empty when none).
    static Expected<void, Error> check(ByteView command, ByteView selectedAid);

private:
    CardChannel& m_inner;
    Bytes m_selectedAid;
};

} // namespace zaitaku::device
