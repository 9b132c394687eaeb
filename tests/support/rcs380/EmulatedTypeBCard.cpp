#include "support/rcs380/EmulatedTypeBCard.h"

#include "hardware/rcs380/TypeB.h"

#include <algorithm>

namespace zaitaku::test
{

using hardware::rcs380::Block;
using hardware::rcs380::BlockType;
using hardware::rcs380::Bytes;
using hardware::rcs380::ByteView;

EmulatedTypeBCard::EmulatedTypeBCard(std::unique_ptr<hardware::VirtualCard> card)
    : m_card(std::move(card))
{}

void EmulatedTypeBCard::powerOff()
{
    m_state = State::Idle;
    m_rate = hardware::rcs380::BitRate::Kbps106;
    m_card->reset();
    m_command.clear();
    m_response.clear();
}

std::optional<Bytes> EmulatedTypeBCard::receive(ByteView frame, hardware::rcs380::BitRate rate)
{
    ++m_frames;
    if (rate != m_rate) {
        return std::nullopt;
    }
    if (m_leaveAfter == 0) {
        return std::nullopt; // gone
    }
    if (m_leaveAfter > 0) {
        --m_leaveAfter;
    }
    auto out = answer(frame);
    if (out && m_swallow > 0) {
        --m_swallow;
        return std::nullopt;
    }
    return out;
}

Bytes EmulatedTypeBCard::remember(Bytes frame)
{
    m_last = frame;
    return frame;
}

std::optional<Bytes> EmulatedTypeBCard::answer(ByteView frame)
{
    if (frame.empty()) {
        return std::nullopt;
    }
    if (frame[0] == 0x05 && frame.size() == 3) { // REQB / WUPB
        const bool wakeUp = (frame[2] & 0x08) != 0;
        if (m_state == State::Active || (m_state == State::Halted && !wakeUp)) {
            return std::nullopt;
        }
        m_state = State::Ready;
        const Bytes& atr = m_card->atr();
        Bytes res{0x50};
        res.insert(res.end(), m_pupi.begin(), m_pupi.end());
        res.insert(res.end(), atr.begin() + 4, atr.begin() + 11); // application data, protocol info
        if (m_fsci >= 0) {
            res[10] = static_cast<std::uint8_t>((m_fsci << 4) | (res[10] & 0x0F));
        }
        return res;
    }
    if (frame[0] == 0x1D && frame.size() >= 9) { // ATTRIB
        if (m_state != State::Ready || !std::equal(m_pupi.begin(), m_pupi.end(), frame.begin() + 1)) {
            return std::nullopt;
        }
        m_state = State::Active;
        m_number = 1;
        m_maxInf = hardware::rcs380::frameSizeOf(frame[6] & 0x0F) - 3;
        // Param 2, b8-b5: the rates both ways (01 01 = 212 kbit/s), used from the next frame on.
        const std::uint8_t rates = frame[6] >> 4;
        if (rates != 0x0 && rates != 0x5) {
            return std::nullopt; // a rate this card does not do
        }
        m_rate = rates == 0x5 ? hardware::rcs380::BitRate::Kbps212 : hardware::rcs380::BitRate::Kbps106;
        return Bytes{0x00};
    }
    if (m_state != State::Active) {
        return std::nullopt;
    }
    return activeBlock(frame);
}

Bytes EmulatedTypeBCard::sendNextResponsePiece()
{
    const std::size_t size = std::min(m_maxInf, m_response.size());
    const bool more = size < m_response.size();
    Block piece{BlockType::I, m_number, more, 0, Bytes(m_response.begin(), m_response.begin() + size)};
    m_response.erase(m_response.begin(), m_response.begin() + size);
    m_chainedOut += more ? 1 : 0;
    return remember(hardware::rcs380::encodeBlock(piece));
}

std::optional<Bytes> EmulatedTypeBCard::activeBlock(ByteView frame)
{
    auto block = hardware::rcs380::decodeBlock(frame);
    if (!block) {
        return std::nullopt; // an invalid block is ignored (the reader times out)
    }
    switch (block->type) {
    case BlockType::I: {
        m_number ^= 1; // rule D
        m_command.insert(m_command.end(), block->inf.begin(), block->inf.end());
        if (block->chaining) {
            ++m_chainedIn;
            return remember(hardware::rcs380::encodeBlock(Block{BlockType::ReceiveReady, m_number, false, 0, {}}));
        }
        m_response = m_card->process(m_command);
        m_command.clear();
        if (m_wtxm != 0) { // "I need longer": one extension for this command
            const Block wtx{BlockType::WaitingTimeExtension, 0, false, m_wtxm, {}};
            m_wtxm = 0;
            ++m_wtxSent;
            return remember(hardware::rcs380::encodeBlock(wtx));
        }
        return sendNextResponsePiece();
    }
    case BlockType::ReceiveReady:
        if (block->number != m_number) { // rule E: the reader wants the next piece
            m_number ^= 1;
            return sendNextResponsePiece();
        }
        return m_last; // rule 12
    case BlockType::ReceiveNotReady:
        if (block->number == m_number) {
            return m_last; // rule 11
        }
        return remember(hardware::rcs380::encodeBlock(Block{BlockType::ReceiveReady, m_number, false, 0, {}}));
    case BlockType::WaitingTimeExtension:
        return sendNextResponsePiece();
    case BlockType::Deselect:
        m_state = State::Halted;
        return Bytes{0xC2};
    }
    return std::nullopt;
}

} // namespace zaitaku::test
