#include "device/mynacard/MyNumberFirewall.h"

#include "device/apdu/CommandApdu.h"
#include "device/mynacard/MynaIds.h"

#include <gtest/gtest.h>

namespace zaitaku::device
{
namespace
{

// Counts what reaches the card.
class CountingChannel final : public CardChannel
{
public:
    Expected<Bytes, Error> transmit(ByteView, std::chrono::milliseconds) override
    {
        ++reached;
        return Bytes{0x90, 0x00};
    }
    Bytes atr() const override { return {}; }
    Expected<void, Error> disconnect(Disposition) override { return {}; }
    int reached = 0;
};

Bytes apdu(const CommandApdu& c)
{
    return c.encode().value();
}

Bytes selectAid(const myna::Aid& aid, std::size_t length = 10)
{
    return apdu({0x00, 0xA4, 0x04, 0x0C, Bytes(aid.begin(), aid.begin() + static_cast<std::ptrdiff_t>(length)), {}});
}

Bytes selectEf(std::uint16_t fid)
{
    return apdu({0x00, 0xA4, 0x02, 0x0C, {static_cast<std::uint8_t>(fid >> 8), static_cast<std::uint8_t>(fid)}, {}});
}

TEST(MyNumberFirewallTest, NeverSelectsTheTextApplicationEvenByPrefix)
{
    CountingChannel card;
    MyNumberFirewall firewall(card);
    for (std::size_t length = 1; length <= 10; ++length) {
        auto r = firewall.transmit(selectAid(myna::kTextAid, length), std::chrono::seconds(1));
        ASSERT_FALSE(r.has_value()) << length;
        EXPECT_EQ(r.error().code, Errc::Forbidden);
    }
    EXPECT_EQ(card.reached, 0);
}

TEST(MyNumberFirewallTest, RefusesVerificationCodeAAndTheNumberImageInTheSurfaceAp)
{
    CountingChannel card;
    MyNumberFirewall firewall(card);
    ASSERT_TRUE(firewall.transmit(selectAid(myna::kSurfaceAid), std::chrono::seconds(1)).has_value());
    EXPECT_EQ(card.reached, 1);
    const std::vector<Bytes> forbidden{
        selectEf(myna::kVerificationCodeAKey),
        selectEf(myna::kMyNumberImage),
        apdu({0x00, 0x20, 0x00, 0x80, bytesOf("123456789012"), {}}),   // 12 digits: 照合番号A
        apdu({0x00, 0x20, 0x00, 0x93, bytesOf("12345678901234"), {}}), // VERIFY by SFI
        apdu({0x00, 0xB0, 0x85, 0x00, {}, 256u}),                      // READ BINARY by SFI 5
        Bytes{0x00, 0xA4},                                             // not an APDU
    };
    for (const auto& cmd : forbidden) {
        auto r = firewall.transmit(cmd, std::chrono::seconds(1));
        ASSERT_FALSE(r.has_value()) << toHex(cmd);
        EXPECT_EQ(r.error().code, Errc::Forbidden) << toHex(cmd);
    }
    EXPECT_EQ(card.reached, 1);
    EXPECT_TRUE(firewall.transmit(selectEf(myna::kVerificationCodeBKey), std::chrono::seconds(1)).has_value());
    EXPECT_TRUE(firewall.transmit(selectEf(myna::kCardFace), std::chrono::seconds(1)).has_value());
    EXPECT_EQ(card.reached, 3);
}

TEST(MyNumberFirewallTest, LetsTheJpkiFlowThrough)
{
    CountingChannel card;
    MyNumberFirewall firewall(card);
    for (const auto& cmd : {selectAid(myna::kJpkiAid), selectEf(myna::kAuthCert), apdu({0x00, 0xB0, 0, 0, {}, 256u}),
                            selectEf(myna::kAuthPin), apdu({0x00, 0x20, 0x00, 0x80, {}, {}}),
                            apdu({0x00, 0x20, 0x00, 0x80, bytesOf("1234"), {}})}) {
        EXPECT_TRUE(firewall.transmit(cmd, std::chrono::seconds(1)).has_value()) << toHex(cmd);
    }
    EXPECT_EQ(card.reached, 6);
    // 12 digits are refused in every application.
    EXPECT_FALSE(firewall.transmit(apdu({0x00, 0x20, 0x00, 0x80, bytesOf("000000000000"), {}}), std::chrono::seconds(1))
                     .has_value());
}

} // namespace
} // namespace zaitaku::device
