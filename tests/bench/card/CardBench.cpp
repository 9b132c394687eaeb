// Card flows, measured: per flow the APDU count, bytes each way, and the median wall time over
// the real PC/SC path (pcscd + vpcd + zaitaku-vcard) against the named baseline
// "vcard-in-process" (the same emulator called directly, no transport), in the same process.
// Run with scripts/bench-card.sh.

#include "base/Clock.h"
#include "device/mynacard/MynaCard.h"
#include "device/mynacard/VerificationCodeB.h"
#include "device/reader/PcscReader.h"
#include "hardware/vcard/VirtualCardChannel.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace
{

using namespace zaitaku;
using Clock = std::chrono::steady_clock;

struct Sample
{
    device::ExchangeStats stats;
    double ms = 0;
    bool ok = false;
};

using Flow = std::function<bool(device::MynaCard&)>;

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

template <typename OpenChannel> std::vector<Sample> run(const Flow& flow, int iterations, OpenChannel open)
{
    std::vector<Sample> samples;
    for (int i = 0; i < iterations; ++i) {
        auto channel = open();
        if (!channel) {
            std::fprintf(stderr, "bench: cannot open a channel\n");
            std::exit(1);
        }
        const auto start = Clock::now();
        device::MynaCard card(*channel);
        Sample s;
        s.ok = flow(card);
        s.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        s.stats = card.stats();
        samples.push_back(s);
        (void)channel->disconnect(device::Disposition::Reset);
    }
    return samples;
}

} // namespace

int main(int argc, char** argv)
{
    const std::string reader = argc > 1 ? argv[1] : "Virtual PCD 00 00";
    const std::string pkiDir = argc > 2 ? argv[2] : "";
    const int iterations = argc > 3 ? std::atoi(argv[3]) : 20;

    const base::SystemClock clock;
    auto pki = hardware::TestPki::open(pkiDir, clock.nowJst());
    auto image = hardware::buildCardImage(*hardware::builtinPersona("valid"), *pki, clock.nowJst());
    if (!image) {
        std::fprintf(stderr, "bench: %s\n", image.error().message.c_str());
        return 1;
    }
    hardware::VirtualCard inProcess(std::move(*image));
    auto pcsc = device::PcscReader::open();
    if (!pcsc) {
        std::fprintf(stderr, "bench: %s (start scripts/bench-card.sh)\n", pcsc.error().message.c_str());
        return 1;
    }

    const auto pin = [] { return device::makeAuthPin("1234").value(); };
    const std::vector<std::pair<std::string, Flow>> flows{
        {"read cert", [](device::MynaCard& c) { return c.readAuthCertificate().has_value(); }},
        {"status", [](device::MynaCard& c) { return c.classify().has_value() && c.readAuthCertificate().has_value(); }},
        {"PIN + sign",
         [&](device::MynaCard& c) {
             auto p = pin();
             auto v = c.verifyAuthPin(p);
             return v && v->verified && c.signChallenge(base::Bytes(32, 0x42)).has_value();
         }},
        {"read cert + PIN + sign",
         [&](device::MynaCard& c) {
             auto p = pin();
             auto v = c.readAuthCertificate()
                          ? c.verifyAuthPin(p)
                          : Expected<device::PinOutcome, device::Error>(Unexpected(device::Error{}));
             return v && v->verified && c.signChallenge(base::Bytes(32, 0x42)).has_value();
         }},
        {"face photo",
         [](device::MynaCard& c) {
             auto code = device::parseVerificationCodeB("birth=1980-02-17,expiry-year=2035,code=2285");
             return c.readFacePhoto(*code).has_value();
         }},
    };

    std::printf("card flows, persona 'valid', %d iterations each, median wall time\n", iterations);
    std::printf("baseline: vcard-in-process (same emulator, no transport); measured: pcsc (%s)\n\n", reader.c_str());
    std::printf("%-24s %6s %8s %8s %14s %12s %8s\n", "flow", "APDUs", "sent B", "recv B", "in-process ms", "pcsc ms",
                "ratio");
    for (const auto& [name, flow] : flows) {
        auto base = run(flow, iterations, [&] { return std::make_unique<hardware::VirtualCardChannel>(inProcess); });
        auto real = run(flow, iterations, [&]() -> std::unique_ptr<device::CardChannel> {
            auto ch = (*pcsc)->connect(reader, device::ShareMode::Exclusive);
            return ch ? std::move(*ch) : nullptr;
        });
        const bool ok = std::all_of(real.begin(), real.end(), [](const Sample& s) { return s.ok; }) &&
                        std::all_of(base.begin(), base.end(), [](const Sample& s) { return s.ok; });
        std::vector<double> baseMs;
        std::vector<double> realMs;
        for (const auto& s : base) {
            baseMs.push_back(s.ms);
        }
        for (const auto& s : real) {
            realMs.push_back(s.ms);
        }
        const auto& st = real.front().stats;
        std::printf("%-24s %6d %8zu %8zu %14.3f %12.3f %7.1fx%s\n", name.c_str(), st.apdus, st.bytesSent,
                    st.bytesReceived, median(baseMs), median(realMs), median(realMs) / std::max(median(baseMs), 1e-6),
                    ok ? "" : "  (FAILED)");
        if (!ok) {
            return 1;
        }
    }
    return 0;
}
