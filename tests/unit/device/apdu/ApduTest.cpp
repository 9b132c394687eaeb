#include "device/apdu/BerTlv.h"
#include "device/apdu/CommandApdu.h"
#include "device/apdu/ResponseApdu.h"

#include <gtest/gtest.h>

namespace zaitaku::device
{
namespace
{

base::Bytes hex(const char* text)
{
    return base::fromHex(text).value();
}

TEST(HexTest, RoundTripsAndRejectsGarbage)
{
    EXPECT_EQ(base::toHex(hex("00a4040c")), "00A4040C");
    EXPECT_EQ(base::toHex(hex("00 A4:04 0C"), true), "00 A4 04 0C");
    EXPECT_FALSE(base::fromHex("0").has_value());
    EXPECT_FALSE(base::fromHex("0g").has_value());
}

TEST(CommandApduTest, EncodesTheShortCases)
{
    EXPECT_EQ(base::toHex(CommandApdu{0x00, 0x20, 0x00, 0x80, {}, {}}.encode().value()), "00200080");     // case 1
    EXPECT_EQ(base::toHex(CommandApdu{0x00, 0xB0, 0x00, 0x00, {}, 256u}.encode().value()), "00B0000000"); // Le 256 = 00
    EXPECT_EQ(base::toHex(CommandApdu{0x00, 0xA4, 0x02, 0x0C, {0x00, 0x0A}, {}}.encode().value()), "00A4020C02000A");
    EXPECT_EQ(base::toHex(CommandApdu{0x80, 0x2A, 0x00, 0x80, {0x01, 0x02}, 256u}.encode().value()),
              "802A008002010200");
}

TEST(CommandApduTest, SwitchesToExtendedWhenNeeded)
{
    const CommandApdu big{0x80, 0xA2, 0x00, 0x00, base::Bytes(307, 0xAB), {}};
    const base::Bytes encoded = big.encode().value();
    EXPECT_EQ(encoded.size(), 4u + 3u + 307u);
    EXPECT_EQ(base::toHex(base::ByteView(encoded).subspan(0, 7)), "80A20000000133");
    const CommandApdu longLe{0x00, 0xCA, 0x00, 0x00, {}, 65536u};
    EXPECT_EQ(base::toHex(longLe.encode().value()), "00CA0000000000");
    EXPECT_FALSE((CommandApdu{0x00, 0xB0, 0, 0, {}, 0u}.encode().has_value()));
}

TEST(CommandApduTest, DecodesEveryCaseBackToTheSameCommand)
{
    const std::vector<CommandApdu> commands{
        {0x00, 0x20, 0x00, 0x80, {}, {}},
        {0x00, 0xB0, 0x01, 0x00, {}, 256u},
        {0x00, 0xA4, 0x04, 0x0C, hex("D392F000260100000001"), {}},
        {0x80, 0x2A, 0x00, 0x80, base::Bytes(51, 0x30), 256u},
        {0x80, 0xA2, 0x00, 0x00, base::Bytes(307, 1), {}, true},
        {0x80, 0xA2, 0x00, 0x00, base::Bytes(300, 1), 1000u, true},
        {0x00, 0xCA, 0x00, 0x00, {}, 65536u, true},
    };
    for (const auto& c : commands) {
        const base::Bytes encoded = c.encode().value();
        auto decoded = CommandApdu::decode(encoded);
        ASSERT_TRUE(decoded.has_value()) << base::toHex(encoded);
        EXPECT_EQ(decoded->encode().value(), encoded);
        EXPECT_EQ(decoded->data, c.data);
        EXPECT_EQ(decoded->le, c.le);
    }
}

TEST(CommandApduTest, RejectsMalformedCommands)
{
    for (const char* bad :
         {"", "00", "00A404", "00A4040C05010203", "00A4040C0201020304", "00A4040C0000", "00A4040C000003010203FF"}) {
        auto d = CommandApdu::decode(hex(bad));
        ASSERT_FALSE(d.has_value()) << bad;
        EXPECT_EQ(d.error().code, Errc::MalformedResponse);
    }
}

TEST(CommandApduTest, LogStringMasksPinsAndVerificationCodes)
{
    const CommandApdu verify{0x00, 0x20, 0x00, 0x80, base::bytesOf("1234"), {}};
    const std::string log = verify.toLogString();
    EXPECT_EQ(log.find("31 32 33 34"), std::string::npos) << log;
    EXPECT_NE(log.find("masked"), std::string::npos);
    const CommandApdu change{0x00, 0x24, 0x01, 0x80, base::bytesOf("5678"), {}};
    EXPECT_EQ(change.toLogString().find("35"), std::string::npos);
    const CommandApdu select{0x00, 0xA4, 0x02, 0x0C, {0x00, 0x0A}, {}};
    EXPECT_NE(select.toLogString().find("00 0A"), std::string::npos);
}

TEST(ResponseApduTest, SplitsDataAndStatus)
{
    auto r = ResponseApdu::decode(hex("30820370 9000"));
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->ok());
    EXPECT_EQ(r->data.size(), 4u);
    EXPECT_EQ(base::toHex(r->encode()), "308203709000");
    EXPECT_FALSE(ResponseApdu::decode(hex("90")).has_value());
    EXPECT_TRUE(sw::isRetryCounter(0x63C2));
    EXPECT_EQ(sw::retriesLeft(0x63C2), 2);
    EXPECT_TRUE(sw::isBlocked(0x63C0));
    EXPECT_TRUE(sw::isBlocked(0x6983));
    EXPECT_TRUE(sw::isBlocked(0x6984));
    EXPECT_FALSE(sw::isBlocked(0x63C1));
    EXPECT_EQ(sw::describe(0x6A82), "file or application not found");
}

TEST(BerTlvTest, ParsesCardFaceStyleTags)
{
    const base::Bytes face = hex("FF20 820009 DF2202 3139 DF2301 31");
    auto outer = parseTlv(face);
    ASSERT_TRUE(outer.has_value());
    EXPECT_EQ(outer->tag, 0xFF20u);
    EXPECT_EQ(outer->value.size(), 9u);
    auto inner = parseTlvSequence(outer->value);
    ASSERT_TRUE(inner.has_value());
    ASSERT_EQ(inner->size(), 2u);
    EXPECT_EQ((*inner)[0].tag, 0xDF22u);
    EXPECT_EQ(findTlv(*inner, 0xDF23)->value.size(), 1u);
    EXPECT_FALSE(findTlv(*inner, 0xDF27).has_value());
}

TEST(BerTlvTest, ReadsCertificateHeadersFromFourBytes)
{
    auto h = parseTlvHeader(hex("30820370"));
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->tag, 0x30u);
    EXPECT_TRUE(h->constructed);
    EXPECT_EQ(h->headerLength, 4u);
    EXPECT_EQ(h->totalLength(), 0x370u + 4u);
    EXPECT_EQ(parseTlvHeader(hex("048130"))->valueLength, 0x30u);
    EXPECT_EQ(parseTlvHeader(hex("0483010000"))->valueLength, 0x10000u);
}

TEST(BerTlvTest, RejectsMalformedAndTruncatedInput)
{
    for (const char* bad :
         {"", "30", "3082", "308203", "3080", "3085000000000001", "DF", "DFA0A0A0", "FF2002AA", "0403AABB"}) {
        auto t = parseTlv(hex(bad));
        EXPECT_FALSE(t.has_value()) << bad;
    }
    EXPECT_FALSE(parseTlvSequence(hex("0101AA 0105AA")).has_value());
}

TEST(BerTlvTest, EncodesWithTheShortestLength)
{
    for (std::size_t n : {0u, 1u, 127u, 128u, 255u, 256u, 65535u, 65536u}) {
        const base::Bytes value(n, 0x5A);
        const base::Bytes encoded = encodeTlv(0xDF27, value);
        auto back = parseTlv(encoded);
        ASSERT_TRUE(back.has_value()) << n;
        EXPECT_EQ(back->tag, 0xDF27u);
        EXPECT_EQ(back->value.size(), n);
    }
    EXPECT_EQ(base::toHex(encodeTlv(0x04, base::Bytes(128, 0))).substr(0, 6), "048180");
}

} // namespace
} // namespace zaitaku::device
