// Issue 30, certificates that renew: the tablet's device certificate over mTLS in the last third of
// its life, the server certificate by itself (root key online) or by the operator (offline root,
// then reload), and a root CA rollover announced through the feed with a cross certificate. The
// clocks cross each expiry by issuing in the past: TLS checks validity against the real time.

#include "base/AtomicFile.h"
#include "sync/client/DeviceCertificate.h"
#include "sync/client/GatewayConnection.h"
#include "sync/gateway/GatewayPki.h"
#include "sync/protocol/DeviceKeyRequest.h"
#include "sync/protocol/Messages.h"
#include "sync/sql/AuditLog.h"
#include "sync/transport/HttpsClient.h"
#include "tests/support/GatewayFixture.h"
#include "tests/support/TempDir.h"

#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

namespace zaitaku::testing
{
namespace
{

namespace fs = std::filesystem;
using std::chrono::hours;
constexpr auto kDay = hours(24);

class GatewayCertificateTest : public GatewayTest
{
protected:
    // The certificate the gateway presents right now (verification off: this only looks).
    std::optional<sync::client::CertificateLife> servedCertificate()
    {
        sync::transport::ClientOptions options;
        options.host = "127.0.0.1";
        options.port = gateway->port();
        options.verifyPeer = false;
        auto probe = sync::transport::HttpsClient::create(options).value();
        if (!probe->connect()) {
            return std::nullopt;
        }
        const auto chain = probe->peerChain();
        probe->close();
        return chain.empty() ? std::nullopt
                             : sync::client::certificateLife(sync::protocol::certificatePem(chain.front()),
                                                             gatewayClock.nowJst());
    }

    // Waits (bounded) until the served certificate is valid beyond `beyond`.
    bool servedBeyond(const base::Timestamp& beyond)
    {
        for (int i = 0; i < 100; ++i) {
            if (auto served = servedCertificate(); served && served->notAfter.utc() > beyond.utc()) {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    }

    // The server certificate made `daysAgo` days ago (825-day lifetime), then the gateway started
    // (with the root key moved offline first when `offlineRootKey` names where to).
    void restartWithServerCertificateFrom(int daysAgo, const std::string& offlineRootKey = "")
    {
        config.port = gateway->port();
        gateway.reset();
        fs::remove(fs::path(config.dataDir) / "server.cert.pem");
        fs::remove(fs::path(config.dataDir) / "server.key.pem");
        const auto now = gatewayClock.now();
        gatewayClock.set(now - kDay * daysAgo);
        auto made = sync::gateway::GatewayPki::loadOrCreate(config.dataDir, {}, gatewayRandom, gatewayClock.nowJst());
        ASSERT_TRUE(made) << made.error().message;
        gatewayClock.set(now);
        if (!offlineRootKey.empty()) {
            fs::rename(fs::path(config.dataDir) / "ca.key.pem", offlineRootKey);
        }
        startGateway();
    }

    std::vector<std::string> gatewayAuditActions()
    {
        std::vector<std::string> actions;
        const auto rows = gateway->storage().auditRows(0, 1000).value();
        for (const auto& row : rows) {
            actions.push_back(row.action);
        }
        return actions;
    }

    static bool contains(const std::vector<std::string>& list, const std::string& item)
    {
        return std::find(list.begin(), list.end(), item) != list.end();
    }

    // The offline copy of the root key: moved out of the data folder, as OPERATIONS.md says.
    std::string takeRootKeyOffline()
    {
        const std::string offline = (dir / "root.key.pem").string();
        fs::rename(fs::path(config.dataDir) / "ca.key.pem", offline);
        return offline;
    }
};

TEST_F(GatewayCertificateTest, ATabletRenewsItsCertificateInTheLastThirdOfItsLifeAndKeepsItsIdAndRoster)
{
    // Enrolled 760 days ago: 65 of its 825 days left.
    const auto now = gatewayClock.now();
    gatewayClock.set(now - kDay * 760);
    auto enrolled = enrollTablet(*store, newCode());
    ASSERT_TRUE(enrolled) << enrolled.error().message;
    gatewayClock.set(now);
    const auto before = sync::client::GatewayLink::load(store->db()).value().value();
    ASSERT_TRUE(sync::client::certificateLife(before.certificatePem, clock.nowJst())->renewalDue);
    const auto assigned = gateway->storage().assignedPatients(enrolled->deviceId).value();

    const auto report = syncNow(*store);
    ASSERT_FALSE(report.renewalError) << report.renewalError->message;
    ASSERT_TRUE(report.certificateRenewedUntil);
    EXPECT_GT(report.certificateRenewedUntil->utc(), (clock.nowJst().plus(kDay * 800)).utc());
    const auto after = sync::client::GatewayLink::load(store->db()).value().value();
    EXPECT_NE(after.certificatePem, before.certificatePem);
    EXPECT_NE(after.privateKeyPem, before.privateKeyPem) << "a new key, not the old one certified again";
    EXPECT_EQ(after.deviceId, before.deviceId);
    EXPECT_FALSE(sync::client::certificateLife(after.certificatePem, clock.nowJst())->renewalDue);
    const auto devices = gateway->storage().devices().value();
    ASSERT_EQ(devices.size(), 1u);
    EXPECT_EQ(devices[0].id, enrolled->deviceId);
    EXPECT_EQ(gateway->storage().assignedPatients(enrolled->deviceId).value(), assigned);
    EXPECT_TRUE(contains(gatewayAuditActions(), "device.renew"));

    // The next run uses the new certificate, which retires the old one.
    const auto next = syncNow(*store);
    EXPECT_FALSE(next.error);
    EXPECT_FALSE(next.certificateRenewedUntil) << "renewed once, not on every run";
    EXPECT_TRUE(contains(gatewayAuditActions(), "device.certificates_retired"));
    auto old = sync::client::GatewayConnection::open(before, {}).value();
    auto refused = old.get("/v1/status");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, sync::Errc::Unauthorized);
    EXPECT_NE(refused.error().message.find("replaced by a renewed one"), std::string::npos) << refused.error().message;
}

TEST_F(GatewayCertificateTest, ATabletWhoseCertificateExpiredIsToldToEnrollAgain)
{
    const auto now = gatewayClock.now();
    gatewayClock.set(now - kDay * 830); // expired five days ago
    ASSERT_TRUE(enrollTablet(*store, newCode()));
    gatewayClock.set(now);
    sync::client::SyncEngine engine(*store, random);
    auto report = engine.run();
    const std::string message = report ? (report->error ? report->error->message : "") : report.error().message;
    EXPECT_TRUE(!report || report->error) << "the gateway refused the expired certificate at the handshake";
    EXPECT_EQ(gatewayRecords(), 0);
    EXPECT_FALSE(message.empty());
}

TEST_F(GatewayCertificateTest, TheServerCertificateRenewsItselfWhileTheRootKeyIsOnline)
{
    ASSERT_TRUE(enrollTablet(*store, newCode()));
    restartWithServerCertificateFrom(800); // 25 days left
    EXPECT_TRUE(servedBeyond(gatewayClock.nowJst().plus(kDay * 800))) << "renewed by the first hourly chores";
    EXPECT_TRUE(contains(gatewayAuditActions(), "pki.server_renewed"));
    const auto report = syncNow(*store);
    EXPECT_FALSE(report.error) << "the tablet still trusts it: same root";
}

TEST_F(GatewayCertificateTest, WithTheRootOfflineTheOperatorRenewsAndAReloadTakesIt)
{
    ASSERT_TRUE(enrollTablet(*store, newCode()));
    const std::string rootKey = (dir / "root.key.pem").string();
    restartWithServerCertificateFrom(800, rootKey);
    std::this_thread::sleep_for(std::chrono::seconds(3)); // the first hourly chores ran
    ASSERT_TRUE(servedCertificate());
    EXPECT_LT(servedCertificate()->notAfter.utc(), gatewayClock.nowJst().plus(kDay * 30).utc())
        << "it cannot renew without the root key";
    EXPECT_FALSE(contains(gatewayAuditActions(), "pki.server_renewed"));

    // `server-cert renew --root-key FILE`, then `systemctl reload`.
    ASSERT_TRUE(sync::gateway::GatewayPki::renewServerCertificate(config.dataDir, {"gateway.example"}, rootKey,
                                                                  gatewayRandom, gatewayClock.nowJst()));
    ASSERT_TRUE(gateway->reload(config));
    EXPECT_TRUE(servedBeyond(gatewayClock.nowJst().plus(kDay * 800)));
    EXPECT_FALSE(syncNow(*store).error);
}

TEST_F(GatewayCertificateTest, ANewRootIsAnnouncedPinnedAndSwitchedToWithoutLosingATablet)
{
    ASSERT_TRUE(enrollTablet(*store, newCode()));
    EXPECT_FALSE(syncNow(*store).error);
    // A second tablet that will miss the announcement (it does not sync until after the switch).
    const fs::path otherDir = dir / "tablet-b";
    fs::create_directories(otherDir);
    auto other = [&] {
        sync::store::InitOptions options;
        options.scrypt = fastScrypt();
        return sync::store::initStore((otherDir / "store.db").string(), kTestPassphrase, options, random, clock);
    }();
    ASSERT_TRUE(other);
    ASSERT_TRUE(enrollTablet(other->store, newCode(), false));

    const std::string rootKey = takeRootKeyOffline();
    const std::string newRootKey = (dir / "root-2.key.pem").string();
    auto next = sync::gateway::GatewayPki::announceNextRoot(config.dataDir, rootKey, newRootKey, gatewayRandom,
                                                            gatewayClock.nowJst());
    ASSERT_TRUE(next) << next.error().message;
    ASSERT_TRUE(gateway->storage().announceTrustAnchor(
        sync::protocol::toJson(sync::protocol::TrustAnchorAnnouncement{next->rootPem, next->crossPem}),
        next->fingerprint, gatewayClock.nowJst()));

    const auto report = syncNow(*store);
    EXPECT_EQ(report.rootsPinned, 1);
    const auto pinned = sync::client::GatewayLink::load(store->db()).value().value().caPem;
    EXPECT_NE(pinned.find(next->rootPem), std::string::npos);
    EXPECT_EQ(syncNow(*store).rootsPinned, 0) << "pinned once";
    const auto behind = gateway->storage().devices().value();
    const auto announced = gateway->storage().trustAnchorSeq().value();
    ASSERT_TRUE(announced);
    int read = 0;
    for (const auto& d : behind) {
        read += d.feedSeq >= *announced ? 1 : 0;
    }
    EXPECT_EQ(read, 1) << "devices list tells which tablet has read the announcement";

    // `ca switch-root` with the gateway stopped, then started again.
    config.port = gateway->port();
    gateway.reset();
    ASSERT_TRUE(
        sync::gateway::GatewayPki::switchRoot(config.dataDir, newRootKey, {}, gatewayRandom, gatewayClock.nowJst()));
    startGateway();
    EXPECT_EQ(gateway->caFingerprint(), next->fingerprint);
    EXPECT_FALSE(syncNow(*store).error) << "pins the new root; its device certificate is under the old one";
    EXPECT_FALSE(syncNow(other->store).error)
        << "pins only the old root: reaches the new one through the cross certificate";

    // A tablet enrolled now pins the new root from its code.
    const fs::path thirdDir = dir / "tablet-c";
    fs::create_directories(thirdDir);
    sync::store::InitOptions options;
    options.scrypt = fastScrypt();
    auto third = sync::store::initStore((thirdDir / "store.db").string(), kTestPassphrase, options, random, clock);
    ASSERT_TRUE(third);
    auto enrolled = enrollTablet(third->store, newCode(), false);
    ASSERT_TRUE(enrolled) << enrolled.error().message;
    EXPECT_FALSE(syncNow(third->store).error);
}

TEST(PinAnnouncedRoot, ARootVouchedForByAnotherKeyIsNotPinned)
{
    const fs::path tmp = makeTempDir("zaitaku-roots");
    base::ManualClock clock{std::chrono::system_clock::now()};
    base::SystemRandom random;
    const std::string a = (tmp / "a").string();
    const std::string b = (tmp / "b").string();
    ASSERT_TRUE(sync::gateway::GatewayPki::loadOrCreate(a, {}, random, clock.nowJst()));
    ASSERT_TRUE(sync::gateway::GatewayPki::loadOrCreate(b, {}, random, clock.nowJst()));
    const auto pinnedA = sync::gateway::GatewayPki::load(a).value().caPem();
    // Gateway B announces a root: its cross certificate is signed by B's root, not A's.
    auto next =
        sync::gateway::GatewayPki::announceNextRoot(b, b + "/ca.key.pem", (tmp / "k").string(), random, clock.nowJst());
    ASSERT_TRUE(next);
    auto refused = sync::client::pinAnnouncedRoot(pinnedA, {next->rootPem, next->crossPem});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, sync::Errc::SignatureInvalid);
    // A root whose cross certificate is for another key (A's own root as "cross") is refused too.
    EXPECT_FALSE(sync::client::pinAnnouncedRoot(pinnedA, {next->rootPem, pinnedA}));
    // The genuine announcement pins it, once.
    const auto pinnedB = sync::gateway::GatewayPki::load(b).value().caPem();
    auto pinned = sync::client::pinAnnouncedRoot(pinnedB, {next->rootPem, next->crossPem});
    ASSERT_TRUE(pinned) << pinned.error().message;
    EXPECT_NE(*pinned, pinnedB);
    EXPECT_EQ(sync::client::pinAnnouncedRoot(*pinned, {next->rootPem, next->crossPem}).value(), *pinned);
    fs::remove_all(tmp);
}

} // namespace
} // namespace zaitaku::testing
