#pragma once

// The card side of ISO/IEC 14443-3 Type B and 14443-4 for the RC-S380 emulator: answers WUPB/REQB
// with a SENSB_RES, ATTRIB, and then carries APDUs to a VirtualCard in I-blocks, chaining both
// ways and following the PICC block-numbering rules (C, D, E) and R(NAK)/R(ACK) recovery
// (rules 11, 12). Faults for tests: stop answering, swallow frames, ask for a waiting time
// extension.

#include "hardware/rcs380/BlockProtocol.h"
#include "hardware/rcs380/TypeB.h"
#include "hardware/vcard/VirtualCard.h"

#include <memory>
#include <optional>

namespace zaitaku::test
{

class EmulatedTypeBCard
{
public:
    // The SENSB_RES carries the application data and protocol info of the card's own ATR
    // (3B 88 80 01 ‖ AD ‖ PI ‖ MBLI ‖ TCK), so an RC-S380 reports the ATR a PC/SC reader does.
    explicit EmulatedTypeBCard(std::unique_ptr<hardware::VirtualCard> card);

    // One frame from the reader at `rate`; the answer, or nothing (the reader sees a time-out).
    // A frame at another rate than the card listens at is noise to it.
    std::optional<hardware::rcs380::Bytes> receive(hardware::rcs380::ByteView frame,
                                                   hardware::rcs380::BitRate rate = hardware::rcs380::BitRate::Kbps106);
    // The rate ATTRIB agreed on (106 kbit/s until then and after power-off).
    hardware::rcs380::BitRate rate() const { return m_rate; }
    // The field went off: the card loses power (selection and verified PIN go).
    void powerOff();

    // Faults.
    void swallowNextAnswers(int count) { m_swallow = count; }
    // The card leaves the field after `frames` more frames: it stops answering mid-exchange.
    void leaveAfterFrames(int frames) { m_leaveAfter = frames; }
    void requestWaitingTimeExtension(std::uint8_t wtxm) { m_wtxm = wtxm; }
    // The frame size the card announces (FSCI in SENSB_RES), to force reader chaining.
    void announceFrameSizeCode(int fsci) { m_fsci = fsci; }

    hardware::VirtualCard& card() { return *m_card; }
    int framesReceived() const { return m_frames; }
    int chainedBlocksReceived() const { return m_chainedIn; }
    int chainedBlocksSent() const { return m_chainedOut; }
    int waitingTimeExtensionsSent() const { return m_wtxSent; }

private:
    enum class State
    {
        Idle,
        Ready,
        Active,
        Halted,
    };
    std::optional<hardware::rcs380::Bytes> answer(hardware::rcs380::ByteView frame);
    std::optional<hardware::rcs380::Bytes> activeBlock(hardware::rcs380::ByteView frame);
    hardware::rcs380::Bytes sendNextResponsePiece();
    hardware::rcs380::Bytes remember(hardware::rcs380::Bytes frame);

    std::unique_ptr<hardware::VirtualCard> m_card;
    State m_state = State::Idle;
    std::array<std::uint8_t, 4> m_pupi{0x3A, 0x5C, 0x01, 0x7E};
    int m_fsci = -1;
    hardware::rcs380::BitRate m_rate = hardware::rcs380::BitRate::Kbps106;
    int m_number = 1; // rule C: the PICC's block number starts at 1
    hardware::rcs380::Bytes m_command;
    hardware::rcs380::Bytes m_response; // what is left to send of the current response
    hardware::rcs380::Bytes m_last;     // the last block sent (rule 11/12 retransmission)
    std::size_t m_maxInf = 253;         // FSD 256 from ATTRIB, less PCB and CRC
    int m_swallow = 0;
    int m_leaveAfter = -1;
    std::uint8_t m_wtxm = 0;
    int m_frames = 0;
    int m_chainedIn = 0;
    int m_chainedOut = 0;
    int m_wtxSent = 0;
};

} // namespace zaitaku::test
