#include "device/reader/ApduExchange.h"

namespace zaitaku::device
{

namespace
{

constexpr int kMaxChainedResponses = 256; // 64 KiB of GET RESPONSE, then give up
constexpr std::uint8_t kInsVerify = 0x20;

Expected<ResponseApdu, Error>
once(CardChannel& channel, const CommandApdu& command, std::chrono::milliseconds timeout, ExchangeStats* stats)
{
    auto encoded = command.encode();
    if (!encoded) {
        return Unexpected(encoded.error());
    }
    const base::WipeOnExit wipeEncoded(*encoded);
    auto raw = channel.transmit(*encoded, timeout);
    if (!raw) {
        return Unexpected(raw.error());
    }
    if (stats) {
        ++stats->apdus;
        stats->bytesSent += encoded->size();
        stats->bytesReceived += raw->size();
    }
    return ResponseApdu::decode(*raw);
}

} // namespace

Expected<ResponseApdu, Error>
exchange(CardChannel& channel, const CommandApdu& command, std::chrono::milliseconds timeout, ExchangeStats* stats)
{
    auto response = once(channel, command, timeout, stats);
    // A VERIFY is never sent twice by the transport: a second copy of a wrong PIN would cost the
    // patient a second try without anyone deciding it (docs/design/CARD.md §6). 6Cxx to a VERIFY is the card's
    // answer as it stands.
    if (response && sw::isWrongLe(response->sw) && command.ins != kInsVerify) {
        CommandApdu again = command;
        again.le = response->sw2() == 0 ? 256u : response->sw2();
        response = once(channel, again, timeout, stats);
    }
    if (!response) {
        return response;
    }
    ResponseApdu full = *response;
    for (int i = 0; sw::isMoreData(full.sw); ++i) {
        if (i == kMaxChainedResponses) {
            return Unexpected(Error{Errc::MalformedResponse, "the card kept answering 61xx"});
        }
        const std::uint8_t more = full.sw2();
        auto next = once(channel, CommandApdu{0x00, 0xC0, 0x00, 0x00, {}, more == 0 ? 256u : more}, timeout, stats);
        if (!next) {
            return next;
        }
        full.data.insert(full.data.end(), next->data.begin(), next->data.end());
        full.sw = next->sw;
    }
    return full;
}

} // namespace zaitaku::device
