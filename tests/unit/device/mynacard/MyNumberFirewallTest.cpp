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
    Expected<base::Bytes, Error> transmit(base::ByteView, std::chrono::milliseconds) override
    {
        ++reached;
        return base::Bytes{0x90, 0x00};
    }
    base::Bytes atr() const override { return {}; }
    Expected<void, Error> disconnect(Disposition) override { return {}; }
    int reached = 0;
};

base::Bytes apdu(const CommandApdu& c)
{
    return c.encode().value();
}

base::Bytes selectAid(const myna::Aid& aid, std::size_t length = 10)
{
    return apdu(
        {0x00, 0xA4, 0x04, 0x0C, base::Bytes(aid.begin(), aid.begin() + static_cast<std::ptrdiff_t>(length)), {}});
}

base::Bytes selectEf(std::uint16_t fid)
{
    return apdu({0x00, 0xA4, 0x02, 0x0C, {static_cast<std::uint8_t>(fid >> 8), static_cast<std::uint8_t>(fid)}, {}});
}

// True when the firewall refused `cmd` (Forbidden) without sending it on.
bool isRefused(MyNumberFirewall& firewall, const base::Bytes& cmd)
{
    auto r = firewall.transmit(cmd, std::chrono::seconds(1));
    return !r.has_value() && r.error().code == Errc::Forbidden;
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
    const std::vector<base::Bytes> forbidden{
        selectEf(myna::kVerificationCodeAKey),
        selectEf(myna::kMyNumberImage),
        apdu({0x00, 0x20, 0x00, 0x80, base::bytesOf("123456789012"), {}}),   // 12 digits: 照合番号A
        apdu({0x00, 0x20, 0x00, 0x93, base::bytesOf("12345678901234"), {}}), // VERIFY by SFI
        apdu({0x00, 0xB0, 0x85, 0x00, {}, 256u}),                            // READ BINARY by SFI 5
        base::Bytes{0x00, 0xA4},                                             // not an APDU
    };
    for (const auto& cmd : forbidden) {
        auto r = firewall.transmit(cmd, std::chrono::seconds(1));
        ASSERT_FALSE(r.has_value()) << base::toHex(cmd);
        EXPECT_EQ(r.error().code, Errc::Forbidden) << base::toHex(cmd);
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
                            apdu({0x00, 0x20, 0x00, 0x80, base::bytesOf("1234"), {}})}) {
        EXPECT_TRUE(firewall.transmit(cmd, std::chrono::seconds(1)).has_value()) << base::toHex(cmd);
    }
    EXPECT_EQ(card.reached, 6);
    // 12 digits are refused in every application.
    EXPECT_FALSE(
        firewall.transmit(apdu({0x00, 0x20, 0x00, 0x80, base::bytesOf("000000000000"), {}}), std::chrono::seconds(1))
            .has_value());
}

TEST(MyNumberFirewallTest, OnlyTheExactShapesMynaCardSendsPass)
{
    // Issue 21, item 9: an allow-list, not a deny-list. Each of these reached the card before.
    CountingChannel card;
    MyNumberFirewall firewall(card);
    const auto refused = [&](const base::Bytes& cmd) { return isRefused(firewall, cmd); };
    EXPECT_TRUE(refused(apdu({0x00, 0xA4, 0x04, 0x00, {}, {}}))) << "empty-name SELECT: the card's default AP";
    EXPECT_TRUE(refused(apdu({0x00, 0xA4, 0x04, 0x0C, {0xA0, 0x00, 0x00, 0x00, 0x03}, {}}))) << "another AID";
    EXPECT_TRUE(refused(apdu({0x00, 0xA4, 0x04, 0x00, myna::bytesOf(myna::kJpkiAid), 256u}))) << "SELECT with FCI";
    EXPECT_TRUE(refused(apdu({0x01, 0xA4, 0x04, 0x0C, myna::bytesOf(myna::kJpkiAid), {}}))) << "logical channel 1";
    EXPECT_TRUE(refused(apdu({0x00, 0xB0, 0x00, 0x00, {}, 256u}))) << "READ BINARY with nothing selected";
    EXPECT_EQ(card.reached, 0);

    ASSERT_FALSE(refused(apdu({0x00, 0xA4, 0x04, 0x0C, myna::bytesOf(myna::kJpkiAid), {}})));
    EXPECT_TRUE(refused(apdu({0x00, 0xB0, 0x00, 0x00, {}, 256u}))) << "READ BINARY with no EF selected";
    EXPECT_TRUE(refused(selectEf(0x0003))) << "an EF zaitaku never reads";
    EXPECT_TRUE(refused(apdu({0x00, 0xA4, 0x00, 0x00, {0x3F, 0x00}, {}}))) << "SELECT MF";
    ASSERT_FALSE(refused(selectEf(myna::kAuthCert)));
    EXPECT_TRUE(refused(apdu({0x00, 0x20, 0x00, 0x80, base::bytesOf("1234"), {}}))) << "PIN to the certificate EF";
    ASSERT_FALSE(refused(selectEf(myna::kAuthPin)));
    EXPECT_TRUE(refused(apdu({0x10, 0x20, 0x00, 0x80, base::bytesOf("12"), {}}))) << "chained VERIFY, first part";
    EXPECT_TRUE(refused(apdu({0x04, 0x20, 0x00, 0x80, base::bytesOf("1234"), {}}))) << "secure messaging class";
    EXPECT_TRUE(refused(apdu({0x00, 0x20, 0x00, 0x80, base::bytesOf("1234"), 8u}))) << "VERIFY with Le";
    EXPECT_TRUE(refused(apdu({0x00, 0x20, 0x00, 0x80, base::bytesOf("12345"), {}}))) << "5 digits";
    EXPECT_TRUE(refused(apdu({0x00, 0x20, 0x00, 0x80, base::bytesOf("1234"), {}, true}))) << "extended form";
    EXPECT_TRUE(refused(apdu({0x80, 0x2A, 0x00, 0x80, base::Bytes(51, 0), 256u})))
        << "signing with the PIN EF selected";
    EXPECT_TRUE(refused(apdu({0x00, 0xCA, 0x01, 0x00, {}, 256u}))) << "GET DATA";
    EXPECT_TRUE(refused(apdu({0x00, 0xE4, 0x00, 0x00, {}, {}}))) << "DELETE FILE";
    const int before = card.reached;
    EXPECT_FALSE(refused(apdu({0x00, 0x20, 0x00, 0x80, base::bytesOf("1234"), {}})));
    ASSERT_FALSE(refused(selectEf(myna::kAuthKey)));
    EXPECT_TRUE(refused(apdu({0x80, 0x2A, 0x00, 0x80, base::Bytes(52, 0), 256u}))) << "not a SHA-256 DigestInfo";
    EXPECT_FALSE(refused(apdu({0x80, 0x2A, 0x00, 0x80, base::Bytes(51, 0), 256u})));
    EXPECT_FALSE(refused(apdu({0x00, 0xC0, 0x00, 0x00, {}, 256u}))) << "GET RESPONSE";
    EXPECT_EQ(card.reached, before + 4);
}

TEST(MyNumberFirewallTest, CodeBOnlyToItsKeyAndNothingAfterTheTextApIsSelectedByMistake)
{
    CountingChannel card;
    MyNumberFirewall firewall(card);
    const auto refused = [&](const base::Bytes& cmd) { return isRefused(firewall, cmd); };
    ASSERT_FALSE(refused(selectAid(myna::kSurfaceAid)));
    EXPECT_TRUE(refused(apdu({0x00, 0x20, 0x00, 0x80, base::bytesOf("12345678901234"), {}}))) << "no key EF selected";
    ASSERT_FALSE(refused(selectEf(myna::kCardFace)));
    EXPECT_TRUE(refused(apdu({0x00, 0x20, 0x00, 0x80, base::bytesOf("12345678901234"), {}}))) << "to the face EF";
    ASSERT_FALSE(refused(selectEf(myna::kVerificationCodeBKey)));
    EXPECT_FALSE(refused(apdu({0x00, 0x20, 0x00, 0x80, base::bytesOf("12345678901234"), {}})));
    EXPECT_TRUE(refused(apdu({0x00, 0x20, 0x00, 0x80, base::bytesOf("1234"), {}}))) << "a PIN is not 照合番号B";
}

} // namespace
} // namespace zaitaku::device
