// The fuzz target under ASan/UBSan on every CI run: seeds recorded from real virtual-card
// sessions, then >= 100,000 deterministic mutations (flips, truncations, insertions, length-byte
// tampering) and random inputs.

#include "CardParsersFuzz.h"
#include "device/mynacard/MynaCard.h"
#include "device/mynacard/VerificationCodeB.h"
#include "support/VirtualCards.h"

#include <random>

namespace zaitaku::fuzz
{
namespace
{

using base::Bytes;

// Records the responses of a real session with the virtual card, in replay format.
class RecordingChannel final : public device::CardChannel
{
public:
    explicit RecordingChannel(device::CardChannel& inner)
        : m_inner(inner)
    {}
    Expected<Bytes, device::Error> transmit(base::ByteView command, std::chrono::milliseconds t) override
    {
        auto r = m_inner.transmit(command, t);
        if (r) {
            responses.push_back(*r);
        }
        return r;
    }
    Bytes atr() const override { return m_inner.atr(); }
    Expected<void, device::Error> disconnect(device::Disposition d) override { return m_inner.disconnect(d); }
    std::vector<Bytes> responses;

private:
    device::CardChannel& m_inner;
};

std::vector<Bytes> seeds()
{
    std::vector<Bytes> out;
    for (const char* persona : {"valid", "one-try-left", "face-auth-only", "child"}) {
        auto card = test::makeVirtualCard(persona);
        hardware::VirtualCardChannel channel(*card);
        RecordingChannel recorder(channel);
        device::MynaCard myna(recorder);
        (void)myna.classify();
        (void)myna.readAuthCertificate();
        (void)myna.authPinStatus();
        (void)myna.verifyAuthPin(*device::makeAuthPin("1234"), device::LastTryOverride{"fuzz"});
        (void)myna.signChallenge(Bytes{1, 2, 3});
        (void)myna.readFacePhoto(
            *device::makeVerificationCodeB(base::Date::fromYmd(1980, 2, 17).value(), 2035, "2285"));
        out.push_back(encodeReplay(recorder.responses));
        out.push_back(card->image().authCertificateDer);
        for (const auto& app : card->image().applications) {
            for (const auto& [fid, file] : app.files) {
                out.push_back(file);
            }
        }
    }
    out.push_back(base::fromHex("00A4040C0AD392F000260100000001").value());
    out.push_back(base::fromHex("80A2000000013300").value());
    return out;
}

Bytes mutate(Bytes input, std::mt19937& rng)
{
    std::uniform_int_distribution<int> kind(0, 6);
    const int rounds = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < rounds; ++i) {
        const std::size_t n = input.size();
        const std::size_t pos = n == 0 ? 0 : rng() % n;
        switch (kind(rng)) {
        case 0: // flip a bit
            if (n) {
                input[pos] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
            }
            break;
        case 1: // truncate
            input.resize(pos);
            break;
        case 2: // insert a byte
            input.insert(input.begin() + static_cast<std::ptrdiff_t>(pos), static_cast<std::uint8_t>(rng()));
            break;
        case 3: // delete a range
            if (n) {
                input.erase(input.begin() + static_cast<std::ptrdiff_t>(pos),
                            input.begin() + static_cast<std::ptrdiff_t>(std::min(n, pos + 1 + rng() % 16)));
            }
            break;
        case 4: { // tamper with something that looks like a length
            static constexpr std::uint8_t kLengths[] = {0x00, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0xFF};
            if (n) {
                input[pos] = kLengths[rng() % sizeof kLengths];
            }
            break;
        }
        case 5: // status words that steer the flows
            if (n >= 2) {
                static constexpr std::uint16_t kSw[] = {0x9000, 0x6100, 0x61FF, 0x6C00, 0x6C10, 0x63C0,
                                                        0x63C1, 0x6984, 0x6A82, 0x6B00, 0x6282};
                const std::uint16_t s = kSw[rng() % (sizeof kSw / sizeof kSw[0])];
                input[pos % (n - 1)] = static_cast<std::uint8_t>(s >> 8);
                input[pos % (n - 1) + 1] = static_cast<std::uint8_t>(s);
            }
            break;
        default: // duplicate a chunk
            if (n) {
                const std::size_t len = std::min<std::size_t>(n - pos, 1 + rng() % 64);
                Bytes chunk(input.begin() + static_cast<std::ptrdiff_t>(pos),
                            input.begin() + static_cast<std::ptrdiff_t>(pos + len));
                input.insert(input.begin() + static_cast<std::ptrdiff_t>(rng() % (n + 1)), chunk.begin(), chunk.end());
            }
            break;
        }
    }
    return input;
}

TEST(CardParsersCorpusTest, HundredThousandMutatedAndRandomInputs)
{
    const std::vector<Bytes> corpus = seeds();
    ASSERT_GT(corpus.size(), 20u);
    std::mt19937 rng(20261121);
    constexpr int kCases = 100000;
    // The recorded sessions must replay all the way through: otherwise the mutations below only
    // scratch the surface of the flows.
    Reached seedsReached;
    for (const Bytes& seed : corpus) {
        const Reached r = runCardParsers(seed.data(), seed.size());
        seedsReached.certificate |= r.certificate;
        seedsReached.signature |= r.signature;
        seedsReached.photo |= r.photo;
    }
    EXPECT_TRUE(seedsReached.certificate);
    EXPECT_TRUE(seedsReached.signature);
    EXPECT_TRUE(seedsReached.photo);
    int mutatedPhotos = 0;
    for (int i = 0; i < kCases; ++i) {
        Bytes input;
        if (i % 10 == 0) {
            input.resize(rng() % 300);
            for (auto& b : input) {
                b = static_cast<std::uint8_t>(rng());
            }
        } else {
            input = mutate(corpus[rng() % corpus.size()], rng);
        }
        mutatedPhotos += runCardParsers(input.data(), input.size()).photo ? 1 : 0;
    }
    // Some mutations must still get through to the end (flips inside the photo, for example).
    EXPECT_GT(mutatedPhotos, 0);
}

} // namespace
} // namespace zaitaku::fuzz
