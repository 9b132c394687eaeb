#pragma once

// The RC-S380's USB framing (the "port100" frame format shared with Sony's NFC Port-100 chips):
//   ACK     00 00 FF 00 FF 00
//   data    00 00 FF FF FF LEN_lo LEN_hi LCS DATA… DCS 00   (extended frame, LEN little-endian)
//   error   00 00 FF 01 FF 7F 81 00                          (the chip refused the frame)
// LCS makes LEN_lo + LEN_hi + LCS ≡ 0 (mod 256); DCS makes sum(DATA) + DCS ≡ 0 (mod 256).
// Sources: the Linux kernel's drivers/nfc/port100.c frame definitions and nfcpy's
// nfc/clf/rcs380.py, read for the protocol facts (hardware/READERS.md).

#include "base/Bytes.h"
#include "device/DeviceError.h"

namespace zaitaku::hardware::rcs380
{

using base::Bytes;
using base::ByteView;
using device::Error;

// The largest DATA the driver sends or accepts (the chip's own limit is below this; a command
// never needs more than an ISO 14443-4 frame of 256 bytes plus headers).
inline constexpr std::size_t kMaxFrameData = 1024;

inline const base::Bytes kAckFrame{0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00};
inline const base::Bytes kErrorFrame{0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00};

enum class FrameKind
{
    Ack,
    Data,
    Refused, // the chip refused the frame (error frame)
};

struct Frame
{
    FrameKind kind = FrameKind::Ack;
    base::Bytes data; // Data frames only
};

// A data frame around `data` (at most kMaxFrameData bytes).
base::Bytes encodeFrame(base::ByteView data);

// One whole frame as read from the bulk-in endpoint. Errc::MalformedResponse names what is wrong
// (preamble, length checksum, data checksum, postamble, truncation); bytes after the frame are
// refused too, so a misframed read is never half-used.
Expected<Frame, Error> decodeFrame(base::ByteView bytes);

} // namespace zaitaku::hardware::rcs380
