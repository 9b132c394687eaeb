// The RC-S380 driver's layers without USB: the frame codec and command layer against byte-exact
// vectors, Type B activation bytes, and the ISO 14443-4 block protocol against scripted cards
// (every frame the reader sends is checked, byte for byte) and against the emulated card.

#include "hardware/rcs380/BlockProtocol.h"
#include "hardware/rcs380/Chipset.h"
#include "hardware/rcs380/Rcs380Channel.h"
#include "hardware/rcs380/TypeB.h"
#include "hardware/readers/SupportedReaders.h"
#include "support/VirtualCards.h"
#include "support/rcs380/EmulatedTypeBCard.h"
#include "support/rcs380/EmulatorLink.h"
#include "support/rcs380/Rcs380Emulator.h"

#include <cstdio>
#include <deque>
#include <fstream>

#include <gtest/gtest.h>

namespace zaitaku::hardware::rcs380
{
namespace
{

using device::Errc;
using namespace std::chrono_literals;

base::Bytes hex(const char* text)
{
    return base::fromHex(text).value();
}

TEST(Rcs380FrameTest, EncodesCommandsByteExact)
{
    // SetCommandType 1, GetFirmwareVersion, SwitchRF off: LEN little-endian, LCS, DCS, postamble.
    EXPECT_EQ(encodeFrame(encodeCommand(CommandCode::SetCommandType, hex("01"))), hex("0000FFFFFF0300FDD62A01FF00"));
    EXPECT_EQ(encodeFrame(encodeCommand(CommandCode::GetFirmwareVersion, {})), hex("0000FFFFFF0200FED6200A00"));
    EXPECT_EQ(encodeFrame(encodeCommand(CommandCode::SwitchRf, hex("00"))), hex("0000FFFFFF0300FDD6060024 00"));
    // A 300-byte payload: LEN 2C 01, LCS D3.
    const base::Bytes big(300, 0x01);
    const base::Bytes frame = encodeFrame(big);
    EXPECT_EQ(base::Bytes(frame.begin(), frame.begin() + 8), hex("0000FFFFFF2C01D3"));
    EXPECT_EQ(frame[8 + 300], 0xD4); // 0x100 - (300 mod 256)
    EXPECT_EQ(frame.back(), 0x00);
}

TEST(Rcs380FrameTest, DecodesAckErrorAndDataFrames)
{
    EXPECT_EQ(decodeFrame(kAckFrame)->kind, FrameKind::Ack);
    EXPECT_EQ(decodeFrame(kErrorFrame)->kind, FrameKind::Refused);
    auto data = decodeFrame(hex("0000FFFFFF0400FCD72B0000 FE00"));
    ASSERT_TRUE(data) << data.error().message;
    EXPECT_EQ(data->data, hex("D72B0000"));
    EXPECT_EQ(decodeResponse(CommandCode::SetCommandType, data->data).value(), hex("0000"));
    EXPECT_EQ(decodeResponse(CommandCode::SwitchRf, data->data).error().code, Errc::MalformedResponse);
}

TEST(Rcs380FrameTest, RefusesEveryKindOfDamageWithItsName)
{
    const struct
    {
        const char* bytes;
        const char* names;
    } cases[] = {
        {"0000FF", "truncated"},
        {"0100FFFFFF0300FDD62A01FF00", "preamble"},
        {"0000FF0300FDD62A01FF00", "extended"},
        {"0000FFFFFF0300FCD62A01FF00", "length checksum"},
        {"0000FFFFFF0300FDD62A01FE00", "data checksum"},
        {"0000FFFFFF0300FDD62A01FF01", "postamble"},
        {"0000FFFFFF0300FDD62A", "truncated data"},
        {"0000FFFFFF0300FDD62A01FF0000", "trailing"},
        {"0000FFFFFF0108F7000000", "over the limit"},
    };
    for (const auto& c : cases) {
        auto decoded = decodeFrame(hex(c.bytes));
        ASSERT_FALSE(decoded) << c.bytes;
        EXPECT_EQ(decoded.error().code, Errc::MalformedResponse);
        EXPECT_NE(decoded.error().message.find(c.names), std::string::npos) << decoded.error().message;
    }
}

TEST(Rcs380CommandTest, InCommRfCarriesTimeoutStatusAndFrame)
{
    EXPECT_EQ(inCommRfParams(hex("050008"), 30ms), hex("2C01050008"));             // 300 × 0.1 ms
    EXPECT_EQ(inCommRfParams(hex("02"), std::chrono::seconds(30)), hex("FFFF02")); // saturates
    auto ok = decodeInCommRf(hex("00000000005011223344"));
    ASSERT_TRUE(ok);
    EXPECT_TRUE(ok->ok());
    EXPECT_EQ(ok->frame, hex("5011223344"));
    auto silent = decodeInCommRf(hex("80000000"));
    ASSERT_TRUE(silent);
    EXPECT_TRUE(silent->timedOut());
    EXPECT_EQ(describeRfStatus(0x80), "no answer");
    EXPECT_EQ(describeRfStatus(0x404), "CRC error, RF off");
    EXPECT_FALSE(decodeInCommRf(hex("0000")));
}

TEST(TypeBTest, ParsesSensbResBuildsAttribAndThePcscAtr)
{
    auto card = parseSensbResponse(hex("50 3A5C017E 000005E0 B381A1"));
    ASSERT_TRUE(card) << card.error().message;
    EXPECT_EQ(card->maxFrameSize, 256U);
    EXPECT_TRUE(card->iso14443_4);
    EXPECT_EQ(card->fwi, 10);
    EXPECT_TRUE(card->cidSupported);
    EXPECT_FALSE(card->nadSupported);
    EXPECT_EQ(attribRequest(*card), hex("1D 3A5C017E 00 08 01 00"));
    // Bit_Rate_capability B3: 212 kbit/s both ways (b1, b5), so ATTRIB asks for 212 both ways.
    EXPECT_TRUE(card->supports212);
    EXPECT_EQ(negotiateBitRate(*card, BitRate::Kbps212), BitRate::Kbps212);
    EXPECT_EQ(negotiateBitRate(*card, BitRate::Kbps106), BitRate::Kbps106);
    EXPECT_EQ(attribRequest(*card, BitRate::Kbps212), hex("1D 3A5C017E 00 58 01 00"));
    EXPECT_EQ(inSetRfTypeB(BitRate::Kbps106), hex("03070F07"));
    EXPECT_EQ(inSetRfTypeB(BitRate::Kbps212), hex("03080F08"));
    auto slow = parseSensbResponse(hex("50 3A5C017E 000005E0 0081A1"));
    ASSERT_TRUE(slow);
    EXPECT_FALSE(slow->supports212);
    EXPECT_EQ(negotiateBitRate(*slow, BitRate::Kbps212), BitRate::Kbps106);
    // The same ATR pcsc-lite reports for the virtual card over vpcd (PC/SC Part 3 rule).
    EXPECT_EQ(pcscAtrOf(*card), hex("3B888001000005E0B381A1007F"));
    EXPECT_EQ(frameWaitingTime(10), 309310us);
    EXPECT_EQ(frameWaitingTime(0), 303us);
    EXPECT_EQ(frameSizeOf(5), 64U);
    EXPECT_FALSE(parseSensbResponse(hex("51 3A5C017E 000005E0 B381A1")));
    EXPECT_FALSE(parseSensbResponse(hex("50 3A5C017E 000005E0 B3")));
    EXPECT_FALSE(checkAttribResponse(hex("01")));
    EXPECT_TRUE(checkAttribResponse(hex("00")));
}

TEST(BlockCodecTest, EncodesAndDecodesEveryBlockType)
{
    EXPECT_EQ(encodeBlock({BlockType::I, 0, false, 0, hex("00A4")}), hex("0200A4"));
    EXPECT_EQ(encodeBlock({BlockType::I, 1, true, 0, hex("00")}), hex("1300"));
    EXPECT_EQ(encodeBlock({BlockType::ReceiveReady, 1, false, 0, {}}), hex("A3"));
    EXPECT_EQ(encodeBlock({BlockType::ReceiveNotReady, 0, false, 0, {}}), hex("B2"));
    EXPECT_EQ(encodeBlock({BlockType::WaitingTimeExtension, 0, false, 5, {}}), hex("F205"));
    EXPECT_EQ(encodeBlock({BlockType::Deselect, 0, false, 0, {}}), hex("C2"));
    EXPECT_EQ(decodeBlock(hex("129000"))->chaining, true);
    EXPECT_EQ(decodeBlock(hex("A3"))->type, BlockType::ReceiveReady);
    EXPECT_EQ(decodeBlock(hex("B2"))->type, BlockType::ReceiveNotReady);
    EXPECT_EQ(decodeBlock(hex("F23B"))->wtxm, 59);
    for (const char* bad : {"", "0A00", "F200", "F23C", "A300", "E2", "2200"}) {
        EXPECT_FALSE(decodeBlock(hex(bad))) << bad;
    }
}

// A card that answers from a script and records what the reader sent.
struct ScriptedCard
{
    struct Step
    {
        base::Bytes expect;               // the frame the reader must send
        std::optional<base::Bytes> reply; // nothing: the card stays silent (time-out)
    };
    std::deque<Step> steps;
    std::vector<std::chrono::microseconds> waits;

    Transceiver transceiver()
    {
        return [this](base::ByteView frame, std::chrono::microseconds wait) -> Expected<Reception, Error> {
            waits.push_back(wait);
            EXPECT_FALSE(steps.empty()) << "unexpected frame " << base::toHex(frame);
            if (steps.empty()) {
                return Reception{true, {}};
            }
            Step step = steps.front();
            steps.pop_front();
            EXPECT_EQ(base::toHex(frame), base::toHex(step.expect));
            return step.reply ? Reception{false, *step.reply} : Reception{true, {}};
        };
    }
};

auto soon()
{
    return std::chrono::steady_clock::now() + 5s;
}

TEST(BlockProtocolTest, TogglesBlockNumbersAcrossExchanges)
{
    BlockProtocol protocol(256, 5ms);
    ScriptedCard card;
    card.steps = {{hex("0200A4040C"), hex("029000")}, {hex("0300B00000"), hex("03AABB9000")}};
    EXPECT_EQ(protocol.exchange(hex("00A4040C"), card.transceiver(), soon()).value(), hex("9000"));
    EXPECT_EQ(protocol.exchange(hex("00B00000"), card.transceiver(), soon()).value(), hex("AABB9000"));
    EXPECT_EQ(protocol.blockNumber(), 0);
    EXPECT_TRUE(card.steps.empty());
}

TEST(BlockProtocolTest, ChainsALongCommandInPiecesTheCardCanTake)
{
    BlockProtocol protocol(32, 5ms); // FSC 32: 29 bytes of INF a block
    base::Bytes apdu(40);
    for (std::size_t i = 0; i < apdu.size(); ++i) {
        apdu[i] = static_cast<std::uint8_t>(i);
    }
    ScriptedCard card;
    base::Bytes first{0x12};
    first.insert(first.end(), apdu.begin(), apdu.begin() + 29);
    base::Bytes second{0x03};
    second.insert(second.end(), apdu.begin() + 29, apdu.end());
    card.steps = {{first, hex("A2")}, {second, hex("039000")}};
    EXPECT_EQ(protocol.exchange(apdu, card.transceiver(), soon()).value(), hex("9000"));
    EXPECT_TRUE(card.steps.empty());
}

TEST(BlockProtocolTest, AcknowledgesACardsChainedAnswer)
{
    BlockProtocol protocol(256, 5ms);
    ScriptedCard card;
    card.steps = {{hex("0200B0000000"), hex("12AAAA")}, {hex("A3"), hex("13BBBB")}, {hex("A2"), hex("02CC9000")}};
    EXPECT_EQ(protocol.exchange(hex("00B0000000"), card.transceiver(), soon()).value(), hex("AAAABBBBCC9000"));
    EXPECT_EQ(protocol.blockNumber(), 1);
}

TEST(BlockProtocolTest, GrantsAWaitingTimeExtensionWithTheLongerWait)
{
    BlockProtocol protocol(256, 5ms);
    ScriptedCard card;
    card.steps = {{hex("02802A0000"), hex("F20A")}, {hex("F20A"), hex("029000")}};
    EXPECT_EQ(protocol.exchange(hex("802A0000"), card.transceiver(), soon()).value(), hex("9000"));
    ASSERT_EQ(card.waits.size(), 2U);
    EXPECT_EQ(card.waits[0], 5ms);
    EXPECT_EQ(card.waits[1], 50ms); // FWT × WTXM, for that one answer
}

TEST(BlockProtocolTest, RecoversALostAnswerWithRNak)
{
    BlockProtocol protocol(256, 5ms);
    ScriptedCard card;
    // The card's answer is lost; R(NAK) with the current number makes it send it again (rule 11).
    card.steps = {{hex("0200A4"), std::nullopt}, {hex("B2"), hex("029000")}};
    EXPECT_EQ(protocol.exchange(hex("00A4"), card.transceiver(), soon()).value(), hex("9000"));
}

TEST(BlockProtocolTest, ResendsTheIBlockTheCardNeverGot)
{
    BlockProtocol protocol(256, 5ms);
    ScriptedCard card;
    // Our I-block is lost: the card answers R(NAK) with R(ACK) for its old number (rule 6).
    card.steps = {{hex("0200A4"), std::nullopt}, {hex("B2"), hex("A3")}, {hex("0200A4"), hex("029000")}};
    EXPECT_EQ(protocol.exchange(hex("00A4"), card.transceiver(), soon()).value(), hex("9000"));
}

TEST(BlockProtocolTest, ACardThatStopsAnsweringIsReportedRemovedAfterTheRetries)
{
    BlockProtocol protocol(256, 5ms);
    ScriptedCard card;
    card.steps = {{hex("0200A4"), std::nullopt}, {hex("B2"), std::nullopt}, {hex("B2"), std::nullopt}};
    auto result = protocol.exchange(hex("00A4"), card.transceiver(), soon());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::CardRemoved);
    EXPECT_TRUE(card.steps.empty()); // one I-block and exactly two R(NAK)s
}

TEST(BlockProtocolTest, RefusesBlocksOnlyAReaderSendsAndRespectsTheDeadline)
{
    BlockProtocol protocol(256, 5ms);
    ScriptedCard card;
    card.steps = {{hex("0200A4"), hex("B2")}};
    EXPECT_EQ(protocol.exchange(hex("00A4"), card.transceiver(), soon()).error().code, Errc::MalformedResponse);
    BlockProtocol late(256, 5ms);
    EXPECT_EQ(late.exchange(hex("00A4"), card.transceiver(), std::chrono::steady_clock::now() - 1ms).error().code,
              Errc::Timeout);
    EXPECT_EQ(late.exchange({}, card.transceiver(), soon()).error().code, Errc::InvalidInput);
}

// The block protocol against the emulated card's side of it, with the real card behind.
class EmulatedCardTest : public ::testing::Test
{
protected:
    test::EmulatedTypeBCard card{test::makeVirtualCard("valid")};
    TypeBCard activate()
    {
        auto sensb = card.receive(sensbWakeUp());
        EXPECT_TRUE(sensb);
        auto parsed = parseSensbResponse(*sensb).value();
        EXPECT_EQ(card.receive(attribRequest(parsed)), hex("00"));
        return parsed;
    }
    Transceiver transceiver()
    {
        return [this](base::ByteView frame, std::chrono::microseconds) -> Expected<Reception, Error> {
            auto reply = card.receive(frame);
            return reply ? Reception{false, *reply} : Reception{true, {}};
        };
    }
};

TEST_F(EmulatedCardTest, ReadsAWholeCertificateThroughCardChainingAndWtx)
{
    const TypeBCard info = activate();
    BlockProtocol protocol(info.maxFrameSize, frameWaitingTime(info.fwi));
    const auto select = protocol.exchange(hex("00A4040C0AD392F000260100000001"), transceiver(), soon());
    ASSERT_TRUE(select);
    EXPECT_EQ(*select, hex("9000"));
    card.requestWaitingTimeExtension(3);
    EXPECT_EQ(protocol.exchange(hex("00A4020C02000A"), transceiver(), soon()).value(), hex("9000"));
    EXPECT_EQ(card.waitingTimeExtensionsSent(), 1);
    auto read = protocol.exchange(hex("00B0000000"), transceiver(), soon()); // Le 256: 258 bytes back
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->size(), 258U);
    EXPECT_EQ(base::Bytes(read->end() - 2, read->end()), hex("9000"));
    EXPECT_GE(card.chainedBlocksSent(), 1);
}

TEST_F(EmulatedCardTest, ChainsCommandsToACardWithSmallFramesAndSurvivesLostFrames)
{
    card.announceFrameSizeCode(2); // FSC 32
    const TypeBCard info = activate();
    ASSERT_EQ(info.maxFrameSize, 32U);
    BlockProtocol protocol(info.maxFrameSize, frameWaitingTime(info.fwi));
    card.swallowNextAnswers(1);
    // SELECT by AID is 15 bytes; a VERIFY-sized command of 40 bytes needs two blocks.
    EXPECT_EQ(protocol.exchange(hex("00A4040C0AD392F000260100000001"), transceiver(), soon()).value(), hex("9000"));
    base::Bytes longCommand = hex("00A4040C22");
    longCommand.resize(longCommand.size() + 0x22, 0xEE);
    auto answer = protocol.exchange(longCommand, transceiver(), soon());
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(*answer, hex("6A82")); // no such application: but it arrived whole
    EXPECT_GE(card.chainedBlocksReceived(), 1);
    card.leaveAfterFrames(0);
    EXPECT_EQ(protocol.exchange(hex("00A4040C0AD392F000260100000001"), transceiver(), soon()).error().code,
              Errc::CardRemoved);
}

// The command layer against the emulated chip, through a link that hands frames over directly.
TEST(ChipsetTest, InitialisesSetsUpTypeBAndMapsRfStatus)
{
    test::Rcs380Emulator chip;
    test::EmulatorLink link(chip);
    Chipset chipset(link);
    ASSERT_TRUE(chipset.initialise());
    EXPECT_EQ(chipset.firmwareVersion(), "1.11");
    ASSERT_GE(link.written().size(), 2U);
    EXPECT_EQ(link.written()[0], kAckFrame); // cancels what an earlier user left running
    EXPECT_EQ(link.written()[1], hex("0000FFFFFF0300FDD62A01FF00"));
    EXPECT_FALSE(chip.rfOn());
    EXPECT_EQ(chipset.inCommRf(sensbWakeUp(), 30ms).error().code, Errc::TransmitFailed); // RF off
    ASSERT_TRUE(chipset.startTypeB());
    EXPECT_TRUE(chip.rfOn());
    auto nobody = chipset.inCommRf(sensbWakeUp(), 30ms);
    ASSERT_TRUE(nobody);
    EXPECT_TRUE(nobody->timedOut);
    chip.placeCard(test::makeVirtualCard("valid"));
    auto answer = chipset.inCommRf(sensbWakeUp(), 30ms);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->frame.front(), 0x50);
    EXPECT_EQ(chip.commands(), (std::vector<std::uint8_t>{0x2A, 0x20, 0x06, 0x04, 0x00, 0x02, 0x02, 0x06, 0x04, 0x04}));
    link.clearWritten();
    EXPECT_FALSE(chipset.command(static_cast<CommandCode>(0x7E), {}, 10ms)); // unknown: error frame
}

// The whole channel (activation, APDUs, disconnect) over the emulated chip without USB.
TEST(Rcs380ChannelTest, ActivatesExchangesAndSwitchesTheFieldOffOnReset)
{
    test::Rcs380Emulator chip;
    chip.placeCard(test::makeVirtualCard("valid"));
    auto session = Session::open(std::make_unique<test::EmulatorLink>(chip));
    ASSERT_TRUE(session) << session.error().message;
    EXPECT_EQ((*session)->chipset().firmwareVersion(), "1.11");
    auto card = (*session)->sense(true);
    ASSERT_TRUE(card && *card);
    auto channel = Rcs380Channel::activate(*session, **card);
    ASSERT_TRUE(channel) << channel.error().message;
    // ATTRIB at 106 agreed on 212 kbit/s; chip and card both moved there (the emulated card
    // ignores frames at any other rate, so a driver that forgot to switch would time out).
    EXPECT_EQ((*channel)->bitRate(), BitRate::Kbps212);
    EXPECT_EQ(chip.rate(), BitRate::Kbps212);
    EXPECT_EQ(chip.card()->rate(), BitRate::Kbps212);
    EXPECT_EQ((*channel)->atr(), chip.card()->card().atr());
    EXPECT_EQ((*session)->connectedAtr, (*channel)->atr());
    EXPECT_EQ((*channel)->transmit(hex("00A4040C0AD392F000260100000001"), 1000ms).value(), hex("9000"));
    ASSERT_TRUE((*channel)->disconnect(device::Disposition::Reset));
    EXPECT_FALSE(chip.rfOn());
    EXPECT_FALSE((*session)->connectedAtr);
    EXPECT_EQ((*channel)->transmit(hex("00A4040C0AD392F000260100000001"), 1000ms).error().code, Errc::TransmitFailed);
    // Held at 106 kbit/s when asked (a field diagnostic).
    auto again = (*session)->sense(true);
    ASSERT_TRUE(again && *again);
    auto slow = Rcs380Channel::activate(*session, **again, BitRate::Kbps106);
    ASSERT_TRUE(slow) << slow.error().message;
    EXPECT_EQ(chip.rate(), BitRate::Kbps106);
    EXPECT_EQ((*slow)->transmit(hex("00A4040C0AD392F000260100000001"), 1000ms).value(), hex("9000"));
    ASSERT_TRUE((*slow)->disconnect(device::Disposition::Reset));
    // A card without ISO 14443-4 is refused at activation.
    auto plain = parseSensbResponse(hex("50 3A5C017E 000005E0 B38000")).value();
    EXPECT_EQ(Rcs380Channel::activate(*session, plain).error().code, Errc::UnsupportedCard);
}

TEST(UdevRulesTest, EveryRcs380IdHasAGroupRuleAndNothingIsWorldWritable)
{
    std::ifstream in(std::string(ZAITAKU_SOURCE_DIR) + "/hardware/udev/60-zaitaku-readers.rules");
    ASSERT_TRUE(in);
    std::vector<std::string> rules;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line[0] != '#') {
            rules.push_back(line);
        }
    }
    // Exactly one reviewed rule per reader zaitaku opens itself (pcscd serves the CCID ones), and
    // nothing else: no 0666, no other device.
    std::vector<std::string> expected;
    for (const auto& reader : hardware::supportedReaders()) {
        if (reader.transport != hardware::ReaderTransport::Rcs380) {
            continue;
        }
        char line[200];
        std::snprintf(line, sizeof line,
                      "SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ATTR{idVendor}==\"%04x\", "
                      "ATTR{idProduct}==\"%04x\", MODE=\"0660\", GROUP=\"plugdev\", TAG+=\"uaccess\"",
                      reader.vendor, reader.product);
        expected.push_back(line);
    }
    EXPECT_EQ(rules, expected);
}

} // namespace
} // namespace zaitaku::hardware::rcs380
