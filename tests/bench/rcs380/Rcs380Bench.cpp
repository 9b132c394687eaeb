// The RC-S380 driver, measured: the card status flow (classify + read the user certificate) and
// the PIN + sign flow, as median wall time over
//   baseline  "vcard-in-process": the same card emulator called directly, no reader at all;
//   "driver in memory": the driver's chipset, ISO 14443-4 block protocol and channel over the
//                       emulated chip, no USB (the driver's own cost per APDU);
//   "driver on libusb": the whole driver on libusb against the emulated RC-S380 on a umockdev USB
//                       bus (adds libusb and umockdev's ioctl round trips, not a real reader's RF).
// All in one process. Run with scripts/bench-rcs380.sh.

#include "base/Clock.h"
#include "device/mynacard/MynaCard.h"
#include "hardware/rcs380/Rcs380Channel.h"
#include "hardware/rcs380/Rcs380Reader.h"
#include "hardware/vcard/VirtualCardChannel.h"
#include "support/rcs380/EmulatorLink.h"
#include "support/rcs380/UmockdevRcs380.h"

#include <algorithm>
#include <cstdio>
#include <functional>

namespace
{

using namespace zaitaku;
using Clock = std::chrono::steady_clock;
using Flow = std::function<bool(device::MynaCard&)>;

std::unique_ptr<hardware::VirtualCard> makeCard(hardware::TestPki& pki, base::Timestamp now)
{
    auto image = hardware::buildCardImage(*hardware::builtinPersona("valid"), pki, now);
    if (!image) {
        std::fprintf(stderr, "bench: %s\n", image.error().message.c_str());
        std::exit(1);
    }
    return std::make_unique<hardware::VirtualCard>(std::move(*image));
}

struct Result
{
    double medianMs = 0;
    int apdus = 0;
    bool ok = true;
};

Result measure(const Flow& flow, int iterations, const std::function<std::unique_ptr<device::CardChannel>()>& open)
{
    std::vector<double> ms;
    Result out;
    for (int i = 0; i < iterations; ++i) {
        auto channel = open();
        if (!channel) {
            out.ok = false;
            return out;
        }
        const auto start = Clock::now();
        device::MynaCard card(*channel);
        out.ok = flow(card) && out.ok;
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        out.apdus = card.stats().apdus;
        (void)channel->disconnect(device::Disposition::Reset);
    }
    std::sort(ms.begin(), ms.end());
    out.medianMs = ms[ms.size() / 2];
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    test::reexecUnderUmockdev(argv);
    const std::string pkiDir = argc > 1 ? argv[1] : "";
    const int iterations = argc > 2 ? std::atoi(argv[2]) : 50;
    const base::SystemClock clock;
    auto pki = hardware::TestPki::open(pkiDir, clock.nowJst());
    if (!pki) {
        std::fprintf(stderr, "bench: %s\n", pki.error().message.c_str());
        return 1;
    }

    // Baseline: the emulator alone.
    auto inProcess = makeCard(*pki, clock.nowJst());

    // The driver over the emulated chip, in memory.
    test::Rcs380Emulator memoryChip;
    memoryChip.placeCard(makeCard(*pki, clock.nowJst()));
    auto memorySession = hardware::rcs380::Session::open(std::make_unique<test::EmulatorLink>(memoryChip));
    if (!memorySession) {
        std::fprintf(stderr, "bench: %s\n", memorySession.error().message.c_str());
        return 1;
    }
    auto openInMemory = [&]() -> std::unique_ptr<device::CardChannel> {
        auto card = (*memorySession)->sense(true);
        if (!card || !*card) {
            return nullptr;
        }
        auto channel = hardware::rcs380::Rcs380Channel::activate(*memorySession, **card);
        return channel ? std::move(*channel) : nullptr;
    };

    // The driver on libusb, against the emulated RC-S380 on an emulated USB bus.
    test::UmockdevRcs380 usb;
    usb.plug();
    usb.withEmulator([&](test::Rcs380Emulator& chip) { chip.placeCard(makeCard(*pki, clock.nowJst())); });
    auto backend = hardware::rcs380::Rcs380Reader::open();
    if (!backend) {
        std::fprintf(stderr, "bench: %s\n", backend.error().message.c_str());
        return 1;
    }
    auto openOnUsb = [&]() -> std::unique_ptr<device::CardChannel> {
        auto channel = (*backend)->connect("rcs380:0", device::ShareMode::Shared);
        return channel ? std::move(*channel) : nullptr;
    };

    const std::vector<std::pair<std::string, Flow>> flows{
        {"status", [](device::MynaCard& c) { return c.classify().has_value() && c.readAuthCertificate().has_value(); }},
        {"PIN + sign",
         [](device::MynaCard& c) {
             auto pin = device::makeAuthPin("1234").value();
             auto verified = c.verifyAuthPin(pin);
             return verified && verified->verified && c.signChallenge(base::Bytes(32, 0x42)).has_value();
         }},
    };
    std::printf("RC-S380 driver, persona 'valid', %d iterations each, median wall time (ms)\n", iterations);
    std::printf("baseline: vcard-in-process (the card emulator, no reader)\n\n");
    std::printf("%-12s %6s %14s %18s %8s %18s %8s\n", "flow", "APDUs", "in-process", "driver in memory", "ratio",
                "driver on libusb", "ratio");
    for (const auto& [name, flow] : flows) {
        const Result base =
            measure(flow, iterations, [&] { return std::make_unique<hardware::VirtualCardChannel>(*inProcess); });
        const Result memory = measure(flow, iterations, openInMemory);
        const Result onUsb = measure(flow, iterations, openOnUsb);
        const bool ok = base.ok && memory.ok && onUsb.ok;
        const double b = std::max(base.medianMs, 1e-6);
        std::printf("%-12s %6d %14.3f %18.3f %7.1fx %18.3f %7.1fx%s\n", name.c_str(), onUsb.apdus, base.medianMs,
                    memory.medianMs, memory.medianMs / b, onUsb.medianMs, onUsb.medianMs / b, ok ? "" : "  (FAILED)");
        if (!ok) {
            return 1;
        }
    }
    return 0;
}
