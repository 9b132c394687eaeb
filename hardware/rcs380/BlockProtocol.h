#pragma once

// The ISO/IEC 14443-4 half-duplex block protocol, reader side: I-blocks with chaining both ways,
// R(ACK)/R(NAK), S(WTX) and S(DESELECT), block numbering (rules A and B), and recovery from a
// lost or damaged frame by R(NAK) a bounded number of times. It knows nothing of USB: frames go
// out and come back through a Transceiver, the RC-S380's InCommRF in the driver, a script in
// the tests. No CID and no NAD are sent (CID 0 from ATTRIB).

#include "hardware/rcs380/Frame.h"

#include <chrono>
#include <functional>

namespace zaitaku::hardware::rcs380
{

enum class BlockType
{
    I,
    ReceiveReady,    // R(ACK)
    ReceiveNotReady, // R(NAK)
    WaitingTimeExtension,
    Deselect,
};

struct Block
{
    BlockType type = BlockType::I;
    int number = 0;        // I and R blocks
    bool chaining = false; // I blocks
    std::uint8_t wtxm = 0; // S(WTX): the multiplier, 1…59
    base::Bytes inf;       // I blocks
};

base::Bytes encodeBlock(const Block& block);
// MalformedResponse for an RFU PCB, a CID or NAD the reader never asked for, a WTXM out of range.
Expected<Block, Error> decodeBlock(base::ByteView frame);

// What came back for one frame sent: the card's frame, or `timedOut` when it did not answer
// within the waiting time (or answered with a damaged frame: both are recovered the same way).
struct Reception
{
    bool timedOut = false;
    base::Bytes frame;
};
using Transceiver =
    std::function<Expected<Reception, Error>(base::ByteView frame, std::chrono::microseconds waitingTime)>;

class BlockProtocol
{
public:
    // `cardFrameSize`: FSC from SENSB_RES; `waitingTime`: FWT from FWI.
    BlockProtocol(std::size_t cardFrameSize, std::chrono::microseconds waitingTime);

    // Sends one APDU and returns the card's response APDU. `deadline` bounds the whole exchange
    // including the waiting time extensions the card asks for (Errc::Timeout past it). A card
    // that stops answering gives Errc::CardRemoved after the retries.
    Expected<base::Bytes, Error>
    exchange(base::ByteView apdu, const Transceiver& transceive, std::chrono::steady_clock::time_point deadline);
    // S(DESELECT) and its answer (best effort: the card may already be gone).
    Expected<void, Error> deselect(const Transceiver& transceive);

    int blockNumber() const { return m_number; }

    static constexpr int kRetries = 2;

private:
    Expected<Block, Error>
    sendAndAwait(const Block& sent, const Transceiver& transceive, std::chrono::steady_clock::time_point deadline);

    std::size_t m_maxInf;
    std::chrono::microseconds m_waitingTime;
    int m_number = 0;
};

} // namespace zaitaku::hardware::rcs380
