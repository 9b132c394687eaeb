#include "hardware/rcs380/Chipset.h"

#include <cstdio>

namespace zaitaku::hardware::rcs380
{

namespace
{

using device::Errc;

} // namespace

Expected<base::Bytes, Error>
Chipset::command(CommandCode code, base::ByteView params, std::chrono::milliseconds timeout)
{
    base::Bytes data = encodeCommand(code, params);
    const base::WipeOnExit wipeData(data); // InCommRF carries a VERIFY's digits
    if (data.size() > kMaxFrameData) {
        return Unexpected(Error{Errc::InvalidInput, "RC-S380: command larger than a frame"});
    }
    base::Bytes outgoing = encodeFrame(data);
    const base::WipeOnExit wipeOutgoing(outgoing);
    if (auto sent = m_link.write(outgoing, kCommandTimeout); !sent) {
        return Unexpected(sent.error());
    }
    auto ack = m_link.read(kCommandTimeout);
    if (!ack) {
        return Unexpected(ack.error());
    }
    auto ackFrame = decodeFrame(*ack);
    if (!ackFrame) {
        return Unexpected(ackFrame.error());
    }
    if (ackFrame->kind != FrameKind::Ack) {
        return Unexpected(Error{Errc::TransmitFailed, "RC-S380: the reader did not acknowledge the command (" +
                                                          base::toHex(base::ByteView(data).subspan(1, 1)) + ")"});
    }
    auto reply = m_link.read(timeout);
    if (!reply) {
        // Leave the chip ready for the next command: an ACK cancels the one still running.
        (void)m_link.write(kAckFrame, kCommandTimeout);
        return Unexpected(reply.error());
    }
    auto frame = decodeFrame(*reply);
    if (!frame) {
        return Unexpected(frame.error());
    }
    if (frame->kind == FrameKind::Refused) {
        return Unexpected(Error{Errc::TransmitFailed, "RC-S380: the reader refused the command"});
    }
    if (frame->kind != FrameKind::Data) {
        return Unexpected(Error{Errc::MalformedResponse, "RC-S380: a second ACK instead of the answer"});
    }
    return decodeResponse(code, frame->data);
}

Expected<void, Error> Chipset::initialise()
{
    if (auto sent = m_link.write(kAckFrame, kCommandTimeout); !sent) {
        return Unexpected(sent.error());
    }
    const std::uint8_t type1[] = {0x01};
    auto typeSet = command(CommandCode::SetCommandType, type1, kCommandTimeout);
    if (!typeSet) {
        return Unexpected(typeSet.error());
    }
    if (typeSet->empty() || (*typeSet)[0] != 0x00) {
        return Unexpected(Error{Errc::UnsupportedCard, "RC-S380: the reader refused command type 1"});
    }
    auto version = command(CommandCode::GetFirmwareVersion, {}, kCommandTimeout);
    if (!version) {
        return Unexpected(version.error());
    }
    if (version->size() >= 2) {
        char text[16];
        std::snprintf(text, sizeof text, "%x.%02x", (*version)[1], (*version)[0]);
        m_firmware = text;
    }
    return switchRf(false);
}

Expected<void, Error> Chipset::switchRf(bool on)
{
    const std::uint8_t param[] = {static_cast<std::uint8_t>(on ? 0x01 : 0x00)};
    auto done = command(CommandCode::SwitchRf, param, kCommandTimeout);
    if (!done) {
        return Unexpected(done.error());
    }
    m_rfOn = on;
    return {};
}

Expected<void, Error> Chipset::startTypeB()
{
    for (const auto& [code, params] : {std::pair{CommandCode::InSetRf, inSetRfTypeB(BitRate::Kbps106)},
                                       std::pair{CommandCode::InSetProtocol, inSetProtocolDefaults()},
                                       std::pair{CommandCode::InSetProtocol, inSetProtocolTypeB()}}) {
        auto done = command(code, params, kCommandTimeout);
        if (!done) {
            return Unexpected(done.error());
        }
        if (done->empty() || (*done)[0] != 0x00) {
            return Unexpected(Error{Errc::TransmitFailed, "RC-S380: the reader refused a Type B setting"});
        }
    }
    return switchRf(true);
}

Expected<void, Error> Chipset::setBitRate(BitRate rate)
{
    auto done = command(CommandCode::InSetRf, inSetRfTypeB(rate), kCommandTimeout);
    if (!done) {
        return Unexpected(done.error());
    }
    if (done->empty() || (*done)[0] != 0x00) {
        return Unexpected(Error{Errc::TransmitFailed, "RC-S380: the reader refused the bit rate"});
    }
    return {};
}

Expected<Reception, Error> Chipset::inCommRf(base::ByteView frame, std::chrono::microseconds waitingTime)
{
    const auto usbTimeout = std::chrono::duration_cast<std::chrono::milliseconds>(waitingTime) + kCommandTimeout;
    base::Bytes params = inCommRfParams(frame, waitingTime);
    const base::WipeOnExit wipeParams(params);
    auto result = command(CommandCode::InCommRf, params, usbTimeout);
    if (!result) {
        return Unexpected(result.error());
    }
    auto rf = decodeInCommRf(*result);
    if (!rf) {
        return Unexpected(rf.error());
    }
    if (rf->ok()) {
        return Reception{false, std::move(rf->frame)};
    }
    constexpr std::uint32_t kDamaged =
        static_cast<std::uint32_t>(RfStatus::ReceiveTimeout) | static_cast<std::uint32_t>(RfStatus::CrcError) |
        static_cast<std::uint32_t>(RfStatus::ParityError) | static_cast<std::uint32_t>(RfStatus::ProtocolError) |
        static_cast<std::uint32_t>(RfStatus::ReceiveLength);
    if ((rf->status & ~kDamaged) == 0) {
        return Reception{true, {}};
    }
    return Unexpected(Error{Errc::TransmitFailed, "RC-S380: " + describeRfStatus(rf->status)});
}

} // namespace zaitaku::hardware::rcs380
