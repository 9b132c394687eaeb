#pragma once

// Serves a VirtualCard to pcscd's vpcd driver over TCP (docs/design/CARD.md §10.2): every message is a
// big-endian u16 length and a payload; a 1-byte payload is a control byte (00 power off,
// 01 power on, 02 reset, 04 get ATR → reply with the ATR); anything else is a C-APDU answered with
// the R-APDU. Connected = card inserted; closing the socket = card removed.

#include "hardware/vcard/VirtualCard.h"

#include <atomic>
#include <string>

namespace zaitaku::hardware
{

struct VpcdOptions
{
    std::string host = "127.0.0.1";
    int port = 35963;
    int removeAfterApdus = 0; // > 0: pull the card once, after this many APDUs (tests: removal mid-read)
    bool verbose = false;     // log each APDU (PIN bodies masked)
};

// Commands from signal handlers: the link polls these between frames.
struct VpcdControl
{
    std::atomic<bool> stop{false};
    std::atomic<bool> inserted{true};
    int wakeFd = -1; // write end of a self-pipe the link also polls
};

class VpcdLink
{
public:
    VpcdLink(VirtualCard& card, VpcdOptions options, VpcdControl& control, int wakeReadFd);
    // Runs until control.stop; reconnects when vpcd restarts. Returns a process exit code.
    int run();

private:
    bool connectOnce();
    void disconnect(const char* why);
    bool serveOne(); // false when the connection ended
    bool readExact(std::uint8_t* out, std::size_t n);
    bool writeFrame(const base::Bytes& payload);

    VirtualCard& m_card;
    VpcdOptions m_options;
    VpcdControl& m_control;
    int m_wakeFd;
    int m_socket = -1;
    int m_apdusThisInsertion = 0;
};

} // namespace zaitaku::hardware
