#pragma once

// The card emulator: command APDU bytes in, response APDU bytes out, with the behaviour docs/design/CARD.md §8
// asks of a conformant emulator (status words, retry counters that survive resets, lockout
// 63C0 then 6984, 15-bit chunked READ BINARY, end of file, foreign probes answered 6A82/6D00).

#include "hardware/vcard/CardImage.h"

#include <functional>
#include <optional>

namespace zaitaku::hardware
{

class VirtualCard
{
public:
    explicit VirtualCard(CardImage image);

    const base::Bytes& atr() const { return m_image.atr; }
    base::Bytes process(base::ByteView command);
    // Power cycle or warm reset: selection and verified flags go, retry counters stay.
    void reset();

    // How often a command touched the 個人番号 side (text AP, 照合番号A); the appliance's tests
    // assert it stays 0.
    int forbiddenAccesses() const { return m_forbidden; }
    const CardImage& image() const { return m_image; }

    struct Reply;

private:
    Reply select(std::uint8_t p1, base::ByteView data);
    Reply readBinary(std::uint8_t p1, std::uint8_t p2, std::uint32_t le);
    Reply verify(std::uint8_t p2, base::ByteView data);
    Reply sign(std::uint8_t p1, std::uint8_t p2, base::ByteView data);
    ApplicationImage* current();
    bool unlocked(const ApplicationImage& app, std::uint16_t fid) const;
    void noteForbidden(const ApplicationImage& app, std::uint16_t fid);

    CardImage m_image;
    std::optional<std::size_t> m_app;
    std::optional<std::uint16_t> m_ef;
    std::map<std::pair<std::size_t, std::uint16_t>, bool> m_verified;
    int m_forbidden = 0;
};

} // namespace zaitaku::hardware
