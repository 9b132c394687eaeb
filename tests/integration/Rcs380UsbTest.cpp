// The RC-S380 driver on libusb against an emulated RC-S380 on an emulated USB bus (umockdev):
// enumeration and the reader registry, a whole card status through the driver, a card taken
// away mid-exchange, the reader pulled out mid-exchange, hot-plug events, and
// `zaitaku-cli card status --reader rcs380:0` giving the same JSON as the same card over PC/SC
// (pcscd + vpcd + zaitaku-vcard in the sandbox).

#include "device/mynacard/MynaCard.h"
#include "hardware/rcs380/Rcs380Reader.h"
#include "hardware/readers/ReaderRegistry.h"
#include "hardware/readers/UsbHotplugMonitor.h"
#include "support/PcscSandbox.h"
#include "support/VirtualCards.h"
#include "support/rcs380/UmockdevRcs380.h"

#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <nlohmann/json.hpp>
#include <thread>
#include <unistd.h>

namespace zaitaku::test
{
namespace
{

using device::Errc;
using namespace std::chrono_literals;
using nlohmann::json;

class Rcs380UsbTest : public PcscCardTest
{
protected:
    void SetUp() override
    {
        // The PC/SC comparison needs the sandbox (root); everything else runs without it.
        usb.plug();
    }
    void TearDown() override
    {
        if (g_sandbox->started && vcardPid != 0) {
            stopCard();
        }
    }
    void placeCard(const std::string& persona)
    {
        usb.withEmulator([&](Rcs380Emulator& chip) { chip.placeCard(makeVirtualCard(persona)); });
    }
    std::unique_ptr<hardware::rcs380::Rcs380Reader> openBackend()
    {
        auto reader = hardware::rcs380::Rcs380Reader::open({20ms});
        EXPECT_TRUE(reader) << reader.error().message;
        return reader ? std::move(*reader) : nullptr;
    }
    UmockdevRcs380 usb;
};

TEST_F(Rcs380UsbTest, ListsTheReaderAndSeesACardComeAndGo)
{
    auto backend = openBackend();
    ASSERT_TRUE(backend);
    auto readers = backend->listReaders();
    ASSERT_TRUE(readers) << readers.error().message;
    ASSERT_EQ(readers->size(), 1U);
    EXPECT_EQ((*readers)[0].id, "rcs380:0");
    EXPECT_EQ((*readers)[0].name, "Sony RC-S380 bus 1 port 4");
    EXPECT_FALSE((*readers)[0].cardPresent);
    std::thread placer([&] {
        std::this_thread::sleep_for(100ms);
        placeCard("valid");
    });
    auto arrived = backend->waitForChange("rcs380:0", false, 5s);
    placer.join();
    ASSERT_TRUE(arrived) << arrived.error().message;
    EXPECT_TRUE(arrived->cardPresent);
    EXPECT_EQ(base::toHex(arrived->atr), "3B888001000005E0B381A1007F");
    usb.withEmulator([](Rcs380Emulator& chip) {
        EXPECT_FALSE(chip.rfOn()); // polling leaves the field off: the card keeps no state
        chip.takeCardAway();
    });
    auto left = backend->waitForChange("rcs380:0", true, 5s);
    ASSERT_TRUE(left) << left.error().message;
    EXPECT_FALSE(left->cardPresent);
    EXPECT_EQ(backend->waitForChange("rcs380:0", false, 100ms).error().code, Errc::Timeout);
    EXPECT_EQ(backend->connect("rcs380:0", device::ShareMode::Shared).error().code, Errc::NoCard);
}

TEST_F(Rcs380UsbTest, ReadsTheCardThroughTheDriverAsThroughAnyReader)
{
    placeCard("valid");
    auto registry = hardware::openReaderRegistry();
    auto card = device::connectSelected(*registry, "rcs380:0", device::ShareMode::Shared);
    ASSERT_TRUE(card) << card.error().message;
    // One poll to list, one activation (and the switch to 212 kbit/s): the registry does not list
    // (and poll) again to find the reader it just listed.
    usb.withEmulator([](Rcs380Emulator& chip) {
        const auto commands = chip.commands();
        EXPECT_EQ(std::count(commands.begin(), commands.end(), std::uint8_t{0x00}), 3); // InSetRF
    });
    device::MynaCard myna(*card->channel, 5000ms);
    auto info = myna.classify();
    ASSERT_TRUE(info) << info.error().message;
    EXPECT_EQ(info->authPin.state, device::PinState::Available);
    EXPECT_EQ(info->authPin.triesLeft, 3);
    auto cert = myna.readAuthCertificate();
    ASSERT_TRUE(cert) << cert.error().message;
    EXPECT_GT(cert->size(), 600U); // several chained I-blocks per READ BINARY
    int chained = 0;
    usb.withEmulator([&](Rcs380Emulator& chip) {
        chained = chip.card()->chainedBlocksSent();
        EXPECT_EQ(chip.rate(), hardware::rcs380::BitRate::Kbps212); // the My Number Card takes 212
    });
    EXPECT_GT(chained, 0);
    // While connected the reader reports the card without polling it.
    auto listed = registry->listReaders();
    ASSERT_TRUE(listed);
    EXPECT_TRUE(std::any_of(listed->begin(), listed->end(),
                            [](const device::ReaderState& r) { return r.id == "rcs380:0" && r.cardPresent; }));
    ASSERT_TRUE(card->channel->disconnect(device::Disposition::Reset));
    usb.withEmulator([](Rcs380Emulator& chip) { EXPECT_FALSE(chip.rfOn()); });
}

TEST_F(Rcs380UsbTest, ACardTakenAwayMidExchangeIsCardRemovedAndTheReaderRecovers)
{
    placeCard("valid");
    auto backend = openBackend();
    ASSERT_TRUE(backend);
    auto card = device::connectSelected(*backend, "rcs380:0", device::ShareMode::Shared);
    ASSERT_TRUE(card) << card.error().message;
    device::MynaCard myna(*card->channel, 5000ms);
    ASSERT_TRUE(myna.classify());
    usb.withEmulator([](Rcs380Emulator& chip) { chip.card()->leaveAfterFrames(2); }); // inside the next read
    auto cert = myna.readAuthCertificate();
    ASSERT_FALSE(cert);
    EXPECT_EQ(cert.error().code, Errc::CardRemoved) << cert.error().message;
    usb.withEmulator([](Rcs380Emulator& chip) {
        EXPECT_FALSE(chip.rfOn());
        chip.takeCardAway();
    });
    // The same reader, a new card: works without replugging.
    placeCard("valid");
    auto again = device::connectSelected(*backend, "rcs380:0", device::ShareMode::Shared);
    ASSERT_TRUE(again) << again.error().message;
    device::MynaCard second(*again->channel, 5000ms);
    EXPECT_TRUE(second.readAuthCertificate());
}

TEST_F(Rcs380UsbTest, AReaderPulledOutMidExchangeIsReaderDetachedAndDropsFromTheList)
{
    placeCard("valid");
    auto backend = openBackend();
    ASSERT_TRUE(backend);
    auto card = device::connectSelected(*backend, "rcs380:0", device::ShareMode::Shared);
    ASSERT_TRUE(card) << card.error().message;
    usb.unplugAfterWrites(3);
    device::MynaCard myna(*card->channel, 5000ms);
    auto cert = myna.readAuthCertificate();
    ASSERT_FALSE(cert);
    EXPECT_EQ(cert.error().code, Errc::ReaderDetached) << cert.error().message;
    usb.unplug();
    // libusb learns of the removal from the uevent: the reader leaves the list.
    bool gone = false;
    for (int i = 0; i < 250 && !gone; ++i) { // up to 5 s for the uevent under load
        auto readers = backend->listReaders();
        ASSERT_TRUE(readers) << readers.error().message;
        gone = readers->empty();
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_TRUE(gone);
    EXPECT_EQ(backend->connect("rcs380:0", device::ShareMode::Shared).error().code, Errc::NoReader);
}

TEST_F(Rcs380UsbTest, AReaderAnotherProgramHoldsIsListedWithItsProblemAndRefusedAsBusy)
{
    placeCard("valid");
    usb.refuseClaim(EBUSY);
    auto backend = openBackend();
    ASSERT_TRUE(backend);
    auto readers = backend->listReaders();
    ASSERT_TRUE(readers) << readers.error().message;
    ASSERT_EQ(readers->size(), 1U);
    EXPECT_EQ((*readers)[0].id, "rcs380:0");
    EXPECT_FALSE((*readers)[0].cardPresent);
    EXPECT_NE((*readers)[0].problem.find("claiming interface 0"), std::string::npos) << (*readers)[0].problem;
    EXPECT_EQ(backend->connect("rcs380:0", device::ShareMode::Shared).error().code, Errc::Busy);
    usb.refuseClaim(0); // the other program let go
    auto card = device::connectSelected(*backend, "rcs380:0", device::ShareMode::Shared);
    ASSERT_TRUE(card) << card.error().message;
    EXPECT_TRUE(device::MynaCard(*card->channel, 5000ms).readAuthCertificate());
}

TEST_F(Rcs380UsbTest, TheHotplugMonitorReportsTheReaderAddedAndRemoved)
{
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<hardware::ReaderPlugEvent> events;
    auto monitor = hardware::UsbHotplugMonitor::start([&](const hardware::ReaderPlugEvent& e) {
        std::lock_guard lock(mutex);
        events.push_back(e);
        changed.notify_all();
    });
    ASSERT_TRUE(monitor) << monitor.error().message;
    auto waitFor = [&](std::size_t count) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, 5s, [&] { return events.size() >= count; });
    };
    ASSERT_TRUE(waitFor(1)); // already plugged in: enumerated as added
    usb.unplug();
    ASSERT_TRUE(waitFor(2));
    usb.plug();
    ASSERT_TRUE(waitFor(3));
    std::lock_guard lock(mutex);
    EXPECT_TRUE(events[0].added);
    EXPECT_FALSE(events[1].added);
    EXPECT_TRUE(events[2].added);
    EXPECT_EQ(events[0].reader.model, "Sony PaSoRi RC-S380");
    EXPECT_EQ(events[0].reader.transport, hardware::ReaderTransport::Rcs380);
    EXPECT_EQ(events[0].bus, 1);
    EXPECT_EQ(events[0].address, 4);
}

TEST_F(Rcs380UsbTest, CliCardWatchReportsPlugAndUnplugAsJsonLines)
{
    int out = -1;
    const int pid = spawnProcess({ZAITAKU_CLI_PATH, "card", "watch", "--json"}, &out);
    ASSERT_GT(pid, 0);
    auto next = [&] {
        const std::string line = readLine(out, 10s);
        return line.empty() ? json() : json::parse(line);
    };
    const json present = next(); // the reader already plugged in
    usb.unplug();
    const json removed = next();
    usb.plug();
    const json added = next();
    EXPECT_TRUE(signalAndReap(pid, SIGINT)); // watches until interrupted
    close(out);
    EXPECT_EQ(present.value("event", ""), "added") << present.dump();
    EXPECT_EQ(present.value("usb_id", ""), "054c:06c3");
    EXPECT_EQ(present.value("transport", ""), "rcs380");
    EXPECT_EQ(present.value("bus", 0), 1);
    EXPECT_EQ(removed.value("event", ""), "removed") << removed.dump();
    EXPECT_EQ(added.value("event", ""), "added") << added.dump();
}

TEST_F(Rcs380UsbTest, CliCardStatusOverRcs380IsTheJsonOfPcsc)
{
    if (!g_sandbox->started) {
        GTEST_SKIP() << "needs root for the PC/SC sandbox (CI runs as root)";
    }
    // The same card on both readers, certificates and all.
    const auto issued = base::SystemClock().nowJst();
    usb.withEmulator([&](Rcs380Emulator& chip) {
        chip.placeCard(makeVirtualCard(hardware::builtinPersona("valid").value(), issued));
    });
    insertCard("valid", {"--issued-at", issued.toString()});
    const ProcessResult overUsb =
        runProcess({ZAITAKU_CLI_PATH, "card", "status", "--json", "--reader", "rcs380:0"}, "", 60s);
    ASSERT_EQ(overUsb.exitCode, 0) << overUsb.out << overUsb.err;
    const ProcessResult overPcsc =
        runProcess({ZAITAKU_CLI_PATH, "card", "status", "--json", "--reader", kReader}, "", 60s);
    ASSERT_EQ(overPcsc.exitCode, 0) << overPcsc.out << overPcsc.err;
    json usbJson = json::parse(overUsb.out);
    json pcscJson = json::parse(overPcsc.out);
    EXPECT_EQ(usbJson.at("reader"), "Sony RC-S380 bus 1 port 4");
    EXPECT_EQ(pcscJson.at("reader"), kReader);
    usbJson.erase("reader");
    pcscJson.erase("reader");
    EXPECT_EQ(usbJson, pcscJson);
    EXPECT_TRUE(usbJson.contains("auth_pin_tries_left"));
    // Both kinds of reader in one list, with their ids.
    const ProcessResult listed = runProcess({ZAITAKU_CLI_PATH, "card", "readers", "--json"}, "", 60s);
    ASSERT_EQ(listed.exitCode, 0) << listed.err;
    std::vector<std::string> ids;
    const json readers = json::parse(listed.out);
    for (const auto& r : readers.at("readers")) {
        ids.push_back(r.at("id"));
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"pcsc:0", "pcsc:1", "rcs380:0"}));
}

} // namespace
} // namespace zaitaku::test

int main(int argc, char** argv)
{
    zaitaku::test::reexecUnderUmockdev(argv);
    ::testing::InitGoogleTest(&argc, argv);
    // pcscd and the virtual cards run as they would on a tablet: without the USB emulation.
    struct PlainSandbox : zaitaku::test::Sandbox
    {
        void SetUp() override
        {
            const std::string preload = std::getenv("LD_PRELOAD");
            unsetenv("LD_PRELOAD");
            Sandbox::SetUp();
            setenv("LD_PRELOAD", preload.c_str(), 1);
        }
    };
    zaitaku::test::g_sandbox = new PlainSandbox();
    ::testing::AddGlobalTestEnvironment(zaitaku::test::g_sandbox);
    return RUN_ALL_TESTS();
}
