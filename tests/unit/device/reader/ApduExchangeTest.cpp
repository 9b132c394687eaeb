#include "device/reader/ApduExchange.h"

#include "device/reader/CardReader.h"

#include <deque>

#include <gtest/gtest.h>

namespace zaitaku::device
{
namespace
{

// Replays scripted responses and records what was sent (a fault-injection fake for the transport
// rules only; real card behaviour is tested against the virtual card).
class ScriptedChannel final : public CardChannel
{
public:
    explicit ScriptedChannel(std::deque<base::Bytes> responses)
        : m_responses(std::move(responses))
    {}
    Expected<base::Bytes, Error> transmit(base::ByteView command, std::chrono::milliseconds) override
    {
        sent.emplace_back(command.begin(), command.end());
        if (m_responses.empty()) {
            return Unexpected(Error{Errc::CardRemoved, "script ended"});
        }
        base::Bytes r = m_responses.front();
        m_responses.pop_front();
        return r;
    }
    base::Bytes atr() const override { return {}; }
    Expected<void, Error> disconnect(Disposition) override { return {}; }
    std::vector<base::Bytes> sent;

private:
    std::deque<base::Bytes> m_responses;
};

TEST(ApduExchangeTest, FollowsGetResponseChains)
{
    ScriptedChannel ch(
        {base::fromHex("AABB 6103").value(), base::fromHex("CCDDEE 6102").value(), base::fromHex("FF11 9000").value()});
    ExchangeStats stats;
    auto r = exchange(ch, CommandApdu{0x00, 0xB0, 0, 0, {}, 256u}, std::chrono::milliseconds(100), &stats);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(base::toHex(r->data), "AABBCCDDEEFF11");
    EXPECT_TRUE(r->ok());
    ASSERT_EQ(ch.sent.size(), 3u);
    EXPECT_EQ(base::toHex(ch.sent[1]), "00C0000003");
    EXPECT_EQ(base::toHex(ch.sent[2]), "00C0000002");
    EXPECT_EQ(stats.apdus, 3);
    EXPECT_EQ(stats.bytesReceived, 4u + 5u + 4u);
}

TEST(ApduExchangeTest, ResendsWithTheCorrectLe)
{
    ScriptedChannel ch({base::fromHex("6C04").value(), base::fromHex("01020304 9000").value()});
    auto r = exchange(ch, CommandApdu{0x00, 0xB0, 0, 0, {}, 256u}, std::chrono::milliseconds(100));
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->data.size(), 4u);
    EXPECT_EQ(base::toHex(ch.sent[1]), "00B0000004");
}

TEST(ApduExchangeTest, NeverResendsAVerify)
{
    // Issue 21, item 8: a card (or a reader in the middle) answering 6Cxx to a VERIFY must not get
    // the PIN a second time.
    ScriptedChannel ch({base::fromHex("6C04").value(), base::fromHex("9000").value()});
    auto r =
        exchange(ch, CommandApdu{0x00, 0x20, 0x00, 0x80, {0x31, 0x32, 0x33, 0x34}, {}}, std::chrono::milliseconds(100));
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->sw, 0x6C04);
    EXPECT_EQ(ch.sent.size(), 1u);
}

TEST(ApduExchangeTest, ReportsTransportErrorsAndMalformedResponses)
{
    ScriptedChannel removed({});
    auto r = exchange(removed, CommandApdu{0x00, 0x20, 0, 0x80, {}, {}}, std::chrono::milliseconds(100));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, Errc::CardRemoved);
    ScriptedChannel shortReply({base::Bytes{0x90}});
    auto s = exchange(shortReply, CommandApdu{0x00, 0x20, 0, 0x80, {}, {}}, std::chrono::milliseconds(100));
    ASSERT_FALSE(s.has_value());
    EXPECT_EQ(s.error().code, Errc::MalformedResponse);
    std::deque<base::Bytes> endless(300, base::fromHex("00 6101").value());
    ScriptedChannel looping(endless);
    auto t = exchange(looping, CommandApdu{0x00, 0xB0, 0, 0, {}, 1u}, std::chrono::milliseconds(100));
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().code, Errc::MalformedResponse);
}

TEST(SelectReaderTest, ByNameIdIndexOrFirstCard)
{
    const std::vector<ReaderState> readers{{"Virtual PCD 00 00", false, {}, "pcsc:0", {}},
                                           {"Virtual PCD 00 01", true, {0x3B}, "pcsc:1", {}},
                                           {"Sony RC-S380 bus 1 port 4", false, {}, "rcs380:0", {}}};
    EXPECT_EQ(selectReader(readers, "")->name, "Virtual PCD 00 01");
    EXPECT_EQ(selectReader(readers, "0")->name, "Virtual PCD 00 00");
    EXPECT_EQ(selectReader(readers, "Virtual PCD 00 01")->name, "Virtual PCD 00 01");
    EXPECT_EQ(selectReader(readers, "rcs380:0")->name, "Sony RC-S380 bus 1 port 4");
    EXPECT_EQ(selectReader(readers, "2")->id, "rcs380:0");
    EXPECT_EQ(selectReader(readers, "rcs380:1").error().code, Errc::NoReader);
    EXPECT_EQ(selectReader(readers, "7").error().code, Errc::NoReader);
    EXPECT_EQ(selectReader({}, "").error().code, Errc::NoReader);
    EXPECT_EQ(selectReader({{"r", false, {}, {}, {}}}, "").error().code, Errc::NoCard);
}

} // namespace
} // namespace zaitaku::device
