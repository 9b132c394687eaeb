#include "hardware/rcs380/BlockProtocol.h"

#include <algorithm>

namespace zaitaku::hardware::rcs380
{

namespace
{

using device::Errc;

Unexpected<Error> malformed(const std::string& what)
{
    return Unexpected(Error{Errc::MalformedResponse, "ISO 14443-4: " + what});
}

// PCB bits (ISO/IEC 14443-4 §7.1.1).
constexpr std::uint8_t kIBlock = 0x02;
constexpr std::uint8_t kRBlock = 0xA2;
constexpr std::uint8_t kSBlock = 0xC2;
constexpr std::uint8_t kChaining = 0x10;
constexpr std::uint8_t kNak = 0x10;
constexpr std::uint8_t kCidFollowing = 0x08;
constexpr std::uint8_t kNadFollowing = 0x04;
constexpr std::uint8_t kWtx = 0x30;

} // namespace

base::Bytes encodeBlock(const Block& block)
{
    switch (block.type) {
    case BlockType::I: {
        base::Bytes out{static_cast<std::uint8_t>(kIBlock | (block.chaining ? kChaining : 0) | (block.number & 1))};
        out.insert(out.end(), block.inf.begin(), block.inf.end());
        return out;
    }
    case BlockType::ReceiveReady:
        return {static_cast<std::uint8_t>(kRBlock | (block.number & 1))};
    case BlockType::ReceiveNotReady:
        return {static_cast<std::uint8_t>(kRBlock | kNak | (block.number & 1))};
    case BlockType::WaitingTimeExtension:
        return {static_cast<std::uint8_t>(kSBlock | kWtx), static_cast<std::uint8_t>(block.wtxm & 0x3F)};
    case BlockType::Deselect:
        return {kSBlock};
    }
    return {};
}

Expected<Block, Error> decodeBlock(base::ByteView frame)
{
    if (frame.empty()) {
        return malformed("empty block");
    }
    const std::uint8_t pcb = frame[0];
    if ((pcb & (kCidFollowing | kNadFollowing)) != 0) {
        return malformed("a CID or NAD the reader did not use (PCB " + base::toHex(frame.first(1)) + ")");
    }
    Block block;
    if ((pcb & 0xE2) == kIBlock) {
        if ((pcb & 0x20) != 0) {
            return malformed("I-block with RFU bit b6 set");
        }
        block.type = BlockType::I;
        block.number = pcb & 1;
        block.chaining = (pcb & kChaining) != 0;
        block.inf.assign(frame.begin() + 1, frame.end());
        return block;
    }
    if ((pcb & 0xE6) == kRBlock) {
        if (frame.size() != 1) {
            return malformed("R-block with an information field");
        }
        block.type = (pcb & kNak) != 0 ? BlockType::ReceiveNotReady : BlockType::ReceiveReady;
        block.number = pcb & 1;
        return block;
    }
    if ((pcb & 0xC7) == kSBlock) {
        if ((pcb & 0x30) == kWtx) {
            if (frame.size() != 2) {
                return malformed("S(WTX) without exactly one INF byte");
            }
            block.type = BlockType::WaitingTimeExtension;
            block.wtxm = frame[1] & 0x3F;
            if (block.wtxm == 0 || block.wtxm > 59) {
                return malformed("WTXM " + std::to_string(block.wtxm) + " outside 1…59");
            }
            return block;
        }
        if ((pcb & 0x30) == 0 && frame.size() == 1) {
            block.type = BlockType::Deselect;
            return block;
        }
    }
    return malformed("unknown PCB " + base::toHex(frame.first(1)));
}

BlockProtocol::BlockProtocol(std::size_t cardFrameSize, std::chrono::microseconds waitingTime)
    : m_maxInf(std::max<std::size_t>(cardFrameSize, 16) - 3) // PCB and CRC_B
    , m_waitingTime(waitingTime)
{}

Expected<Block, Error> BlockProtocol::sendAndAwait(const Block& sent,
                                                   const Transceiver& transceive,
                                                   std::chrono::steady_clock::time_point deadline)
{
    base::Bytes frame = encodeBlock(sent);
    const base::WipeOnExit wipeFrame(frame);
    // Every frame that held the I-block is wiped before its buffer is replaced or freed.
    const auto replace = [&frame](base::Bytes next) {
        base::wipe(frame);
        frame = std::move(next);
    };
    std::chrono::microseconds wait = m_waitingTime;
    int failures = 0;
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::microseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return Unexpected(Error{Errc::Timeout, "the card did not finish the command in time"});
        }
        auto received = transceive(frame, std::min(wait, left));
        if (!received) {
            return Unexpected(received.error());
        }
        wait = m_waitingTime;
        Expected<Block, Error> block =
            received->timedOut ? Expected<Block, Error>(malformed("no answer")) : decodeBlock(received->frame);
        if (!block) {
            // Rule 4: a time-out or an invalid block gets R(NAK); while the card is chaining,
            // R(ACK) is repeated instead.
            if (++failures > kRetries) {
                return Unexpected(received->timedOut
                                      ? Error{Errc::CardRemoved, "the card stopped answering (taken off the reader?)"}
                                      : Error{Errc::TransmitFailed, block.error().message});
            }
            const bool piccChaining = sent.type == BlockType::ReceiveReady;
            replace(encodeBlock(
                Block{piccChaining ? BlockType::ReceiveReady : BlockType::ReceiveNotReady, m_number, false, 0, {}}));
            continue;
        }
        if (block->type == BlockType::WaitingTimeExtension) {
            // The card needs longer: answer with the same multiplier and wait FWT × WTXM once.
            wait = m_waitingTime * block->wtxm;
            replace(encodeBlock(*block));
            continue;
        }
        if (block->type == BlockType::ReceiveNotReady || block->type == BlockType::Deselect) {
            return malformed("the card sent " + base::toHex(received->frame) + ", which only a reader sends");
        }
        if (block->type == BlockType::ReceiveReady && block->number != m_number) {
            // Rule 6: an R(ACK) for the previous block means our last I-block was lost.
            if (sent.type != BlockType::I || ++failures > kRetries) {
                return malformed("unexpected R(ACK)");
            }
            replace(encodeBlock(sent));
            continue;
        }
        return block;
    }
}

Expected<base::Bytes, Error> BlockProtocol::exchange(base::ByteView apdu,
                                                     const Transceiver& transceive,
                                                     std::chrono::steady_clock::time_point deadline)
{
    if (apdu.empty()) {
        return Unexpected(Error{Errc::InvalidInput, "empty command APDU"});
    }
    // Reader chaining: every piece but the last waits for R(ACK).
    Expected<Block, Error> answer = malformed("nothing sent");
    for (std::size_t offset = 0; offset < apdu.size(); offset += m_maxInf) {
        const std::size_t size = std::min(m_maxInf, apdu.size() - offset);
        const bool last = offset + size == apdu.size();
        Block piece{BlockType::I, m_number, !last, 0, base::Bytes(apdu.begin() + offset, apdu.begin() + offset + size)};
        answer = sendAndAwait(piece, transceive, deadline);
        base::wipe(piece.inf); // a VERIFY's digits
        if (!answer) {
            return Unexpected(answer.error());
        }
        if (!last) {
            if (answer->type != BlockType::ReceiveReady) {
                return malformed("the card answered a chained block with something other than R(ACK)");
            }
            m_number ^= 1; // rule B
        }
    }
    // Card chaining: acknowledge each chained I-block with R(ACK) until the last one.
    base::Bytes response;
    for (;;) {
        if (answer->type != BlockType::I) {
            return malformed("expected an I-block in answer");
        }
        if (answer->number != m_number) {
            return malformed("I-block with block number " + std::to_string(answer->number));
        }
        m_number ^= 1; // rule B
        response.insert(response.end(), answer->inf.begin(), answer->inf.end());
        if (response.size() > 65536 + 2) {
            return malformed("the card's answer is larger than an extended APDU");
        }
        if (!answer->chaining) {
            break;
        }
        answer = sendAndAwait(Block{BlockType::ReceiveReady, m_number, false, 0, {}}, transceive, deadline);
        if (!answer) {
            return Unexpected(answer.error());
        }
    }
    if (response.size() < 2) {
        return malformed("response APDU shorter than its status word");
    }
    return response;
}

Expected<void, Error> BlockProtocol::deselect(const Transceiver& transceive)
{
    auto received = transceive(encodeBlock(Block{BlockType::Deselect, 0, false, 0, {}}), m_waitingTime);
    if (!received) {
        return Unexpected(received.error());
    }
    if (received->timedOut) {
        return Unexpected(Error{Errc::CardRemoved, "the card did not answer S(DESELECT)"});
    }
    auto block = decodeBlock(received->frame);
    if (!block || block->type != BlockType::Deselect) {
        return malformed("the answer to S(DESELECT) is " + base::toHex(received->frame));
    }
    return {};
}

} // namespace zaitaku::hardware::rcs380
