#include "CardParsersFuzz.h"

#include "device/apdu/BerTlv.h"
#include "device/apdu/CommandApdu.h"
#include "device/apdu/ResponseApdu.h"
#include "device/mynacard/Certificate.h"
#include "device/mynacard/MyNumberFirewall.h"
#include "device/mynacard/MynaCard.h"
#include "device/mynacard/VerificationCodeB.h"

#include <cstdlib>

namespace zaitaku::fuzz
{

namespace
{

using namespace zaitaku::device;

void check(bool invariant)
{
    if (!invariant) {
        std::abort();
    }
}

// A reader that answers each command with the next response cut from the fuzz input.
class ReplayChannel final : public CardChannel
{
public:
    explicit ReplayChannel(base::ByteView script)
        : m_script(script)
    {}
    Expected<base::Bytes, Error> transmit(base::ByteView command, std::chrono::milliseconds) override
    {
        check(!command.empty());
        if (m_script.size() < 2 || ++m_count > 400) {
            return Unexpected(Error{Errc::CardRemoved, "replay ended"});
        }
        const std::size_t declared = static_cast<std::size_t>(m_script[0] << 8 | m_script[1]);
        const std::size_t n = std::min(declared, m_script.size() - 2);
        base::Bytes response(m_script.begin() + 2, m_script.begin() + 2 + static_cast<std::ptrdiff_t>(n));
        m_script = m_script.subspan(2 + n);
        return response;
    }
    base::Bytes atr() const override { return {}; }
    Expected<void, Error> disconnect(Disposition) override { return {}; }

private:
    base::ByteView m_script;
    int m_count = 0;
};

void walkTlv(base::ByteView in, int depth)
{
    auto seq = parseTlvSequence(in);
    if (!seq) {
        return;
    }
    for (const Tlv& t : *seq) {
        // Every value lies inside the input.
        check(t.value.data() >= in.data() && t.value.data() + t.value.size() <= in.data() + in.size());
        if (depth < 4) {
            walkTlv(t.value, depth + 1);
        }
    }
}

} // namespace

std::vector<std::uint8_t> encodeReplay(const std::vector<std::vector<std::uint8_t>>& responses)
{
    std::vector<std::uint8_t> out;
    for (const auto& r : responses) {
        const std::size_t n = std::min<std::size_t>(r.size(), 0xFFFF);
        out.push_back(static_cast<std::uint8_t>(n >> 8));
        out.push_back(static_cast<std::uint8_t>(n & 0xFF));
        out.insert(out.end(), r.begin(), r.begin() + static_cast<std::ptrdiff_t>(n));
    }
    return out;
}

Reached runCardParsers(const std::uint8_t* data, std::size_t size)
{
    Reached reached;
    const base::ByteView in(data, size);
    if (auto c = CommandApdu::decode(in)) {
        auto encoded = c->encode();
        check(encoded.has_value());
        auto again = CommandApdu::decode(*encoded);
        check(again.has_value() && again->data == c->data && again->le == c->le);
        (void)c->toLogString();
    }
    if (auto r = ResponseApdu::decode(in)) {
        check(r->data.size() + 2 == size);
    }
    if (auto h = parseTlvHeader(in)) {
        check(h->headerLength <= size);
    }
    walkTlv(in, 0);
    if (auto cert = parseCertificate(in)) {
        (void)cert->serialHex.size();
    }
    (void)MyNumberFirewall::check(in, {});
    (void)MyNumberFirewall::check(in, {myna::bytesOf(myna::kJpkiAid), myna::kAuthPin});
    (void)MyNumberFirewall::check(in, {myna::bytesOf(myna::kSurfaceAid), myna::kVerificationCodeBKey});

    // Whole flows against the replayed card.
    ReplayChannel channel(in);
    MynaCard card(channel, std::chrono::milliseconds(10));
    (void)card.classify();
    if (auto cert = card.readAuthCertificate()) {
        reached.certificate = parseCertificate(*cert).has_value();
    }
    (void)card.authPinStatus();
    auto pin = makeAuthPin("1234");
    (void)card.verifyAuthPin(*pin, LastTryOverride{"fuzz"});
    reached.signature = card.signChallenge(base::Bytes{1, 2, 3}).has_value();
    auto codeB = makeVerificationCodeB(base::Date::fromYmd(1980, 2, 17).value(), 2035, "2285");
    if (auto photo = card.readFacePhoto(*codeB, LastTryOverride{"fuzz"})) {
        check(!photo->jpeg2000.empty());
        reached.photo = true;
    }
    return reached;
}

} // namespace zaitaku::fuzz
