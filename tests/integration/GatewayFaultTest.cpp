// Nothing lost, nothing twice, whatever the network or the processes do (docs/design/STORAGE-SYNC-STYLE.md
// §2.5): faults injected by a TCP proxy between tablet and gateway (drop, reset, delay past the
// timeout, "commit then drop the response"), then ≥ 300 kill -9s of `zaitaku-cli sync` and ≥ 50
// of `zaitaku-gateway serve` mid-sync. At the end the gateway holds exactly the records the
// tablet committed, each once.

#include "support/FaultProxy.h"
#include "support/Subprocess.h"
#include "sync/gateway/SqliteGatewayStorage.h"
#include "sync/sql/Transaction.h"
#include "sync/store/DeviceSigningKey.h"
#include "sync/store/StoreLifecycle.h"
#include "sync/store/VisitLedger.h"
#include "tests/support/GatewayFixture.h"

#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <random>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace zaitaku::testing
{
namespace
{

using nlohmann::json;

void commitVisit(sync::store::Store& tablet, base::RandomSource& random, const std::string& id)
{
    auto done = commitVisualVisit(tablet, random, id, "p-first");
    ASSERT_TRUE(done) << done.error().message;
}

void pointLinkAt(sync::store::Store& tablet, std::uint16_t port)
{
    auto link = sync::client::GatewayLink::load(tablet.db()).value().value();
    link.url = "https://127.0.0.1:" + std::to_string(port);
    auto tx = sync::sql::Transaction::begin(tablet.db(), sync::sql::Durability::Full);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(link.save(tablet.db()));
    ASSERT_TRUE(tx->commit());
}

class GatewayFaultTest : public GatewayTest
{
protected:
    void SetUp() override
    {
        GatewayTest::SetUp();
        ASSERT_TRUE(enrollTablet(*store, newCode()));
        proxy = std::make_unique<test::FaultProxy>(gateway->port());
        pointLinkAt(*store, proxy->port());
    }
    Expected<sync::client::SyncReport, sync::Error> syncThroughProxy()
    {
        sync::client::SyncOptions options;
        options.timeouts.connect = std::chrono::milliseconds(500);
        options.timeouts.io = std::chrono::milliseconds(500);
        return sync::client::SyncEngine(*store, random, options).run();
    }
    std::unique_ptr<test::FaultProxy> proxy;
};

TEST_F(GatewayFaultTest, EveryFaultLeavesRecordsQueuedAndTheNextSyncDeliversEachOnce)
{
    using Mode = test::FaultProxy::Mode;
    int committed = 0;
    for (Mode mode : {Mode::Drop, Mode::Reset, Mode::Delay, Mode::DropResponse}) {
        SCOPED_TRACE(static_cast<int>(mode));
        for (int i = 0; i < 3; ++i) {
            commitVisit(*store, random, "v-" + std::to_string(committed++));
        }
        proxy->setMode(mode, std::chrono::milliseconds(1500));
        auto faulty = syncThroughProxy();
        ASSERT_TRUE(faulty) << faulty.error().message;
        ASSERT_TRUE(faulty->error) << "the fault went unnoticed";
        EXPECT_TRUE(sync::client::GatewayConnection::isTransient(*faulty->error)) << faulty->error->message;
        auto status = sync::client::SyncEngine::status(*store).value();
        EXPECT_EQ(status.acked, committed - 3); // nothing acknowledged without the gateway's answer
        EXPECT_EQ(status.deadLetter, 0);
        EXPECT_EQ(gatewayRecords(), mode == Mode::DropResponse ? committed : committed - 3);

        proxy->setMode(Mode::Pass);
        auto healed = syncThroughProxy();
        ASSERT_TRUE(healed);
        EXPECT_FALSE(healed->error) << healed->error->message;
        EXPECT_EQ(healed->stored + healed->duplicates, 3);
        EXPECT_EQ(healed->duplicates, mode == Mode::DropResponse ? 3 : 0);
        EXPECT_EQ(sync::client::SyncEngine::status(*store).value().acked, committed);
        EXPECT_EQ(gatewayRecords(), committed);
    }
}

// ---- kill -9 loops over real processes ----

// true when the process was still running (the kill landed mid-run).
bool killAndReap(int pid)
{
    return test::signalAndReap(pid, SIGKILL);
}

class GatewayKillTest : public StoreTest
{
protected:
    void SetUp() override
    {
        StoreTest::SetUp();
        auto imported = sync::store::PatientRoster::import(*store, rosterJson("p-first"), "operator");
        ASSERT_TRUE(imported);
        gatewayDir = (dir / "gateway").string();
        passphraseFile = (dir / "pass").string();
        ASSERT_TRUE(base::writeFileAtomically(passphraseFile, std::string(kTestPassphrase) + "\n", 0600));
        gateway.emplace(ZAITAKU_GATEWAY_PATH, gatewayDir);
        port = gateway->start(0);
        ASSERT_NE(port, 0) << "the gateway did not start";
        auto code = test::runProcess({ZAITAKU_GATEWAY_PATH, "enroll-code", "--data-dir", gatewayDir, "--json"}, "");
        ASSERT_EQ(code.exitCode, 0) << code.err;
        auto enrolled = sync::client::enroll(
            *store, {"https://127.0.0.1:" + std::to_string(port), json::parse(code.out)["code"], "tablet", "test", {}},
            random);
        ASSERT_TRUE(enrolled) << enrolled.error().message;
        // The operator assigns the tablet its patient: records about anyone else are refused.
        auto assigned = test::runProcess(
            {ZAITAKU_GATEWAY_PATH, "roster", "assign", enrolled->deviceId, "p-first", "--data-dir", gatewayDir}, "");
        ASSERT_EQ(assigned.exitCode, 0) << assigned.err;
    }
    void TearDown() override
    {
        gateway.reset();
        StoreTest::TearDown();
    }

    std::vector<std::string> syncArgs() const
    {
        return {ZAITAKU_CLI_PATH, "sync", "--db", path, "--passphrase-file", passphraseFile, "--timeout-ms", "3000"};
    }

    std::string gatewayDir;
    std::string passphraseFile;
    std::optional<test::GatewayProcess> gateway;
    int port = 0;
};

TEST_F(GatewayKillTest, KilledClientsAndGatewaysLoseNothingAndDuplicateNothing)
{
    std::set<std::string> committed;
    std::mt19937 rng(20261121);
    std::uniform_int_distribution<int> clientDelayMs(0, 60);
    std::uniform_int_distribution<int> gatewayDelayMs(0, 40);
    int clientKills = 0;
    int gatewayKills = 0;
    store.reset(); // the CLI processes open it; the test reopens it to add visits
    // Rounds until ≥ 300 clients and ≥ 50 gateways were killed while running (bounded).
    for (int round = 0; round < 600 && (clientKills < 300 || gatewayKills < 50); ++round) {
        {
            auto tablet = sync::store::unlockStore(path, sync::store::UnlockSecret::passphrase(kTestPassphrase), clock);
            ASSERT_TRUE(tablet) << tablet.error().message;
            for (int k = 0; k < 2; ++k) {
                const std::string id = "kv-" + std::to_string(round) + "-" + std::to_string(k);
                commitVisit(*tablet, random, id);
                committed.insert(id);
            }
        }
        const int client = test::spawnProcess(syncArgs(), nullptr);
        if (round % 6 == 5) {
            std::this_thread::sleep_for(std::chrono::milliseconds(gatewayDelayMs(rng)));
            gatewayKills += gateway->kill(SIGKILL) ? 1 : 0;
            clientKills += killAndReap(client) ? 1 : 0;
            ASSERT_EQ(gateway->start(port), port);
            continue;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(clientDelayMs(rng)));
        clientKills += killAndReap(client) ? 1 : 0;
    }
    EXPECT_GE(clientKills, 300);
    EXPECT_GE(gatewayKills, 50);

    // Calm weather: sync until the queue is empty.
    for (int attempt = 0; attempt < 5; ++attempt) {
        auto result = test::runProcess(syncArgs(), "", std::chrono::seconds(120));
        if (result.exitCode == 0) {
            break;
        }
    }
    auto status = test::runProcess(
        {ZAITAKU_CLI_PATH, "sync-status", "--db", path, "--passphrase-file", passphraseFile, "--json"}, "");
    ASSERT_EQ(status.exitCode, 0) << status.err;
    const auto s = json::parse(status.out);
    EXPECT_EQ(s["queued"], 0);
    EXPECT_EQ(s["sending"], 0);
    EXPECT_EQ(s["dead_letter"], 0);
    EXPECT_EQ(s["acked"], static_cast<std::int64_t>(committed.size()));

    gateway->kill(SIGTERM); // graceful: finishes what is in flight, writes its high-water mark
    base::SystemRandom systemRandom;
    sync::gateway::GatewayConfig dataConfig;
    dataConfig.dataDir = gatewayDir;
    auto data = sync::gateway::GatewayData::open(dataConfig, systemRandom, clock);
    ASSERT_TRUE(data) << data.error().message;
    auto records = data->storage->records(0, 100000).value();
    std::multiset<std::string> received;
    for (const auto& r : records) {
        received.insert(r.recordId);
    }
    EXPECT_EQ(received.size(), committed.size()) << "each record exactly once";
    EXPECT_EQ(std::set<std::string>(received.begin(), received.end()), committed);
}

} // namespace
} // namespace zaitaku::testing
