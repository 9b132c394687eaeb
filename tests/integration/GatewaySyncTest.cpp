// Tablet ⇄ gateway over real TLS on loopback: enrollment without trust-on-first-use, mTLS refusal,
// revocation, every way the gateway refuses a card signature or a challenge, idempotent resend,
// 409 on a changed payload, the epoch change after a restore, the feed and the route pre-check.

#include "base/AtomicFile.h"
#include "base/Sha256.h"
#include "sync/client/GatewayConnection.h"
#include "sync/gateway/GatewayBackup.h"
#include "sync/gateway/GatewayPki.h"
#include "sync/gateway/GatewayService.h"
#include "sync/protocol/DeviceKeyRequest.h"
#include "sync/protocol/Messages.h"
#include "sync/protocol/ModelJson.h"
#include "sync/store/ConsentLedger.h"
#include "sync/store/CustodyLedger.h"
#include "sync/store/DeviceSigningKey.h"
#include "sync/store/Outbox.h"
#include "sync/store/SnapshotCache.h"
#include "sync/transport/HttpsClient.h"
#include "tests/support/GatewayFixture.h"
#include "tests/support/Subprocess.h"
#include "tests/support/TlsProbe.h"
#include "verify/consent/ConsentCatalog.h"
#include "verify/consent/ConsentSelection.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <set>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>

namespace zaitaku::testing
{
namespace
{

using nlohmann::json;
using sync::protocol::RecordStatus;

visit::VisitScript pinVisit()
{
    visit::VisitScript s;
    s.pins.push_back(pin("1234"));
    return s;
}

class GatewaySyncTest : public GatewayTest
{
protected:
    // Enrolls the fixture's tablet, fills its challenge pool and runs one PIN first visit.
    void enrollAndVisit()
    {
        ASSERT_TRUE(enrollTablet(*store, newCode()));
        const auto first = syncNow(*store);
        ASSERT_EQ(first.challengesAdded, 50);
        presentCard("valid");
        visit::ScriptedOperator op(pinVisit());
        auto outcome = run(request("p-first"), op);
        ASSERT_TRUE(outcome) << outcome.error().message;
        ASSERT_EQ(outcome->state, visit::VisitState::Committed);
    }

    // The visit payload the tablet queued (the first outbox row of kind visit).
    json queuedVisit()
    {
        auto s = store->db().prepare("SELECT payload FROM outbox WHERE kind = 'visit' ORDER BY seq LIMIT 1");
        EXPECT_TRUE(s && s->step().value_or(false));
        return json::parse(s->text(0));
    }

    // Enrolls without fetching challenges and runs a PIN first visit: its card signature is over a
    // local challenge. The queued visit payload (null when something went wrong: reported).
    json localChallengeVisit()
    {
        EXPECT_TRUE(enrollTablet(*store, newCode()));
        presentCard("valid");
        visit::ScriptedOperator op(pinVisit());
        auto outcome = run(request("p-first"), op);
        EXPECT_TRUE(outcome && outcome->state == visit::VisitState::Committed);
        json payload = queuedVisit();
        EXPECT_EQ(payload["evidence"][0]["bundle"]["challenge_origin"], "local");
        return payload["evidence"][0]["bundle"]["challenge_origin"] == "local" ? payload : json();
    }

    // Options for a client with no certificate (a stranger, or a tablet before enrollment).
    sync::transport::ClientOptions anonymousClient()
    {
        sync::transport::ClientOptions options;
        options.host = "127.0.0.1";
        options.port = gateway->port();
        options.caPem = gateway->caPem();
        return options;
    }

    // The gateway's /metrics as the monitoring system reads it (metrics_client_cert = required,
    // the default): with a certificate `monitor-cert` would issue.
    sync::transport::ClientOptions monitorClient()
    {
        auto options = anonymousClient();
        auto pki = sync::gateway::GatewayPki::load(config.dataDir).value();
        auto request = sync::protocol::makeDeviceKeyRequest("zaitaku-monitor").value();
        auto issued = pki.issueDeviceCertificate(request.csrPem, "monitor", gatewayClock.nowJst(), gatewayRandom, 90);
        EXPECT_TRUE(issued) << issued.error().message;
        options.certificatePem = issued ? issued->certificatePem : std::string();
        options.privateKeyPem = request.privateKeyPem;
        return options;
    }

    std::string scrapeMetrics()
    {
        auto monitor = sync::transport::HttpsClient::create(monitorClient()).value();
        auto scraped = monitor->send({"GET", "/metrics", {}, {}});
        EXPECT_TRUE(scraped && scraped->status == 200) << (scraped ? scraped->body : scraped.error().message);
        return scraped ? scraped->body : std::string();
    }

    static double metric(const std::string& scraped, const std::string& name)
    {
        const auto at = scraped.find("\n" + name + " ");
        return at == std::string::npos ? -1.0 : std::stod(scraped.substr(at + name.size() + 2));
    }

    // Another tablet's encrypted store in `at` (the caller removes the folder).
    auto newTabletStore(const std::filesystem::path& at)
    {
        sync::store::InitOptions options;
        options.scrypt = fastScrypt();
        return sync::store::initStore((at / "store.db").string(), kTestPassphrase, options, random, clock);
    }

    sync::client::GatewayConnection connection(sync::store::Store& tablet)
    {
        auto link = sync::client::GatewayLink::load(tablet.db()).value().value();
        return sync::client::GatewayConnection::open(link, {}).value();
    }

    // Re-seals a visit payload as a new record (new visit and evidence ids, named by `tablet`) after
    // `mutate` edits the evidence bundle, signed with `tablet`'s device key as a genuine tablet would.
    json reseal(json payload, const std::function<void(json&)>& mutate, sync::store::Store& tablet)
    {
        const std::string visitId = base::makeUuid(random);
        payload["visit"]["id"] = visitId;
        // The sending tablet names itself, as an attacker's tablet would (visit.device_id is checked).
        if (auto named = sync::sql::StoreMeta::get(tablet.db(), "gateway.device_id"); named && *named) {
            payload["visit"]["device_id"] = **named;
        }
        payload["visit"]["evidence_ids"] = json::array();
        for (auto& e : payload["evidence"]) {
            e["bundle"]["visit_id"] = visitId;
            e["bundle"]["id"] = base::makeUuid(random);
            payload["visit"]["evidence_ids"].push_back(e["bundle"]["id"]);
            mutate(e["bundle"]);
        }
        sealBundles(payload, tablet);
        return payload;
    }

    // Signs every evidence bundle again with `tablet`'s device key, as the tablet seals them;
    // an item whose bundle, hash or signature is missing or of another type is left as it is.
    void sealBundles(json& payload, sync::store::Store& tablet)
    {
        if (!payload.contains("evidence") || !payload["evidence"].is_array()) {
            return;
        }
        auto signer = sync::store::DeviceSigningKey::loadOrCreate(tablet, random).value();
        for (auto& e : payload["evidence"]) {
            if (e.is_object() && e.contains("bundle") && e["bundle"].is_object() && e.contains("bundle_sha256") &&
                e["bundle_sha256"].is_string() && e.contains("device_signature") && e["device_signature"].is_string()) {
                const auto sha = base::sha256Hex(base::canonicalJson(e["bundle"]));
                e["bundle_sha256"] = sha;
                e["device_signature"] = base::toHex(signer.sign(sha).value());
            }
        }
    }

    // The card certificate a PIN visit's evidence carries.
    static base::Bytes cardCertificateOf(const json& payload)
    {
        return base::fromHex(payload["evidence"][0]["bundle"]["auth_certificate_der"].get<std::string>()).value();
    }

    // The JPKI CA's revocation list of `revoked`, issued at `at`, written where config.jpkiCrlFile points.
    void writeRevocationList(const std::vector<base::Bytes>& revoked, const base::Timestamp& at)
    {
        auto pki = hardware::TestPki::open(ZAITAKU_TEST_PKI_DIR, clock.nowJst()).value();
        config.jpkiCrlFile = (dir / "jpki.crl").string();
        ASSERT_TRUE(base::writeFileAtomically(config.jpkiCrlFile, pki.revocationListPem(revoked, at).value(), 0600));
    }

    // `payload` as a new record (new visit id) with `mutate` applied to the whole of it; the
    // evidence bundles are sealed again afterwards, so a change inside one reaches the checks
    // behind the tablet's signature (issue 34).
    json mutated(json payload, const std::function<void(json&)>& mutate)
    {
        payload = reseal(
            std::move(payload), [](json&) {}, *store);
        mutate(payload);
        sealBundles(payload, *store);
        return payload;
    }

    // Posts `payload` as a record of `kind` under a fresh key and returns its result.
    sync::protocol::RecordResult
    postAsNew(sync::client::GatewayConnection& gw, const json& payload, const std::string& kind = "visit")
    {
        const std::string key = base::makeUuid(random);
        const std::string text = base::canonicalJson(payload);
        sync::protocol::RecordsRequest req;
        req.deviceTime = clock.nowJst();
        const bool named = payload.contains("visit") && payload["visit"].is_object() &&
                           payload["visit"].contains("id") && payload["visit"]["id"].is_string();
        req.records.push_back({key, kind, named ? payload["visit"]["id"].get<std::string>() : key, text,
                               base::sha256Hex(text), clock.nowJst()});
        auto response = gw.post("/v1/records", sync::protocol::dump(sync::protocol::toJson(req)));
        EXPECT_TRUE(response) << response.error().message;
        auto parsed = sync::protocol::parseRecordsResponse(response ? response->body : std::string());
        EXPECT_TRUE(parsed) << parsed.error().message;
        return parsed ? parsed->results.at(0) : sync::protocol::RecordResult{};
    }

    sync::protocol::RecordResult
    post(sync::client::GatewayConnection& gw, const json& payload, std::string key = {}, int expectStatus = 200)
    {
        const std::string text = base::canonicalJson(payload);
        sync::protocol::RecordsRequest req;
        req.deviceTime = clock.nowJst();
        req.records.push_back({key.empty() ? payload["visit"]["id"].get<std::string>() : key, "visit",
                               payload["visit"]["id"], text, base::sha256Hex(text), clock.nowJst()});
        auto response = gw.post("/v1/records", sync::protocol::dump(sync::protocol::toJson(req)));
        EXPECT_TRUE(response) << response.error().message;
        EXPECT_EQ(response->status, expectStatus) << response->body;
        auto parsed = sync::protocol::parseRecordsResponse(response->body);
        EXPECT_TRUE(parsed) << parsed.error().message;
        return parsed->results.at(0);
    }
};

TEST_F(GatewaySyncTest, EnrolledTabletSendsAPinVisitExactlyOnce)
{
    enrollAndVisit();
    const auto sent = syncNow(*store);
    EXPECT_EQ(sent.stored, 1);
    EXPECT_FALSE(sent.error);
    EXPECT_EQ(gatewayRecords(), 1);
    const auto again = syncNow(*store);
    EXPECT_EQ(again.stored + again.duplicates, 0);
    EXPECT_EQ(gatewayRecords(), 1);
    auto status = sync::client::SyncEngine::status(*store).value();
    EXPECT_EQ(status.acked, 1);
    EXPECT_EQ(status.queued + status.sending + status.deadLetter, 0);
    EXPECT_TRUE(status.lastSuccess);
    auto stored = gateway->storage().records(0, 10).value();
    ASSERT_EQ(stored.size(), 1U);
    EXPECT_EQ(std::count(stored[0].flags.begin(), stored[0].flags.end(), "local_challenge"), 0);
}

TEST_F(GatewaySyncTest, EnrollmentChecksTheGatewayCaAndUsesTheCodeOnce)
{
    std::string code = newCode();
    std::string wrongFingerprint = code.substr(0, code.size() - 16) + std::string(16, '0');
    auto refused = enrollTablet(*store, wrongFingerprint);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, sync::Errc::TlsFailure);
    EXPECT_FALSE(sync::client::GatewayLink::load(store->db()).value());
    ASSERT_TRUE(enrollTablet(*store, code));
    auto reused = enrollTablet(*store, code);
    ASSERT_FALSE(reused);
    EXPECT_EQ(reused.error().code, sync::Errc::Unauthorized);
}

TEST_F(GatewaySyncTest, DeviceRoutesNeedAClientCertificate)
{
    auto options = anonymousClient();
    auto client = sync::transport::HttpsClient::create(options).value();
    for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/v1/status"}, {"POST", "/v1/records"}, {"POST", "/v1/challenges"}, {"GET", "/v1/feed"}}) {
        auto response = client->send({method, target, {}, "{}"});
        ASSERT_TRUE(response) << response.error().message;
        EXPECT_EQ(response->status, 401) << target;
        EXPECT_NE(response->body.find("unauthorized"), std::string::npos);
    }
    // Security review M6: failed authentications were neither counted nor logged.
    EXPECT_EQ(metric(scrapeMetrics(), "zaitaku_gateway_auth_refused_total"), 4);
    auto health = client->send({"GET", "/healthz", {}, {}});
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    EXPECT_EQ(client->tlsVersion(), "TLSv1.3");

    // An enrolled tablet keeps its TLS 1.3 connection alive.
    ASSERT_TRUE(enrollTablet(*store, newCode()));
    const auto link = sync::client::GatewayLink::load(store->db()).value().value();
    options.certificatePem = link.certificatePem;
    options.privateKeyPem = link.privateKeyPem;
    auto tablet = sync::transport::HttpsClient::create(options).value();
    auto status = tablet->send({"GET", "/v1/status", {}, {}});
    ASSERT_TRUE(status && status->status == 200);
    EXPECT_EQ(tablet->tlsVersion(), "TLSv1.3");
}

TEST_F(GatewaySyncTest, ACertificateFromAnotherCaIsRefusedAtTheHandshake)
{
    // A device certificate issued by another gateway's CA: TLS itself refuses it.
    auto otherDir = makeTempDir("zaitaku-other-gateway");
    base::SeededRandom otherRandom(5);
    auto otherPki = sync::gateway::GatewayPki::loadOrCreate(otherDir.string(), {}, otherRandom, clock.nowJst()).value();
    auto request = sync::protocol::makeDeviceKeyRequest("intruder").value();
    auto cert = otherPki.issueDeviceCertificate(request.csrPem, "d-intruder", clock.nowJst(), otherRandom).value();
    auto options = anonymousClient();
    options.certificatePem = cert.certificatePem;
    options.privateKeyPem = request.privateKeyPem;
    auto client = sync::transport::HttpsClient::create(options).value();
    auto response = client->send({"GET", "/v1/status", {}, {}});
    ASSERT_FALSE(response) << response->status;
    EXPECT_TRUE(response.error().code == sync::Errc::TlsFailure ||
                response.error().code == sync::Errc::NetworkUnreachable)
        << response.error().message;
    // Counted for the monitoring (security review M6: TLS failures were never seen).
    EXPECT_GE(metric(scrapeMetrics(), "zaitaku_gateway_tls_handshakes_failed_total"), 1.0);
    std::filesystem::remove_all(otherDir);
}

TEST_F(GatewaySyncTest, RevokedDeviceIsRefused)
{
    auto enrolled = enrollTablet(*store, newCode());
    ASSERT_TRUE(enrolled);
    ASSERT_TRUE(gateway->storage().revokeDevice(enrolled->deviceId, gatewayClock.nowJst()).value());
    sync::client::SyncEngine engine(*store, random);
    auto report = engine.run();
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, sync::Errc::Unauthorized);
}

TEST_F(GatewaySyncTest, ResendIsAcknowledgedOnceAndAChangedPayloadIs409)
{
    enrollAndVisit();
    auto gw = connection(*store);
    const json payload = queuedVisit();
    EXPECT_EQ(post(gw, payload).status, RecordStatus::Stored);
    EXPECT_EQ(post(gw, payload).status, RecordStatus::Duplicate);
    json changed = payload;
    changed["visit"]["staff_id"] = "someone-else";
    auto conflict = post(gw, changed, payload["visit"]["id"], 409);
    EXPECT_EQ(conflict.status, RecordStatus::Conflict);
    EXPECT_EQ(gatewayRecords(), 1);
    // The tablet's own queue then acknowledges its row as a duplicate.
    EXPECT_EQ(syncNow(*store).duplicates, 1);
    EXPECT_EQ(gatewayRecords(), 1);
}

TEST_F(GatewaySyncTest, ChallengeUsedTwiceIsRejected)
{
    enrollAndVisit();
    auto gw = connection(*store);
    const json payload = queuedVisit();
    ASSERT_EQ(post(gw, payload).status, RecordStatus::Stored);
    auto replay = post(gw, reseal(
                               payload, [](json&) {}, *store));
    EXPECT_EQ(replay.status, RecordStatus::Rejected);
    EXPECT_NE(replay.reason.find("already used"), std::string::npos) << replay.reason;
}

TEST_F(GatewaySyncTest, ChallengeSignedAfterExpiryIsRejected)
{
    enrollAndVisit();
    auto gw = connection(*store);
    auto late = post(
        gw, reseal(
                queuedVisit(),
                [&](json& b) { b["captured_at"] = clock.nowJst().plus(std::chrono::hours(80)).toString(); }, *store));
    EXPECT_EQ(late.status, RecordStatus::Rejected);
    EXPECT_NE(late.reason.find("expired"), std::string::npos) << late.reason;
}

TEST_F(GatewaySyncTest, AnotherDevicesChallengeIsRejected)
{
    enrollAndVisit();
    // A second tablet enrolls and presents the first tablet's challenge under its own key.
    auto otherDir = makeTempDir("zaitaku-other");
    auto other = newTabletStore(otherDir);
    ASSERT_TRUE(other);
    ASSERT_TRUE(enrollTablet(other->store, newCode()));
    auto gw = connection(other->store);
    auto foreign = post(gw, reseal(
                                queuedVisit(), [](json&) {}, other->store));
    EXPECT_EQ(foreign.status, RecordStatus::Rejected);
    EXPECT_NE(foreign.reason.find("another device"), std::string::npos) << foreign.reason;
    std::filesystem::remove_all(otherDir);
}

TEST_F(GatewaySyncTest, BadCardSignatureIsRejected)
{
    enrollAndVisit();
    auto gw = connection(*store);
    auto forged = post(gw, reseal(
                               queuedVisit(),
                               [](json& b) {
                                   std::string sig = b["signature"];
                                   sig[10] = sig[10] == '0' ? '1' : '0';
                                   b["signature"] = sig;
                               },
                               *store));
    EXPECT_EQ(forged.status, RecordStatus::Rejected);
    EXPECT_EQ(forged.code, "signature_invalid");
    EXPECT_NE(forged.field.find("signature"), std::string::npos);
}

TEST_F(GatewaySyncTest, TamperedBundleOrForeignDeviceKeyIsRejected)
{
    enrollAndVisit();
    auto gw = connection(*store);
    json tampered = queuedVisit();
    tampered["visit"]["id"] = base::makeUuid(random);
    tampered["evidence"][0]["bundle"]["staff_id"] = "intruder";
    auto result = post(gw, tampered);
    EXPECT_EQ(result.status, RecordStatus::Rejected);
    EXPECT_NE(result.field.find("bundle_sha256"), std::string::npos) << result.field;
}

TEST_F(GatewaySyncTest, CertificateFromAnotherCaIsRejected)
{
    enrollAndVisit();
    auto otherCa = hardware::TestPki::open("", clock.nowJst()).value();
    auto stranger = otherCa
                        .issue("stranger", "stranger", clock.nowJst().plus(-std::chrono::hours(24)),
                               clock.nowJst().plus(std::chrono::hours(24 * 365)))
                        .value();
    auto gw = connection(*store);
    auto result =
        post(gw, reseal(
                     queuedVisit(), [&](json& b) { b["auth_certificate_der"] = base::toHex(stranger.der); }, *store));
    EXPECT_EQ(result.status, RecordStatus::Rejected);
    EXPECT_NE(result.reason.find("not issued by the configured JPKI CA"), std::string::npos) << result.reason;
}

TEST_F(GatewaySyncTest, CertificateOnTheRevocationListIsRejected)
{
    enrollAndVisit();
    const json payload = queuedVisit();
    writeRevocationList({cardCertificateOf(payload)}, clock.nowJst());
    restartGateway();
    auto gw = connection(*store);
    auto result = post(gw, payload);
    EXPECT_EQ(result.status, RecordStatus::Rejected);
    EXPECT_NE(result.reason.find("revocation list"), std::string::npos) << result.reason;
}

TEST_F(GatewaySyncTest, AReplacedRevocationListIsReadWithoutARestart)
{
    // Security review L4: the CRL was read once at start. Past its nextUpdate every PIN visit was
    // refused ("CRL has expired") and nothing said so; the operator's fresh list was never read.
    enrollAndVisit();
    const json payload = queuedVisit();
    writeRevocationList({}, clock.nowJst().plus(-std::chrono::hours(24 * 40))); // its nextUpdate: 10 days past
    restartGateway();
    EXPECT_LT(metric(scrapeMetrics(), "zaitaku_gateway_jpki_crl_seconds_left"), 0) << "the lapse is visible";
    EXPECT_GT(metric(scrapeMetrics(), "zaitaku_gateway_jpki_crl_age_seconds"), 39.0 * 86400) << "and its age";

    // Today's list, which revokes this card, replaces the file: read within seconds.
    writeRevocationList({cardCertificateOf(payload)}, clock.nowJst());
    auto gw = connection(*store);
    std::string reason;
    for (int i = 0; i < 100 && reason.find("revocation list") == std::string::npos; ++i) {
        auto result = post(gw, reseal(
                                   payload, [](json&) {}, *store));
        ASSERT_EQ(result.status, RecordStatus::Rejected) << "an expired list, then a revoked card";
        reason = result.reason;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_NE(reason.find("revocation list"), std::string::npos) << "still the old list: " << reason;
    EXPECT_GT(metric(scrapeMetrics(), "zaitaku_gateway_jpki_crl_seconds_left"), 0);
    EXPECT_LT(metric(scrapeMetrics(), "zaitaku_gateway_jpki_crl_age_seconds"), 2 * 3600.0); // issued an hour back
}

TEST_F(GatewaySyncTest, LocalChallengeIsFlaggedWithinItsWindowAndRefusedAfter)
{
    const json payload = localChallengeVisit();
    ASSERT_FALSE(payload.is_null());
    auto gw = connection(*store);
    gatewayClock.advance(std::chrono::hours(73));
    auto late = post(gw, reseal(
                             payload, [](json&) {}, *store));
    EXPECT_EQ(late.status, RecordStatus::Rejected);
    gatewayClock.advance(-std::chrono::hours(73));
    auto accepted = post(gw, payload);
    EXPECT_EQ(accepted.status, RecordStatus::Stored);
    EXPECT_EQ(std::count(accepted.flags.begin(), accepted.flags.end(), "local_challenge"), 1);
}

TEST_F(GatewaySyncTest, NewEpochMakesTheTabletPushAgainWithoutDuplicates)
{
    enrollAndVisit();
    ASSERT_EQ(syncNow(*store).stored, 1);
    ASSERT_TRUE(gateway->storage().rotateEpoch(gatewayRandom, "restored from backup", gatewayClock.nowJst()));
    const auto after = syncNow(*store);
    EXPECT_EQ(after.requeuedForNewEpoch, 1);
    EXPECT_EQ(after.duplicates, 1);
    EXPECT_EQ(gatewayRecords(), 1);
}

TEST_F(GatewaySyncTest, RestoringAnOlderBackupLosesNothingTheTabletsHadAcknowledged)
{
    // Issue 30: an online backup (SQLite: under its own key; PostgreSQL: pg_dump as OPERATIONS.md
    // says); restored after more records were acknowledged, the tablets send those again (a new
    // epoch) and the gateway ends with all of them.
    namespace gw = sync::gateway;
    const bool postgres = config.storage == gw::StorageBackend::Postgresql;
    enrollAndVisit();
    ASSERT_EQ(syncNow(*store).stored, 1);
    const auto keyFile = (dir / "backup.key").string();
    const auto backupFile = (dir / "gateway.backup").string();
    const std::string owner = pgConninfo + " user=zaitaku_owner";
    auto key = gw::loadBackupKey(keyFile, true, gatewayRandom);
    ASSERT_TRUE(key) << key.error().message;
    auto pki = gw::GatewayPki::load(config.dataDir);
    ASSERT_TRUE(pki);
    if (postgres) {
        auto dumped = test::runProcess({"/usr/bin/pg_dump", "-Fc", "-n", pgSchema, "-f", backupFile, "-d", owner}, "",
                                       std::chrono::seconds(60));
        ASSERT_EQ(dumped.exitCode, 0) << dumped.err;
    } else {
        auto taken = gw::backupGateway(config, pki->databaseKey(), *key, backupFile); // while serving
        ASSERT_TRUE(taken) << taken.error().message;
        EXPECT_EQ(taken->lastRecordSeq, 1);
        // The backup is not readable with the database key (it is under its own).
        EXPECT_FALSE(gw::restoreGateway(config, pki->databaseKey(), pki->databaseKey(), backupFile, true, gatewayRandom,
                                        gatewayClock.nowJst()));
    }

    // After the backup the patient withdraws a consent: a second record, acknowledged.
    auto active = sync::store::ConsentLedger::active(store->db(), "p-first").value();
    ASSERT_FALSE(active.empty());
    consent::ConsentContext context{"p-first", "ja", clock.nowJst(), ""};
    auto revocation = consent::revocationRecord(active[0], consent::ConsentCatalog::builtin(), context, random);
    ASSERT_TRUE(revocation && sync::store::ConsentLedger::revoke(*store, *revocation, "nurse-7"));
    ASSERT_EQ(syncNow(*store).stored, 1);
    ASSERT_EQ(gatewayRecords(), 2);

    if (postgres) {
        config.port = gateway->port();
        gateway.reset();
        auto restored =
            test::runProcess({"/usr/bin/pg_restore", "--clean", "--if-exists", "-d", pgConninfo, backupFile}, "",
                             std::chrono::seconds(60)); // as the administrator: --clean drops the schema
        ASSERT_EQ(restored.exitCode, 0) << restored.err;
    } else {
        auto busy = gw::restoreGateway(config, pki->databaseKey(), *key, backupFile, true, gatewayRandom,
                                       gatewayClock.nowJst());
        ASSERT_FALSE(busy);
        EXPECT_EQ(busy.error().code, sync::Errc::StoreBusy) << "never under a serving gateway";
        config.port = gateway->port();
        gateway.reset();
        auto older = gw::restoreGateway(config, pki->databaseKey(), *key, backupFile, false, gatewayRandom,
                                        gatewayClock.nowJst());
        ASSERT_FALSE(older);
        EXPECT_EQ(older.error().code, sync::Errc::Conflict) << older.error().message;
        auto restored = gw::restoreGateway(config, pki->databaseKey(), *key, backupFile, true, gatewayRandom,
                                           gatewayClock.nowJst());
        ASSERT_TRUE(restored) << restored.error().message;
    }
    startGateway(); // PostgreSQL: the high-water mark is ahead of the restored records: a new epoch
    EXPECT_EQ(gatewayRecords(), 1);
    const auto report = syncNow(*store);
    EXPECT_EQ(report.requeuedForNewEpoch, 2);
    EXPECT_EQ(gatewayRecords(), 2) << "the record acknowledged after the backup is back";
    EXPECT_TRUE(gateway->storage().verifyAudit().value().ok());
}

TEST_F(GatewaySyncTest, FeedAndPrecheckBringResultsToTheTablet)
{
    ASSERT_TRUE(enrollTablet(*store, newCode()));
    auto result = confirmedSnapshot("gw-snap-1", "p-cont");
    result.name = "継続 ●郎";
    json snapshot = sync::protocol::snapshotToJson(result);
    ASSERT_TRUE(gateway->storage().addSnapshot("p-cont", snapshot, gatewayClock.nowJst()));
    const auto report = syncNow(*store);
    EXPECT_EQ(report.feedItems, 1);
    EXPECT_EQ(report.snapshotsApplied, 1);
    EXPECT_EQ(sync::store::SnapshotCache::latestFor(store->db(), "p-cont").value()->snapshot.id, "gw-snap-1");
    EXPECT_EQ(syncNow(*store).feedItems, 0); // the cursor moved with the page

    sync::client::SyncEngine engine(*store, random);
    auto results = engine.precheck(clock.todayJst(), {"p-cont", "p-young"}).value();
    ASSERT_EQ(results.size(), 2U);
    EXPECT_NE(std::find(results[0].flags.begin(), results[0].flags.end(), "name_placeholder"), results[0].flags.end());
    EXPECT_EQ(results[1].flags, std::vector<std::string>{"no_result"});
}

TEST_F(GatewaySyncTest, AMoushitateshoFallbackGetsItsFushoClaimDerivedAtTheGateway)
{
    ASSERT_TRUE(enrollTablet(*store, newCode()));
    ASSERT_EQ(syncNow(*store).challengesAdded, 50);
    visit::VisitScript script;
    script.fallbackKind = model::FallbackKind::Moushitatesho;
    script.fallbackFields =
        R"({"has_valid_qualification":"yes","insurance_type":"kouki","name":"初回 花子","name_kana":"ショカイ ハナコ",)"
        R"("birthdate":"1950-03-10","sex":"female","address":"東京都世田谷区1-2-3","contact_phone":"03-0000-0000",)"
        R"("signed_on":"2026-11-21","copay_ratio":"1"})"; // from 70 the ratio is asked (seed 003 ※2)
    visit::ScriptedOperator op(std::move(script));
    auto r = request("p-first", model::VisitFlow::Fallback);
    r.fallbackReason = "資格確認端末の障害";
    auto outcome = run(r, op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    ASSERT_EQ(outcome->state, visit::VisitState::Committed) << op.gaveUp();
    ASSERT_EQ(syncNow(*store).stored, 1);

    auto stored = gateway->storage().records(0, 10).value();
    ASSERT_EQ(stored.size(), 1U);
    const auto& flags = stored[0].flags;
    EXPECT_NE(std::find(flags.begin(), flags.end(), "fusho_claim"), flags.end());
    EXPECT_EQ(std::find(flags.begin(), flags.end(), "fusho_claim_rederived"), flags.end()) << "the tablet agreed";
    const auto claims = stored[0].derived["fusho_claims"];
    ASSERT_EQ(claims.size(), 1U);
    EXPECT_EQ(claims[0]["insurer_number"], "77777777");
    EXPECT_EQ(claims[0]["insurer_number_alternative"], "77777779");
    EXPECT_EQ(claims[0]["insured_number"], "77777777") << "後期高齢者: 8 digits";
    EXPECT_EQ(claims[0]["card_symbol"], "");
    EXPECT_EQ(claims[0]["remarks"], "不詳　東京都世田谷区1-2-3　03-0000-0000");
    EXPECT_EQ(claims[0]["review_body"], "kokuhoren");
    EXPECT_FALSE(claims[0]["fallback_id"].get<std::string>().empty());
}

TEST_F(GatewaySyncTest, MalformedRecordsGetA400NamingTheField)
{
    ASSERT_TRUE(enrollTablet(*store, newCode()));
    auto gw = connection(*store);
    auto response =
        gw.post("/v1/records", R"({"device_time":"2026-11-21T10:00:00+09:00","records":[{"kind":"visit"}]})");
    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, sync::Errc::ProtocolViolation);
    EXPECT_EQ(response.error().field, "records[0].idempotency_key");
    const auto metrics = scrapeMetrics();
    EXPECT_NE(metrics.find("zaitaku_gateway_requests_total{route=\"records\",status=\"400\"} 1"), std::string::npos)
        << metrics;
}

TEST_F(GatewaySyncTest, ADeeplyNestedRequestIsA400AndTheGatewayStaysUp)
{
    // An enrolled tablet (or a stolen one) sends 200,000 nested arrays: dump() would recurse
    // once per level and overflow the gateway's stack. Issue 21, item 2.
    ASSERT_TRUE(enrollTablet(*store, newCode()));
    auto gw = connection(*store);
    const std::string deep = std::string(200000, '[') + std::string(200000, ']');
    for (const char* route : {"/v1/records", "/v1/challenges", "/v1/precheck", "/v1/requery"}) {
        auto response = gw.post(route, R"({"device_time":"2026-11-21T10:00:00+09:00","records":)" + deep + "}");
        ASSERT_FALSE(response) << route;
        EXPECT_EQ(response.error().code, sync::Errc::ProtocolViolation) << route;
        EXPECT_NE(response.error().message.find("deeper"), std::string::npos) << response.error().message;
    }
    // The same depth inside a record's payload (a string in the envelope): that record is refused.
    sync::protocol::RecordsRequest req;
    req.deviceTime = clock.nowJst();
    req.records.push_back({"deep-1", "visit", "deep-1", deep, base::sha256Hex(deep), clock.nowJst()});
    auto response = gw.post("/v1/records", sync::protocol::dump(sync::protocol::toJson(req)));
    ASSERT_TRUE(response) << response.error().message;
    auto parsed = sync::protocol::parseRecordsResponse(response->body);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->results.at(0).status, RecordStatus::Rejected);
    EXPECT_EQ(parsed->results.at(0).field, "payload");

    auto health = gw.get("/healthz");
    ASSERT_TRUE(health) << health.error().message;
    EXPECT_EQ(health->status, 200);
    EXPECT_EQ(gatewayRecords(), 0);
}

// Security review H1 (issue 29, item 1): a tablet sends records only about the patients assigned
// to it. B, assigned p-b alone, records a first visit of A's p-cont: refused per record
// (`not_assigned`) before any effect — no record, no care state, no OQS query, no re-query key —
// and kept on B as a dead letter with its reason; once the operator assigns p-cont to B, it goes.
// It used to be stored, starting p-cont's care and asking OQS about B's card for A's patient.
TEST_F(GatewaySyncTest, ARecordAboutAnotherTabletsPatientIsRefusedUntilAssigned)
{
    ASSERT_TRUE(enrollTablet(*store, newCode())); // A: its whole roster, p-cont among them
    auto otherDir = makeTempDir("zaitaku-tablet-b2");
    auto b = newTabletStore(otherDir);
    ASSERT_TRUE(b);
    ASSERT_TRUE(sync::store::PatientRoster::import(b->store, rosterJson("p-b"), "operator"));
    auto enrolledB = enrollTablet(b->store, newCode()); // assigned p-b only
    ASSERT_TRUE(enrolledB);
    ASSERT_TRUE(sync::store::PatientRoster::import(b->store, rosterJson("p-cont"), "operator")); // B's own choice
    ASSERT_TRUE(commitVisualVisit(b->store, random, "v-foreign", "p-cont"));

    const auto refused = syncNow(b->store);
    EXPECT_EQ(refused.stored, 0);
    EXPECT_EQ(refused.deadLettered, 1);
    auto status = sync::client::SyncEngine::status(b->store).value();
    ASSERT_EQ(status.deadLetters.size(), 1u);
    EXPECT_NE(status.deadLetters[0].reason.find("not_assigned"), std::string::npos) << status.deadLetters[0].reason;
    EXPECT_NE(status.deadLetters[0].reason.find("roster assign"), std::string::npos);
    EXPECT_EQ(gatewayRecords(), 0);
    EXPECT_TRUE(gateway->storage().careStates("p-cont").value().empty()) << "no care started for A's patient";

    ASSERT_TRUE(gateway->storage().changeAssignments(enrolledB->deviceId, {"p-cont"}, true, gatewayClock.nowJst()));
    ASSERT_TRUE(sync::client::SyncEngine::retryDeadLetter(b->store, status.deadLetters[0].seq, "nurse-7").value());
    EXPECT_EQ(syncNow(b->store).stored, 1) << "nothing was lost: sent once the patient is assigned";
    EXPECT_EQ(gatewayRecords(), 1);
}

TEST_F(GatewaySyncTest, TabletBNeverSeesPatientAsData)
{
    // Tablet A has p-cont on its roster; tablet B only p-b. Issue 21, item 1.
    ASSERT_TRUE(enrollTablet(*store, newCode()));
    auto resultA = confirmedSnapshot("gw-snap-a", "p-cont");
    resultA.name = "継続 秘密";
    ASSERT_TRUE(
        gateway->storage().addSnapshot("p-cont", sync::protocol::snapshotToJson(resultA), gatewayClock.nowJst()));
    ASSERT_TRUE(gateway->storage().addSnapshot(
        "p-b", sync::protocol::snapshotToJson(confirmedSnapshot("gw-snap-b", "p-b")), gatewayClock.nowJst()));

    auto otherDir = makeTempDir("zaitaku-tablet-b");
    auto b = newTabletStore(otherDir);
    ASSERT_TRUE(b);
    ASSERT_TRUE(sync::store::PatientRoster::import(b->store, rosterJson("p-b"), "operator"));
    ASSERT_TRUE(enrollTablet(b->store, newCode()));
    const auto auditBefore = gateway->storage().verifyAudit().value().rows;

    const auto reportB = syncNow(b->store);
    EXPECT_EQ(reportB.feedItems, 1) << "its own patient's result only";
    EXPECT_FALSE(sync::store::SnapshotCache::latestFor(b->store.db(), "p-cont").value());
    EXPECT_EQ(syncNow(*store).feedItems, 1) << "A still gets p-cont";

    auto gwB = connection(b->store);
    auto feed = gwB.get("/v1/feed?after=0&limit=500");
    ASSERT_TRUE(feed) << feed.error().message;
    EXPECT_EQ(feed->body.find("p-cont"), std::string::npos) << feed->body;

    auto precheck =
        gwB.post("/v1/precheck", R"({"date":")" + clock.todayJst().toString() + R"(","patients":["p-cont","p-b"]})");
    ASSERT_TRUE(precheck) << precheck.error().message;
    EXPECT_EQ(precheck->body.find("秘密"), std::string::npos) << precheck->body;
    const auto entries = json::parse(precheck->body)["patients"];
    ASSERT_EQ(entries.size(), 2U);
    EXPECT_EQ(entries[0]["flags"], json::array({"not_assigned"}));
    EXPECT_TRUE(entries[0]["snapshot"].is_null());
    EXPECT_FALSE(entries[1]["snapshot"].is_null());

    auto requery = gwB.post("/v1/requery", R"({"patient_id":"p-cont","service_kind":"houmon_shinryo","date":")" +
                                               clock.todayJst().toString() + R"("})");
    ASSERT_FALSE(requery);
    EXPECT_EQ(requery.error().code, sync::Errc::Unauthorized);

    // Taken off B's roster, p-b is no longer told either.
    const auto deviceB = sync::client::GatewayLink::load(b->store.db()).value().value().deviceId;
    ASSERT_EQ(gateway->storage().changeAssignments(deviceB, {"p-b"}, false, gatewayClock.nowJst()).value(), 1U);
    auto after = gwB.get("/v1/feed?after=0&limit=500");
    ASSERT_TRUE(after);
    EXPECT_EQ(json::parse(after->body)["items"].size(), 0U);

    // Every read of patient data left an audit row (2 feed pages, 1 pre-check), the chain intact.
    const auto audit = gateway->storage().verifyAudit().value();
    EXPECT_TRUE(audit.ok());
    EXPECT_GE(audit.rows - auditBefore, 5) << "B's feed ×2, A's feed, B's pre-check, B's roster change";
    std::filesystem::remove_all(otherDir);
}

TEST_F(GatewaySyncTest, AReEnrolledTabletsPooledChallengesAreStillItsOwn)
{
    // Security review M7: lost, revoked, found and enrolled again with a new code, the tablet's
    // pool still held challenges issued to its old device id, and every PIN visit signed over one
    // came back "issued to another device": a visit that happened became a dead letter.
    auto first = enrollTablet(*store, newCode());
    ASSERT_TRUE(first);
    ASSERT_EQ(syncNow(*store).challengesAdded, 50);
    ASSERT_TRUE(gateway->storage().revokeDevice(first->deviceId, gatewayClock.nowJst()).value());
    auto second = enrollTablet(*store, newCode());
    ASSERT_TRUE(second);
    ASSERT_NE(second->deviceId, first->deviceId);
    presentCard("valid");
    visit::ScriptedOperator op(pinVisit());
    auto outcome = run(request("p-first"), op);
    ASSERT_TRUE(outcome && outcome->state == visit::VisitState::Committed);
    ASSERT_EQ(queuedVisit()["evidence"][0]["bundle"]["challenge_origin"], "pooled");
    const auto report = syncNow(*store);
    EXPECT_EQ(report.stored, 1);
    EXPECT_EQ(report.deadLettered, 0);
    auto records = gateway->storage().records(0, 10).value();
    ASSERT_EQ(records.size(), 1U);
    EXPECT_NE(std::find(records[0].flags.begin(), records[0].flags.end(), "challenge_of_earlier_enrollment"),
              records[0].flags.end());
}

TEST_F(GatewaySyncTest, ARecordWithoutTheBasisItNamesOrFromAnotherTabletIsRefusedWithTheField)
{
    // Issue 34 (a black-box fuzzer's findings) and security review M8: these were stored — a
    // fallback visit with `fallbacks: null`, `consents: null`, a first visit with no evidence at
    // all (flagged only), a visit naming no tablet or another one, unknown fields kept silently.
    enrollAndVisit();
    auto gw = connection(*store);
    const json pin = queuedVisit();
    const std::vector<std::pair<std::string, std::function<void(json&)>>> cases{
        {"fallbacks", [](json& p) { p["fallbacks"] = nullptr; }},
        {"consents", [](json& p) { p["consents"] = nullptr; }},
        {"evidence", [](json& p) { p["evidence"] = nullptr; }},
        {"evidence",
         [](json& p) {
             p["evidence"] = json::array();
             p["visit"]["evidence_ids"] = json::array();
         }},
        {"fallbacks", [](json& p) { p["visit"]["flow"] = "fallback"; }},
        {"visit.device_id", [](json& p) { p["visit"]["device_id"] = ""; }},
        {"visit.device_id", [](json& p) { p["visit"]["device_id"] = "d-00000000000000ff"; }},
        {"extra", [](json& p) { p["extra"] = 1; }},
        {"visit.note", [](json& p) { p["visit"]["note"] = "kept silently"; }},
        {"evidence[0].bundle.note", [](json& p) { p["evidence"][0]["bundle"]["note"] = "x"; }},
        {"evidence[0].extra", [](json& p) { p["evidence"][0]["extra"] = "x"; }},
        {"payload_version", [](json& p) { p["payload_version"] = 2; }},
        {"visit.evidence_ids", [](json& p) { p["visit"]["evidence_ids"] = json::array({"e-other"}); }},
        {"evidence[0].bundle.visual",
         [](json& p) {
             p["evidence"][0]["bundle"]["method"] = "visual";
             p["evidence"][0]["bundle"]["visual"] = nullptr;
         }},
    };
    for (const auto& [field, mutate] : cases) {
        const auto result = postAsNew(gw, mutated(pin, mutate));
        EXPECT_EQ(result.status, RecordStatus::Rejected) << field << ": " << base::toCode(result.status);
        EXPECT_EQ(result.field, field) << result.reason;
    }
    EXPECT_EQ(gatewayRecords(), 0);
    // The genuine record, and a version-1 payload from a tablet that did not write the version.
    EXPECT_EQ(postAsNew(gw, mutated(pin, [](json& p) { p.erase("payload_version"); })).status, RecordStatus::Stored);
}

// One generated change to a genuine payload: a field removed or given a value of another type.
struct SchemaMutation
{
    std::string field; // the payload path the gateway must name
    json::json_pointer at;
    bool remove = false;
    json value;
};

std::set<std::string> schemaTypes(const json& schema)
{
    std::set<std::string> types;
    if (schema.contains("type")) {
        types.insert(schema["type"].get<std::string>());
    }
    for (const auto& branch : schema.value("anyOf", json::array())) {
        types.insert(branch.value("type", ""));
    }
    return types;
}

// Walks `schema` beside `value` (a genuine payload): every required property removed, every
// present property swapped to a type the schema does not allow, into objects and lists' first items.
void schemaMutations(const json& schema,
                     const json& value,
                     const std::string& field,
                     const json::json_pointer& at,
                     std::vector<SchemaMutation>& out)
{
    const auto join = [&](const std::string& key) { return field.empty() ? key : field + "." + key; };
    const auto wrongFor = [](const json& s) -> json {
        const auto types = schemaTypes(s);
        return types.count("integer") || types.count("number") ? json("x") : json(7);
    };
    if (value.is_object()) {
        const json* objectSchema = schema.contains("properties") ? &schema : nullptr;
        for (const auto& branch : schema.value("anyOf", json::array())) {
            if (branch.contains("properties")) {
                objectSchema = &branch;
            }
        }
        if (objectSchema == nullptr) {
            return;
        }
        for (const auto& key : objectSchema->value("required", json::array())) {
            out.push_back({join(key), at / key.get<std::string>(), true, nullptr});
        }
        for (const auto& [key, sub] : (*objectSchema)["properties"].items()) {
            if (value.contains(key)) {
                out.push_back({join(key), at / key, false, wrongFor(sub)});
                schemaMutations(sub, value[key], join(key), at / key, out);
            }
        }
    } else if (value.is_array() && !value.empty() && schema.contains("items")) {
        const json& items = schema["items"];
        if (schemaTypes(items).count("object")) {
            out.push_back({field + "[0]", at / 0, false, wrongFor(items)});
            schemaMutations(items, value[0], field + "[0]", at / 0, out);
        } else {
            out.push_back({field, at / 0, false, wrongFor(items)}); // a list of scalars is named whole
        }
    }
}

TEST_F(GatewaySyncTest, EveryFieldOfTheVisitSchemaIsRequiredAndTypedAtIntake)
{
    // Issue 34: generated from the schema (docs/schemas/visit.schema.json is the same, written
    // out): each required field removed, each field's type swapped — refused, the field named.
    enrollAndVisit();
    auto gw = connection(*store);
    const json pin = queuedVisit();
    const json schema = sync::protocol::recordPayloadSchema("visit");
    // An independent validator (python3-jsonschema) agrees on the documented schema: the tablet's
    // genuine payload is valid, one with `consents: null` is not.
    const auto schemaFile = std::string(ZAITAKU_SOURCE_DIR) + "/docs/schemas/visit.schema.json";
    const auto genuine = dir / "genuine.json";
    const auto broken = dir / "broken.json";
    json withoutConsents = pin;
    withoutConsents["consents"] = nullptr;
    ASSERT_TRUE(base::writeFileAtomically(genuine.string(), pin.dump(), 0600));
    ASSERT_TRUE(base::writeFileAtomically(broken.string(), withoutConsents.dump(), 0600));
    const std::string checker = std::string(ZAITAKU_SOURCE_DIR) + "/scripts/check-record-schema.py";
    auto valid = test::runProcess({checker, schemaFile, genuine.string()}, "");
    EXPECT_EQ(valid.exitCode, 0) << valid.out << valid.err;
    auto invalid = test::runProcess({checker, schemaFile, broken.string()}, "");
    EXPECT_EQ(invalid.exitCode, 1) << invalid.out << invalid.err;
    EXPECT_NE(invalid.out.find("consents"), std::string::npos) << invalid.out;

    std::vector<SchemaMutation> mutations;
    schemaMutations(schema, pin, "", json::json_pointer(), mutations);
    ASSERT_GT(mutations.size(), 100u);
    for (const auto& m : mutations) {
        const auto result = postAsNew(gw, mutated(pin, [&](json& p) {
                                          if (m.remove) {
                                              p.at(m.at.parent_pointer()).erase(m.at.back());
                                          } else {
                                              p[m.at] = m.value;
                                          }
                                      }));
        EXPECT_EQ(result.status, RecordStatus::Rejected) << (m.remove ? "without " : "retyped ") << m.field;
        EXPECT_EQ(result.field, m.field) << (m.remove ? "without " : "retyped ") << m.field << ": " << result.reason;
    }
    EXPECT_EQ(gatewayRecords(), 0);
}

TEST_F(GatewaySyncTest, EveryFieldOfTheRevocationAndCustodySchemasIsRequiredAndTypedAtIntake)
{
    // Issue 34, the other two kinds: genuine payloads from the tablet's own ledgers.
    enrollAndVisit();
    auto active = sync::store::ConsentLedger::active(store->db(), "p-first").value();
    ASSERT_FALSE(active.empty());
    consent::ConsentContext context{"p-first", "ja", clock.nowJst(), ""};
    auto revocation = consent::revocationRecord(active[0], consent::ConsentCatalog::builtin(), context, random);
    ASSERT_TRUE(revocation);
    ASSERT_TRUE(sync::store::ConsentLedger::revoke(*store, *revocation, "nurse-7"));
    model::CustodyEvent deposit;
    deposit.id = "cu-1";
    deposit.patientId = "p-first";
    deposit.facilityId = "facility-1";
    deposit.action = model::CustodyAction::Deposit;
    deposit.staffId = "staff-3";
    deposit.witnessId = "staff-4";
    deposit.at = clock.nowJst();
    deposit.storageLocation = "金庫A";
    deposit.agreementRef = "預かり証 2026-001";
    ASSERT_TRUE(sync::store::CustodyLedger::record(*store, deposit, "staff-3"));
    auto gw = connection(*store);
    for (const std::string kind : {"consent_revocation", "custody"}) {
        auto row = store->db().prepare("SELECT payload FROM outbox WHERE kind = ?1");
        ASSERT_TRUE(row);
        row->bind(1, kind);
        ASSERT_TRUE(row->step().value_or(false)) << kind;
        const json genuine = json::parse(row->text(0));
        std::vector<SchemaMutation> mutations;
        schemaMutations(sync::protocol::recordPayloadSchema(kind), genuine, "", json::json_pointer(), mutations);
        ASSERT_GT(mutations.size(), 15u) << kind;
        for (const auto& m : mutations) {
            json changed = genuine;
            if (m.remove) {
                changed.erase(m.at.back());
            } else {
                changed[m.at] = m.value;
            }
            const auto result = postAsNew(gw, changed, kind);
            EXPECT_EQ(result.status, RecordStatus::Rejected)
                << kind << (m.remove ? " without " : " retyped ") << m.field;
            EXPECT_EQ(result.field, m.field) << kind << ": " << result.reason;
        }
        auto unknown = genuine;
        unknown["note"] = "kept silently";
        EXPECT_EQ(postAsNew(gw, unknown, kind).field, "note") << kind;
        EXPECT_EQ(postAsNew(gw, genuine, kind).status, RecordStatus::Stored) << kind;
    }
}

TEST_F(GatewaySyncTest, AnEnrolledTabletPaysForTheWorkItAsksFor)
{
    // Security review M8: 200 challenges were one token like a status call; a pre-check listing
    // one patient 500 times was 500 reads; an empty pre-check still wrote an audit row.
    config.ratePerSecond = 1;
    config.rateBurst = 100;
    restartGateway();
    ASSERT_TRUE(enrollTablet(*store, newCode()));
    auto gw = connection(*store);
    const auto rowsBefore = gateway->storage().verifyAudit().value().rows;
    for (int i = 0; i < 20; ++i) {
        auto nobody =
            gw.post("/v1/precheck", R"({"date":")" + clock.todayJst().toString() + R"(","patients":["nobody"]})");
        ASSERT_TRUE(nobody) << nobody.error().message;
    }
    EXPECT_EQ(gateway->storage().verifyAudit().value().rows, rowsBefore) << "nothing disclosed, nothing audited";

    std::string repeated = R"({"date":")" + clock.todayJst().toString() + R"(","patients":[)";
    for (int i = 0; i < 60; ++i) {
        repeated += std::string(i ? "," : "") + R"("p-first")";
    }
    auto once = gw.post("/v1/precheck", repeated + "]}");
    ASSERT_TRUE(once) << once.error().message;
    EXPECT_EQ(json::parse(once->body)["patients"].size(), 1U) << "listed 60 times, read once";

    auto batch = gw.post("/v1/challenges", R"({"count":200})");
    ASSERT_FALSE(batch) << "200 signatures are more than the ~79 tokens left";
    EXPECT_NE(batch.error().message.find("429"), std::string::npos) << batch.error().message;
}

TEST_F(GatewaySyncTest, ATabletsRecordBytesAreBoundedPerHourAndNothingIsLost)
{
    // Security review M8: 200 distinct 4 MiB batches a second were stored and kept for ever.
    config.recordBytesPerDeviceHour = 6000;
    restartGateway();
    enrollAndVisit();
    auto gw = connection(*store);
    const std::string padded =
        sync::protocol::dump(json{{"device_time", clock.nowJst().toString()}, {"records", json::array()}}) +
        std::string(5000, ' ');
    auto first = gw.post("/v1/records", padded); // refused as empty, but its bytes were received
    ASSERT_FALSE(first);
    EXPECT_EQ(first.error().message.find("429"), std::string::npos) << first.error().message;
    auto second = gw.post("/v1/records", padded);
    ASSERT_FALSE(second) << second->status << ": 10 KB this hour, 6 KB allowed";
    EXPECT_NE(second.error().message.find("429"), std::string::npos) << second.error().message;
    EXPECT_NE(second.error().message.find("this hour"), std::string::npos) << second.error().message;
    // The tablet's own queue is untouched: the sync says why and keeps the visit queued.
    auto report = sync::client::SyncEngine(*store, random).run();
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_TRUE(report->error) << "the run stops early, as for any 429";
    EXPECT_EQ(report->stored, 0);
    EXPECT_EQ(report->deadLettered, 0);
    EXPECT_EQ(gatewayRecords(), 0);
    auto queued = store->db().prepare("SELECT count(*) FROM outbox WHERE state <> 'acked'");
    ASSERT_TRUE(queued && queued->step().value_or(false));
    EXPECT_EQ(queued->integer(0), 1);
}

// A plain TCP connection from `source` (another loopback address) that never says anything.
int silentConnection(const char* source, int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &local.sin_addr);
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
        if (fd >= 0) {
            ::close(fd);
        }
        return -1;
    }
    return fd;
}

TEST_F(GatewaySyncTest, AnUnauthenticatedFloodLeavesHealthzResponsive)
{
    // Issue 21, item 3, on a bounded loopback flood: 300 silent connections from 127.0.0.2 (a
    // slow-loris without a certificate), oversized bodies and a burst of enrollments with bad
    // codes. The gateway keeps serving everyone else: the flood's network holds at most 16
    // unauthenticated slots, each newer connection evicting its oldest (security review H2).
    config.maxUnauthenticatedPerPrefix = 16;
    restartGateway();
    ASSERT_TRUE(enrollTablet(*store, newCode()));
    auto gw = connection(*store);

    std::vector<int> flood;
    for (int i = 0; i < 300; ++i) {
        const int fd = silentConnection("127.0.0.2", gateway->port());
        ASSERT_GE(fd, 0) << "connect " << i << ": " << std::strerror(errno);
        flood.push_back(fd);
    }
    auto options = anonymousClient();
    options.ioTimeout = std::chrono::seconds(5);
    auto stranger = sync::transport::HttpsClient::create(options).value();
    auto health = stranger->send({"GET", "/healthz", {}, {}});
    ASSERT_TRUE(health) << health.error().message;
    EXPECT_EQ(health->status, 200);

    // Without a client certificate the body limit is small, and checked from the header.
    auto big = stranger->send({"POST", "/v1/enroll", {}, std::string(100 * 1024, 'x')});
    if (big) {
        EXPECT_EQ(big->status, 413) << big->body;
    }
    // An enrolled tablet may still send its large batches.
    auto deep = gw.post("/v1/challenges", R"({"count":1,"pad":")" + std::string(100 * 1024, 'y') + R"("})");
    ASSERT_FALSE(deep);
    EXPECT_EQ(deep.error().field, "pad") << "read and parsed: " << deep.error().message;

    // Enrollment has its own small bucket per address (5, then 429), and a bad code is refused
    // before anything is signed.
    std::vector<int> statuses;
    auto enroller = sync::transport::HttpsClient::create(options).value();
    for (int i = 0; i < 7; ++i) {
        auto r = enroller->send({"POST",
                                 "/v1/enroll",
                                 {},
                                 R"({"code":"AAAA-BBBB-CCCC-DDDD-0123456789abcdef","csr_pem":"x","label":"x",)"
                                 R"("signing_key":")" +
                                     std::string(64, '0') + R"(","app_version":"x"})"});
        ASSERT_TRUE(r) << r.error().message;
        statuses.push_back(r->status);
    }
    // The tablet's own enrollment took the first of the address's five (a slow machine may have
    // earned one back since: 6 a minute).
    const auto refused = std::count(statuses.begin(), statuses.end(), 429);
    EXPECT_TRUE(refused == 2 || refused == 3) << "4 or 5 tries, then the bucket is empty";
    EXPECT_TRUE(std::is_sorted(statuses.begin(), statuses.end())) << "403s, then only 429s";
    EXPECT_EQ(statuses.front(), 403);

    std::string scraped;
    const auto value = [&](const std::string& name) { return metric(scraped, name); };
    // The kernel completed the 300 handshakes before the gateway accepted them: wait for the accepts.
    for (int i = 0; i < 100; ++i) {
        scraped = scrapeMetrics();
        if (value("zaitaku_gateway_connections_evicted_total") >= 300 - 16) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_GE(value("zaitaku_gateway_connections_evicted_total"), 300 - 16) << scraped;
    EXPECT_EQ(value("zaitaku_gateway_connections_refused_total"), 0) << "nothing refused: a slot was always free";
    EXPECT_LE(value("zaitaku_gateway_open_connections"), 16 + 8) << "the flood's 16 and this test's clients";
    EXPECT_EQ(value("zaitaku_gateway_certificates_issued_total"), 1) << "the tablet's only";
    for (const int fd : flood) {
        ::close(fd);
    }
}

TEST_F(GatewaySyncTest, AThousandIdleTlsConnectionsFromFortyAddressesStarveNobody)
{
    // Security review H2 and issue 29's test: 1,040 idle TLS connections (26 from each of 40
    // source addresses) — first all in one /24 (127.0.0.2–41), then one /24 each (127.0.N.2).
    // Keyed on exact addresses they took every slot (1024) and /healthz was refused; now a
    // network holds at most max_unauthenticated_per_prefix, strangers together at most
    // max_unauthenticated_connections, and a newcomer evicts the oldest stranger.
    ASSERT_TRUE(enrollTablet(*store, newCode()));
    for (const bool oneNetwork : {true, false}) {
        const double evictedBefore = metric(scrapeMetrics(), "zaitaku_gateway_connections_evicted_total");
        std::vector<std::unique_ptr<TlsProbe>> held;
        for (int a = 0; a < 40; ++a) {
            const std::string source =
                oneNetwork ? "127.0.0." + std::to_string(2 + a) : "127.0." + std::to_string(1 + a) + ".2";
            for (int i = 0; i < 26; ++i) {
                if (auto probe = TlsProbe::open(source, gateway->port())) {
                    held.push_back(std::move(probe));
                }
            }
        }
        ASSERT_GE(held.size(), 1000U) << "the handshakes themselves are not refused";

        auto options = anonymousClient();
        options.connectTimeout = std::chrono::seconds(1);
        options.ioTimeout = std::chrono::seconds(1);
        auto stranger = sync::transport::HttpsClient::create(options).value();
        auto health = stranger->send({"GET", "/healthz", {}, {}});
        ASSERT_TRUE(health) << (oneNetwork ? "one /24: " : "40 /24s: ") << health.error().message;
        EXPECT_EQ(health->status, 200);

        const auto report = syncNow(*store);
        EXPECT_FALSE(report.error) << report.error->message;

        const auto scraped = scrapeMetrics();
        EXPECT_LE(metric(scraped, "zaitaku_gateway_open_connections"), 256 + 8)
            << "at most the unauthenticated budget, and this test's clients";
        const double budget = oneNetwork ? 64 : 256; // per prefix, or for all strangers
        EXPECT_GE(metric(scraped, "zaitaku_gateway_connections_evicted_total") - evictedBefore,
                  static_cast<double>(held.size()) - budget);
        EXPECT_EQ(metric(scraped, "zaitaku_gateway_connections_refused_total"), 0);
    }
}

TEST_F(GatewaySyncTest, AStrangerGetsOneRequestPerConnection)
{
    // Security review H2: "GET /healthz" every 29 s held a keep-alive slot for ever. A connection
    // without an enrolled tablet's certificate is closed after its one response.
    auto probe = TlsProbe::open("127.0.0.2", gateway->port());
    ASSERT_TRUE(probe);
    ASSERT_TRUE(probe->send("GET /healthz HTTP/1.1\r\nHost: g\r\n\r\n"));
    const auto answer = probe->receive(std::chrono::seconds(3));
    EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0U) << answer;
    EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
    EXPECT_TRUE(probe->closedByServer());
}

TEST_F(GatewaySyncTest, NoTlsSessionIsResumed)
{
    // Security review L10: a resumed session carried the stored verification of a client
    // certificate that may have expired since. Tablets keep their connections alive instead.
    EXPECT_FALSE(TlsProbe::resumesSession("127.0.0.2", gateway->port()));
}

TEST_F(GatewaySyncTest, ARevokedOrMonitoringCertificateIsRefusedFromTheHeader)
{
    // Security review M2: the body limit followed TLS verification, not registration. A revoked
    // tablet (or the monitoring certificate) announcing a 1 MB body was given the tablet's 4 MiB,
    // and the gateway waited for the body before its 403. Now the header alone decides.
    auto enrolled = enrollTablet(*store, newCode());
    ASSERT_TRUE(enrolled);
    const auto link = sync::client::GatewayLink::load(store->db()).value().value();
    ASSERT_TRUE(gateway->storage().revokeDevice(enrolled->deviceId, gatewayClock.nowJst()).value());
    const auto monitor = monitorClient();
    const std::string header = "POST /v1/records HTTP/1.1\r\nHost: g\r\nContent-Type: application/json\r\n"
                               "Content-Length: 1000000\r\n\r\n";
    for (const auto& [who, cert, key] :
         {std::tuple{"revoked tablet", link.certificatePem, link.privateKeyPem},
          std::tuple{"monitoring certificate", monitor.certificatePem, monitor.privateKeyPem}}) {
        auto probe = TlsProbe::open("127.0.0.2", gateway->port(), cert, key);
        ASSERT_TRUE(probe) << who;
        ASSERT_TRUE(probe->send(header));
        const auto answer = probe->receive(std::chrono::seconds(3));
        EXPECT_EQ(answer.rfind("HTTP/1.1 403", 0), 0U)
            << who << " — nothing within 3 s means the body was awaited: " << answer;
        EXPECT_TRUE(probe->closedByServer()) << who;
    }
    // A stranger announcing the same body is refused as too large, also from the header.
    auto stranger = TlsProbe::open("127.0.0.2", gateway->port());
    ASSERT_TRUE(stranger);
    ASSERT_TRUE(stranger->send(header));
    const auto answer = stranger->receive(std::chrono::seconds(3));
    EXPECT_TRUE(answer.rfind("HTTP/1.1 401", 0) == 0 || answer.rfind("HTTP/1.1 413", 0) == 0) << answer;
}

TEST_F(GatewaySyncTest, EvidenceMovedToAnotherVisitOrPatientIsRejected)
{
    // Issue 21, item 10: the signed bundle names its visit and patient; a genuine bundle (the
    // card's signature included) re-used in another record is refused.
    enrollAndVisit();
    auto gw = connection(*store);
    const json genuine = queuedVisit();
    ASSERT_EQ(genuine["evidence"][0]["bundle"]["patient_id"], "p-first");

    auto otherVisit = post(gw, reseal(
                                   genuine, [](json& b) { b["visit_id"] = "another-visit"; }, *store));
    EXPECT_EQ(otherVisit.status, RecordStatus::Rejected);
    EXPECT_EQ(otherVisit.field, "evidence[0].bundle.visit_id") << otherVisit.reason;

    auto otherPatient = post(gw, reseal(
                                     genuine, [](json& b) { b["patient_id"] = "p-young"; }, *store));
    EXPECT_EQ(otherPatient.status, RecordStatus::Rejected);
    EXPECT_EQ(otherPatient.field, "evidence[0].bundle.patient_id") << otherPatient.reason;

    json moved = genuine;
    moved["visit"]["patient_id"] = "p-young"; // the visit re-addressed, the signed bundle left as it was
    auto movedVisit = post(gw, reseal(
                                   moved, [](json&) {}, *store));
    EXPECT_EQ(movedVisit.status, RecordStatus::Rejected);
    EXPECT_EQ(movedVisit.field, "evidence[0].bundle.patient_id") << movedVisit.reason;

    EXPECT_EQ(post(gw, genuine).status, RecordStatus::Stored);
}

TEST_F(GatewaySyncTest, ALocalNonceIsClaimedOnceForTheWholeFacility)
{
    // Issue 21, item 10: tablet B replays tablet A's offline (local-challenge) card signature
    // under its own key. Each tablet's own claim would not collide; the facility-wide one does.
    const json payload = localChallengeVisit(); // no challenges fetched: the card signs a local one
    ASSERT_FALSE(payload.is_null());
    auto gwA = connection(*store);
    ASSERT_EQ(post(gwA, payload).status, RecordStatus::Stored);

    auto otherDir = makeTempDir("zaitaku-replay");
    auto b = newTabletStore(otherDir);
    ASSERT_TRUE(b);
    auto enrolledB = enrollTablet(b->store, newCode());
    ASSERT_TRUE(enrolledB);
    // B is assigned the patient too (else the roster refuses it first: security review H1).
    ASSERT_TRUE(gateway->storage().changeAssignments(enrolledB->deviceId, {payload["visit"]["patient_id"]}, true,
                                                     gatewayClock.nowJst()));
    auto gwB = connection(b->store);
    auto replay = post(gwB, reseal(
                                payload, [](json&) {}, b->store));
    EXPECT_EQ(replay.status, RecordStatus::Rejected);
    EXPECT_NE(replay.reason.find("already used"), std::string::npos) << replay.reason;
    std::filesystem::remove_all(otherDir);
}

TEST_F(GatewaySyncTest, PromtoolAcceptsTheMetricsOfALiveGateway)
{
    // Issue 30 (deployment review §4.1): HELP and TYPE for every series, cumulative counts as
    // *_total counters, exact integers — checked by Debian's promtool (package prometheus).
    enrollAndVisit();
    syncNow(*store);
    const auto scraped = scrapeMetrics();
    ASSERT_FALSE(scraped.empty());
    const auto checked = test::runProcess({"/usr/bin/promtool", "check", "metrics"}, scraped, std::chrono::seconds(30));
    EXPECT_EQ(checked.exitCode, 0) << checked.out << checked.err << "\n" << scraped;
    EXPECT_EQ(scraped.find("e+"), std::string::npos) << "no exponent notation: " << scraped;
    // The certificates' expiry, to alert on before tablets or the server stop (issue 30).
    const double serverExpiry = metric(scraped, "zaitaku_gateway_server_certificate_expiry_timestamp_seconds");
    EXPECT_GT(serverExpiry, static_cast<double>(gatewayClock.nowJst().utc().time_since_epoch().count()));
    EXPECT_GT(metric(scraped, "zaitaku_gateway_root_certificate_expiry_timestamp_seconds"), serverExpiry - 1);
    for (const char* counter :
         {"zaitaku_gateway_connections_refused_total", "zaitaku_gateway_tls_handshakes_failed_total"}) {
        EXPECT_NE(scraped.find(std::string("# TYPE ") + counter + " counter"), std::string::npos) << counter;
    }
}

TEST_F(GatewaySyncTest, EveryRouteOfTheOpenApiDescriptionIsServedAndNoOther)
{
    // Issue 30: docs/openapi.json names exactly the routes the gateway answers.
    std::ifstream in(std::string(ZAITAKU_SOURCE_DIR) + "/docs/openapi.json");
    const auto doc = json::parse(in);
    std::set<std::pair<std::string, std::string>> described;
    for (const auto& [route, item] : doc["paths"].items()) {
        for (const auto& [method, op] : item.items()) {
            std::string upper = method;
            std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
            described.insert({route, upper});
        }
    }
    const auto& served = sync::gateway::GatewayService::routes();
    const std::set<std::pair<std::string, std::string>> answered(served.begin(), served.end());
    EXPECT_EQ(described, answered);
    // Each is answered (by a refusal of the empty body at most), a path that is not one is 404.
    enrollAndVisit();
    auto options = anonymousClient();
    const auto link = sync::client::GatewayLink::load(store->db()).value().value();
    options.certificatePem = link.certificatePem;
    options.privateKeyPem = link.privateKeyPem;
    auto client = sync::transport::HttpsClient::create(options).value();
    for (const auto& [route, method] : served) {
        if (route == "/metrics" || route == "/v1/enroll") {
            continue; // the monitoring certificate's, a stranger's: covered by their own tests
        }
        const std::string target = route == "/v1/jobs/{id}" ? "/v1/jobs/none" : route;
        sync::transport::HttpRequest request;
        request.method = method;
        request.target = target;
        request.body = method == "POST" ? "{}" : "";
        auto answer = client->send(request);
        ASSERT_TRUE(answer) << target << ": " << answer.error().message;
        if (target != "/v1/jobs/none") {
            EXPECT_NE(answer->status, 404) << method << " " << target << " " << answer->body;
        } else {
            EXPECT_EQ(json::parse(answer->body).value("field", ""), "id") << answer->body;
        }
    }
    sync::transport::HttpRequest nothing;
    nothing.target = "/v1/nothing";
    auto unknown = client->send(nothing);
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 404);
}

TEST_F(GatewaySyncTest, MetricsCanRequireTheMonitoringCertificate)
{
    // Issue 21, item 12: with metrics_client_cert = required — the default since security review
    // M1 — neither a stranger nor a tablet reads /metrics; the certificate `zaitaku-gateway
    // monitor-cert` issues does.
    ASSERT_TRUE(enrollTablet(*store, newCode()));
    auto options = anonymousClient();
    auto stranger = sync::transport::HttpsClient::create(options).value();
    auto open = stranger->send({"GET", "/metrics", {}, {}});
    ASSERT_TRUE(open) << open.error().message;
    EXPECT_EQ(open->status, 401);

    auto gw = connection(*store);
    auto byTablet = gw.get("/metrics");
    ASSERT_FALSE(byTablet);
    EXPECT_EQ(byTablet.error().code, sync::Errc::Unauthorized);

    auto pki = sync::gateway::GatewayPki::load(config.dataDir).value();
    auto request = sync::protocol::makeDeviceKeyRequest("zaitaku-monitor").value();
    auto issued = pki.issueDeviceCertificate(request.csrPem, "monitor", gatewayClock.nowJst(), gatewayRandom, 90);
    ASSERT_TRUE(issued) << issued.error().message;
    options.certificatePem = issued->certificatePem;
    options.privateKeyPem = request.privateKeyPem;
    auto monitor = sync::transport::HttpsClient::create(options).value();
    auto scraped = monitor->send({"GET", "/metrics", {}, {}});
    ASSERT_TRUE(scraped) << scraped.error().message;
    EXPECT_EQ(scraped->status, 200);
    EXPECT_NE(scraped->body.find("zaitaku_gateway_requests_total"), std::string::npos);
    auto records = monitor->send({"POST", "/v1/records", {}, "{}"});
    ASSERT_TRUE(records);
    EXPECT_EQ(records->status, 403) << "the monitoring certificate is no tablet";
}

} // namespace
} // namespace zaitaku::testing
