#pragma once

// pcscd + vpcd + zaitaku-vcard in a private network and mount namespace (scripts/pcsc-sandbox.sh)
// for integration tests: a global environment that starts the sandbox once (tests skip without
// root), and a fixture base that inserts a virtual card with a persona and removes it again.
// Include from exactly one translation unit per test program (it defines g_sandbox).

#include "device/reader/PcscReader.h"
#include "support/Subprocess.h"

#include <cstdlib>
#include <string>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

namespace zaitaku::test
{

const std::string kSandbox = std::string(ZAITAKU_SOURCE_DIR) + "/scripts/pcsc-sandbox.sh";
const std::string kReader = "Virtual PCD 00 00";

class Sandbox : public ::testing::Environment
{
public:
    void SetUp() override
    {
        if (geteuid() != 0) {
            return; // tests skip themselves
        }
        char pattern[] = "/tmp/zaitaku-pcsc-XXXXXX";
        dir = mkdtemp(pattern);
        setenv("ZAITAKU_VCARD", ZAITAKU_VCARD_PATH, 1);
        const ProcessResult r = runProcess({kSandbox, "start", dir}, "", std::chrono::seconds(30));
        ASSERT_EQ(r.exitCode, 0) << r.err;
        const std::string line = r.out.substr(0, r.out.find('\n'));
        ASSERT_EQ(line.rfind("PCSCLITE_CSOCK_NAME=", 0), 0u) << r.out;
        setenv("PCSCLITE_CSOCK_NAME", line.substr(line.find('=') + 1).c_str(), 1);
        started = true;
    }
    void TearDown() override
    {
        if (started) {
            runProcess({kSandbox, "stop", dir}, "", std::chrono::seconds(30));
        }
    }
    std::string dir;
    bool started = false;
};

inline Sandbox* g_sandbox = nullptr;

class PcscCardTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (!g_sandbox->started) {
            GTEST_SKIP() << "needs root for network namespaces (CI runs as root)";
        }
    }
    void TearDown() override
    {
        if (g_sandbox->started) {
            stopCard();
        }
    }

    // Starts zaitaku-vcard with a persona and waits until pcscd sees the card.
    void insertCard(const std::string& persona, std::vector<std::string> extra = {})
    {
        std::vector<std::string> argv{kSandbox,    "vcard", g_sandbox->dir, "card0",
                                      "--persona", persona, "--pki-dir",    ZAITAKU_TEST_PKI_DIR};
        argv.insert(argv.end(), extra.begin(), extra.end());
        const ProcessResult r = runProcess(argv, "", std::chrono::seconds(30));
        ASSERT_EQ(r.exitCode, 0) << r.err;
        vcardPid = std::stoi(r.out);
        waitFor(true);
    }
    // Stops the vcard and waits until pcscd has seen the card leave.
    void stopCard()
    {
        runProcess({kSandbox, "stop-vcard", g_sandbox->dir, "card0"}, "", std::chrono::seconds(30));
        vcardPid = 0;
        waitFor(false);
    }
    void waitFor(bool present)
    {
        auto reader = device::PcscReader::open();
        ASSERT_TRUE(reader.has_value()) << reader.error().message;
        auto readers = (*reader)->listReaders();
        ASSERT_TRUE(readers.has_value());
        for (const auto& r : *readers) {
            if (r.name == kReader && r.cardPresent == present) {
                return;
            }
        }
        auto change = (*reader)->waitForChange(kReader, !present, std::chrono::seconds(30));
        ASSERT_TRUE(change.has_value()) << change.error().message;
        ASSERT_EQ(change->cardPresent, present);
    }
    int vcardPid = 0;
};

} // namespace zaitaku::test
