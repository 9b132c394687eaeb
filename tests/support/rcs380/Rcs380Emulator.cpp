#include "support/rcs380/Rcs380Emulator.h"

#include "hardware/rcs380/Command.h"

namespace zaitaku::test
{

namespace rcs = hardware::rcs380;
using rcs::Bytes;
using rcs::ByteView;
using rcs::CommandCode;

void Rcs380Emulator::write(ByteView bytes)
{
    auto frame = rcs::decodeFrame(bytes);
    if (!frame || frame->kind == rcs::FrameKind::Refused) {
        ++m_malformed;
        m_out.push_back(rcs::kErrorFrame);
        return;
    }
    if (frame->kind == rcs::FrameKind::Ack) {
        m_out.clear(); // cancels the command in progress
        return;
    }
    m_out.push_back(rcs::kAckFrame);
    execute(frame->data);
}

std::optional<Bytes> Rcs380Emulator::read()
{
    if (m_out.empty()) {
        return std::nullopt;
    }
    Bytes next = std::move(m_out.front());
    m_out.pop_front();
    return next;
}

void Rcs380Emulator::placeCard(std::unique_ptr<hardware::VirtualCard> card)
{
    m_card = std::make_unique<EmulatedTypeBCard>(std::move(card));
}

void Rcs380Emulator::takeCardAway()
{
    m_card.reset();
}

void Rcs380Emulator::answer(std::uint8_t code, ByteView result)
{
    Bytes data{rcs::kResponsePrefix, static_cast<std::uint8_t>(code + 1)};
    data.insert(data.end(), result.begin(), result.end());
    m_out.push_back(rcs::encodeFrame(data));
}

void Rcs380Emulator::execute(ByteView data)
{
    if (data.size() < 2 || data[0] != rcs::kCommandPrefix) {
        ++m_malformed;
        m_out.push_back(rcs::kErrorFrame);
        return;
    }
    const std::uint8_t code = data[1];
    const ByteView params = data.subspan(2);
    m_commands.push_back(code);
    const std::uint8_t ok[] = {0x00};
    switch (static_cast<CommandCode>(code)) {
    case CommandCode::SetCommandType:
        m_commandType = params.empty() ? 0 : params[0];
        answer(code, ok);
        return;
    case CommandCode::GetCommandType: {
        const std::uint8_t type[] = {static_cast<std::uint8_t>(m_commandType)};
        answer(code, type);
        return;
    }
    case CommandCode::GetFirmwareVersion: {
        const std::uint8_t version[] = {0x11, 0x01}; // 1.11, as real units report
        answer(code, version);
        return;
    }
    case CommandCode::GetPdDataVersion: {
        const std::uint8_t version[] = {0x00, 0x01};
        answer(code, version);
        return;
    }
    case CommandCode::SwitchRf:
        m_rfOn = !params.empty() && params[0] != 0;
        if (!m_rfOn && m_card) {
            m_card->powerOff();
        }
        answer(code, ok);
        return;
    case CommandCode::InSetRf:
        if (params.size() != 4 || params[0] != 0x03 || params[2] != 0x0F || params[1] != params[3] ||
            (params[1] != 0x07 && params[1] != 0x08)) {
            m_out.push_back(rcs::kErrorFrame); // only the Type B settings are modelled
            return;
        }
        m_rate = params[1] == 0x08 ? rcs::BitRate::Kbps212 : rcs::BitRate::Kbps106;
        answer(code, ok);
        return;
    case CommandCode::InSetProtocol:
        answer(code, ok);
        return;
    case CommandCode::InCommRf: {
        // Result: status (4 bytes, little-endian) ‖ one byte ‖ the card's frame.
        Bytes result{0x00, 0x00, 0x00, 0x00, 0x00};
        std::optional<Bytes> reply;
        if (!m_rfOn) {
            result = {0x00, 0x04, 0x00, 0x00}; // RF off
        } else if (params.size() >= 2 && m_card) {
            reply = m_card->receive(params.subspan(2), m_rate);
        }
        if (m_rfOn && !reply) {
            result = {0x80, 0x00, 0x00, 0x00}; // no answer in time
        }
        if (reply) {
            result.insert(result.end(), reply->begin(), reply->end());
        }
        answer(code, result);
        return;
    }
    }
    m_out.push_back(rcs::kErrorFrame); // a command this chip model does not know
}

} // namespace zaitaku::test
