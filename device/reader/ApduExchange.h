#pragma once

// Sends a command APDU and returns the complete response, handling the transport-level status
// words: 61xx (GET RESPONSE until done) and 6Cxx (resend with the exact Le).

#include "device/apdu/CommandApdu.h"
#include "device/apdu/ResponseApdu.h"
#include "device/reader/CardChannel.h"

namespace zaitaku::device
{

// Counts what crossed the wire (benchmarks, tests, the 25-APDU budget).
struct ExchangeStats
{
    int apdus = 0;
    std::size_t bytesSent = 0;
    std::size_t bytesReceived = 0;
};

Expected<ResponseApdu, Error> exchange(CardChannel& channel,
                                       const CommandApdu& command,
                                       std::chrono::milliseconds timeout,
                                       ExchangeStats* stats = nullptr);

} // namespace zaitaku::device
