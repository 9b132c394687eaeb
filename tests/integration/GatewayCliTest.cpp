// zaitaku-gateway and the tablet's sync commands as operators and scripts use them: real
// processes, real TLS on loopback, JSON output checked field by field.

#include "base/AtomicFile.h"
#include "support/StoreFixture.h"
#include "support/Subprocess.h"

#include <csignal>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include <gtest/gtest.h>

namespace zaitaku::testing
{
namespace
{

using nlohmann::json;

class GatewayCliTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        dir = makeTempDir("zaitaku-gateway-cli");
        gatewayDir = (dir / "gateway").string();
        db = (dir / "tablet.db").string();
        pass = (dir / "pass").string();
        ASSERT_TRUE(base::writeFileAtomically(pass, "correct horse battery\n", 0600));
    }
    void TearDown() override
    {
        gateway.reset();
        std::filesystem::remove_all(dir);
    }
    test::ProcessResult gw(std::vector<std::string> args)
    {
        args.insert(args.begin(), ZAITAKU_GATEWAY_PATH);
        return test::runProcess(args, "");
    }
    test::ProcessResult cli(std::vector<std::string> args) { return cliWithInput(std::move(args), ""); }
    test::ProcessResult cliWithInput(std::vector<std::string> args, const std::string& input)
    {
        args.insert(args.begin(), ZAITAKU_CLI_PATH);
        args.insert(args.end(), {"--db", db, "--passphrase-file", pass});
        return test::runProcess(args, input);
    }
    void startGateway()
    {
        gateway.emplace(ZAITAKU_GATEWAY_PATH, gatewayDir);
        ASSERT_NE(gateway->start(0), 0);
    }
    // A new store for the CLI's tablet, enrolled with a fresh code and synced once.
    void enrollTheCliTablet()
    {
        ASSERT_EQ(cli({"store", "init", "--kdf-log-n", "10"}).exitCode, 0);
        auto code = gw({"enroll-code", "--data-dir", gatewayDir, "--json"});
        ASSERT_EQ(code.exitCode, 0) << code.err;
        const std::string codeFile = (dir / "code").string();
        ASSERT_TRUE(base::writeFileAtomically(codeFile, json::parse(code.out)["code"].get<std::string>() + "\n", 0600));
        ASSERT_EQ(cli({"enroll", "--gateway", gateway->url(), "--code-file", codeFile}).exitCode, 0);
        ASSERT_EQ(cli({"sync"}).exitCode, 0);
    }

    std::filesystem::path dir;
    std::string gatewayDir;
    std::string db;
    std::string pass;
    std::optional<test::GatewayProcess> gateway;
};

TEST_F(GatewayCliTest, EnrollSyncStatusRevokeAndExport)
{
    startGateway();
    auto code = gw({"enroll-code", "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(code.exitCode, 0) << code.err;
    const auto codeJson = json::parse(code.out);
    EXPECT_EQ(codeJson["code"].get<std::string>().size(), 36U);
    ASSERT_EQ(cli({"store", "init", "--kdf-log-n", "10"}).exitCode, 0);

    // The one-time code never on the command line (issue 21, item 7).
    auto onCommandLine = cli({"enroll", "--gateway", gateway->url(), "--code", codeJson["code"], "--json"});
    EXPECT_EQ(onCommandLine.exitCode, 2);
    EXPECT_EQ(json::parse(onCommandLine.out)["field"], "code");
    EXPECT_NE(json::parse(onCommandLine.out)["error"].get<std::string>().find("--code-file"), std::string::npos);
    const std::string codeFile = (dir / "code").string();
    ASSERT_TRUE(base::writeFileAtomically(codeFile, codeJson["code"].get<std::string>() + "\n", 0600));
    auto enrolled = cli({"enroll", "--gateway", gateway->url(), "--code-file", codeFile, "--json"});
    ASSERT_EQ(enrolled.exitCode, 0) << enrolled.out << enrolled.err;
    const auto device = json::parse(enrolled.out);
    EXPECT_EQ(device["ca_fingerprint"], codeJson["ca_fingerprint"]);
    EXPECT_EQ(device["tls"], "TLSv1.3");

    auto synced = cli({"sync", "--json"});
    ASSERT_EQ(synced.exitCode, 0) << synced.out << synced.err;
    EXPECT_EQ(json::parse(synced.out)["challenges_added"], 50);
    EXPECT_EQ(json::parse(synced.out)["complete"], true);

    auto status = cli({"sync-status", "--json"});
    ASSERT_EQ(status.exitCode, 0) << status.err;
    const auto s = json::parse(status.out);
    for (const char* key : {"queued", "sending", "acked", "dead_letter", "last_success", "skew_seconds"}) {
        EXPECT_TRUE(s.contains(key)) << key;
    }
    EXPECT_EQ(s["enrolled"], true);
    EXPECT_EQ(s["challenges_available"], 50);
    EXPECT_TRUE(s["last_success"].is_string());
    EXPECT_EQ(s["skew_seconds"], 0);

    auto list = gw({"devices", "list", "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(list.exitCode, 0) << list.err;
    const auto devices = json::parse(list.out);
    ASSERT_EQ(devices.size(), 1U);
    EXPECT_EQ(devices[0]["id"], device["device_id"]);
    EXPECT_TRUE(devices[0]["revoked_at"].is_null());

    // The tablet's roster at the gateway: assigned, listed, taken back; each change audited.
    const std::string deviceId = device["device_id"];
    const std::string idsFile = (dir / "ids.txt").string();
    ASSERT_TRUE(base::writeFileAtomically(idsFile, "p-2\n\np-3 \n", 0600));
    auto assigned = gw(
        {"roster", "assign", deviceId, "p-1", "p-2", "--patients-file", idsFile, "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(assigned.exitCode, 0) << assigned.err;
    EXPECT_EQ(json::parse(assigned.out)["assigned"], 3) << "p-2 twice counts once";
    EXPECT_EQ(gw({"roster", "unassign", deviceId, "p-3", "--data-dir", gatewayDir}).exitCode, 0);
    auto roster = gw({"roster", "list", deviceId, "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(roster.exitCode, 0) << roster.err;
    EXPECT_EQ(json::parse(roster.out)["patients"], json::array({"p-1", "p-2"}));
    EXPECT_EQ(gw({"roster", "assign", "d-unknown", "p-1", "--data-dir", gatewayDir}).exitCode, 2);
    EXPECT_EQ(gw({"roster", "assign", deviceId, "--data-dir", gatewayDir}).exitCode, 2) << "no patient named";

    auto revoked = gw({"devices", "revoke", device["device_id"], "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(revoked.exitCode, 0) << revoked.err;
    auto refused = cli({"sync", "--json"});
    EXPECT_EQ(refused.exitCode, 1);
    EXPECT_EQ(json::parse(refused.out)["code"], "unauthorized");
    EXPECT_EQ(gw({"devices", "revoke", "d-unknown", "--data-dir", gatewayDir}).exitCode, 2);

    auto gstatus = gw({"status", "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(gstatus.exitCode, 0) << gstatus.err;
    EXPECT_EQ(json::parse(gstatus.out)["devices_revoked"], 1);
    EXPECT_EQ(json::parse(gstatus.out)["backend"], "sqlite");
    auto audit = gw({"audit", "verify", "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(audit.exitCode, 0) << audit.out << audit.err;
    EXPECT_EQ(json::parse(audit.out)["ok"], true);
    EXPECT_GE(json::parse(audit.out)["rows"], 6) << "epoch, code, enrollment, roster ×2, revocation";
    EXPECT_EQ(json::parse(gstatus.out)["ca_fingerprint"], codeJson["ca_fingerprint"]);
    auto exported = gw({"export", "--data-dir", gatewayDir});
    EXPECT_EQ(exported.exitCode, 0);
    EXPECT_EQ(exported.out, "");
    auto rotated = gw({"epoch", "rotate", "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(rotated.exitCode, 0);
    EXPECT_EQ(json::parse(rotated.out)["epoch"].get<std::string>().size(), 36U);
}

// Issue 28: patients already in continuing care are imported (so their revisits re-query from the
// first day), and a 申立書's claim is settled and purged (seed 003 「…速やかに廃棄します」) — operator
// commands with clear errors, each change audited.
TEST_F(GatewayCliTest, CareImportAndClaimSettlementAreOperatorCommands)
{
    startGateway();
    const std::string care = (dir / "care.json").string();
    ASSERT_TRUE(base::writeFileAtomically(
        care,
        R"([{"patient_id":"p-cont","service_kind":"houmon_kango","first_visit_at":"2025-06-10T10:00:00+09:00",)"
        R"("first_online_confirm_at":"2025-06-10T10:30:00+09:00","insurer_number":"39131015",)"
        R"("insured_identification_number":"12345678","insured_branch_number":"00","birthdate":"1948-04-02",)"
        R"("limit_consent":"1"}])",
        0600));
    auto imported = gw({"care", "import", care, "--by", "clerk-1", "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(imported.exitCode, 0) << imported.err << imported.out;
    EXPECT_EQ(json::parse(imported.out)["imported"], 1);
    auto again = gw({"care", "import", care, "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(again.exitCode, 0) << again.err;
    EXPECT_EQ(json::parse(again.out)["known"], 1) << "a known relationship is left as it is";
    const std::string bad = (dir / "bad-care.json").string();
    ASSERT_TRUE(base::writeFileAtomically(bad, R"([{"patient_id":"p-x","service_kind":"houmon_kango"}])", 0600));
    auto refused = gw({"care", "import", bad, "--data-dir", gatewayDir, "--json"});
    EXPECT_EQ(refused.exitCode, 2);
    EXPECT_EQ(json::parse(refused.out)["field"], "[0]") << refused.out;

    auto noRecord = gw({"claims", "settle", "1", "--data-dir", gatewayDir, "--json"});
    EXPECT_EQ(noRecord.exitCode, 2) << "no such record: nothing to settle";
    EXPECT_NE(json::parse(noRecord.out)["error"].get<std::string>().find("申立書"), std::string::npos);
    EXPECT_EQ(gw({"claims", "settle", "one", "--data-dir", gatewayDir}).exitCode, 2);
    auto purged = gw({"claims", "purge", "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(purged.exitCode, 0) << purged.err;
    EXPECT_EQ(json::parse(purged.out)["purged"], 0);
    auto audit = gw({"audit", "verify", "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(audit.exitCode, 0) << audit.out;
    EXPECT_EQ(json::parse(audit.out)["ok"], true);
}

TEST_F(GatewayCliTest, AdminCommandsAreAuditedUnderTheOperatorsName)
{
    // Security review M6 and L5: export, monitor-cert and snapshots import left no audit row and
    // every operator was "operator"; an enrollment code could live 14 days.
    startGateway();
    ASSERT_EQ(gw({"enroll-code", "--data-dir", gatewayDir, "--by", "alice"}).exitCode, 0);
    EXPECT_EQ(gw({"enroll-code", "--data-dir", gatewayDir, "--ttl-hours", "48"}).exitCode, 2) << "a day at most";
    ASSERT_EQ(gw({"monitor-cert", "--out", (dir / "mon").string(), "--data-dir", gatewayDir, "--by", "alice"}).exitCode,
              0);
    ASSERT_EQ(gw({"export", "--data-dir", gatewayDir, "--by", "bob"}).exitCode, 0);
    const auto file = (dir / "snapshots.json").string();
    ASSERT_TRUE(base::writeFileAtomically(
        file, R"([{"patient_id":"p-1","snapshot":{"id":"s-1","patient_id":"p-1","status":"valid"}}])", 0600));
    const auto imported = gw({"snapshots", "import", file, "--data-dir", gatewayDir, "--by", "carol"});
    ASSERT_EQ(imported.exitCode, 0) << imported.err;
    ASSERT_EQ(gw({"devices", "revoke", "d-nobody", "--data-dir", gatewayDir}).exitCode, 2);

    const auto listed = gw({"audit", "list", "--data-dir", gatewayDir});
    ASSERT_EQ(listed.exitCode, 0) << listed.err;
    std::map<std::string, std::string> actorOf;
    std::istringstream lines(listed.out);
    for (std::string line; std::getline(lines, line);) {
        const auto row = json::parse(line);
        actorOf[row["action"]] = row["actor"];
    }
    EXPECT_EQ(actorOf["gateway.enroll_code"], "operator:alice");
    EXPECT_EQ(actorOf["gateway.monitor_cert"], "operator:alice");
    EXPECT_EQ(actorOf["gateway.export"], "operator:bob");
    EXPECT_EQ(actorOf["snapshot.import"], "operator:carol");
    EXPECT_EQ(actorOf["gateway.epoch"], "gateway") << "created by the serving gateway itself";
    EXPECT_EQ(gw({"audit", "verify", "--data-dir", gatewayDir}).exitCode, 0);
}

TEST_F(GatewayCliTest, StaffSignInAsThemselvesOnceTheGatewaySentTheirAccounts)
{
    // Security review H3's attack: a nurse who is no custodian appoints herself with the CLI, or
    // signs in as "custodian-01". The gateway's staff accounts reach the tablet at its sync; from
    // then on --staff needs that person's own secret, and only a manager names custodians.
    startGateway();
    const std::string mgrSecret = (dir / "mgr.secret").string();
    const std::string nurseSecret = (dir / "nurse.secret").string();
    ASSERT_TRUE(base::writeFileAtomically(mgrSecret, "a long passphrase\n", 0600));
    ASSERT_TRUE(base::writeFileAtomically(nurseSecret, "4821\n", 0600));
    auto added = gw({"staff", "add", "mgr-1", "--role", "manager", "--secret-file", mgrSecret, "--name", "管理 一郎",
                     "--data-dir", gatewayDir, "--by", "it-admin", "--json"});
    ASSERT_EQ(added.exitCode, 0) << added.err;
    EXPECT_EQ(json::parse(added.out)["version"], 1);
    ASSERT_EQ(gw({"staff", "add", "nurse-7", "--role", "nurse", "--secret-file", nurseSecret, "--data-dir", gatewayDir})
                  .exitCode,
              0);
    EXPECT_EQ(
        gw({"staff", "add", "x-1", "--role", "root", "--secret-file", nurseSecret, "--data-dir", gatewayDir}).exitCode,
        2);
    EXPECT_EQ(gw({"staff", "add", "x-1", "--role", "nurse", "--data-dir", gatewayDir}).exitCode, 2) << "no secret";

    auto code = json::parse(gw({"enroll-code", "--data-dir", gatewayDir, "--json"}).out);
    ASSERT_EQ(cli({"store", "init", "--kdf-log-n", "10"}).exitCode, 0);
    const std::string codeFile = (dir / "code").string();
    ASSERT_TRUE(base::writeFileAtomically(codeFile, code["code"].get<std::string>() + "\n", 0600));
    ASSERT_EQ(cli({"enroll", "--gateway", gateway->url(), "--code-file", codeFile}).exitCode, 0);
    auto synced = cli({"sync", "--json"});
    ASSERT_EQ(synced.exitCode, 0) << synced.err;
    EXPECT_GE(json::parse(synced.out)["feed_items"], 2) << "both accounts, though no patient is assigned";

    auto self = cli({"custody", "custodians", "--set", "nurse-7", "--staff", "nurse-7", "--staff-secret-file",
                     nurseSecret, "--json"});
    EXPECT_NE(self.exitCode, 0) << "a nurse cannot appoint herself: " << self.out;
    EXPECT_NE(self.out.find("manager"), std::string::npos) << self.out;
    auto typed = cli({"custody", "custodians", "--set", "me", "--staff", "custodian-01", "--staff-secret-file",
                      nurseSecret, "--json"});
    EXPECT_NE(typed.exitCode, 0) << "a typed name is no identity: " << typed.out;
    auto noSecret = cli({"custody", "custodians", "--set", "me", "--staff", "mgr-1", "--json"});
    EXPECT_NE(noSecret.exitCode, 0) << "the manager's name without the manager's secret";
    auto byManager = cli(
        {"custody", "custodians", "--set", "nurse-7", "--staff", "mgr-1", "--staff-secret-file", mgrSecret, "--json"});
    ASSERT_EQ(byManager.exitCode, 0) << byManager.out << byManager.err;

    const auto listed = gw({"staff", "list", "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(listed.exitCode, 0);
    EXPECT_EQ(json::parse(listed.out).size(), 2U);
    EXPECT_EQ(listed.out.find("verifier"), std::string::npos) << "the list shows no credential";
    const auto audit = gw({"audit", "list", "--data-dir", gatewayDir});
    EXPECT_NE(audit.out.find(R"("action":"staff.put","actor":"operator:it-admin")"), std::string::npos) << audit.out;
}

TEST_F(GatewayCliTest, APrintedEnrollmentCodeCanBeWithdrawnBeforeItIsUsed)
{
    // Security review L5: codes could be neither listed nor withdrawn; a leaked printed one stayed
    // a key to enroll until it expired.
    startGateway();
    auto issued = gw({"enroll-code", "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(issued.exitCode, 0) << issued.err;
    const auto code = json::parse(issued.out);
    const std::string id = code["id"];
    ASSERT_EQ(id.size(), 8U);
    auto listed = json::parse(gw({"enroll-code", "list", "--data-dir", gatewayDir, "--json"}).out);
    ASSERT_EQ(listed.size(), 1U);
    EXPECT_EQ(listed[0]["id"], id);
    EXPECT_EQ(listed[0]["state"], "open");
    const std::string secret = code["code"].get<std::string>().substr(0, 19); // the 80-bit part
    EXPECT_EQ(listed.dump().find(secret), std::string::npos) << "the list never shows the secret";

    ASSERT_EQ(gw({"enroll-code", "withdraw", id, "--data-dir", gatewayDir, "--by", "it-admin"}).exitCode, 0);
    EXPECT_EQ(gw({"enroll-code", "withdraw", id, "--data-dir", gatewayDir}).exitCode, 2) << "no longer open";
    EXPECT_EQ(json::parse(gw({"enroll-code", "list", "--data-dir", gatewayDir, "--json"}).out)[0]["state"], "expired");

    ASSERT_EQ(cli({"store", "init", "--kdf-log-n", "10"}).exitCode, 0);
    const std::string codeFile = (dir / "code").string();
    ASSERT_TRUE(base::writeFileAtomically(codeFile, code["code"].get<std::string>() + "\n", 0600));
    auto refused = cli({"enroll", "--gateway", gateway->url(), "--code-file", codeFile, "--json"});
    EXPECT_NE(refused.exitCode, 0) << "a withdrawn code enrolls nothing: " << refused.out;
    const auto audit = gw({"audit", "list", "--data-dir", gatewayDir});
    EXPECT_NE(audit.out.find(R"("action":"gateway.enroll_code_withdrawn","actor":"operator:it-admin")"),
              std::string::npos)
        << audit.out;
}

TEST_F(GatewayCliTest, AnAuditChainRolledBackFailsAgainstItsAnchors)
{
    // Security review M6: whoever holds the service account and secrets.key can put an older copy
    // of the database back, or recompute the chain; `audit verify` then said ok. An anchor written
    // outside the database (and shipped off the host) is a witness the copy cannot match.
    startGateway();
    gateway.reset(); // stopped: its database can be copied whole
    const std::filesystem::path data(gatewayDir);
    std::filesystem::create_directories(dir / "backup");
    for (const char* file : {"gateway.db", "gateway.db-wal", "gateway.db-shm"}) {
        if (std::filesystem::exists(data / file)) {
            std::filesystem::copy_file(data / file, dir / "backup" / file);
        }
    }
    ASSERT_EQ(gw({"enroll-code", "--data-dir", gatewayDir}).exitCode, 0);
    auto anchored = gw({"audit", "anchor", "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(anchored.exitCode, 0) << anchored.out << anchored.err;
    EXPECT_GE(json::parse(anchored.out)["seq"], 2);
    EXPECT_EQ(gw({"audit", "verify", "--data-dir", gatewayDir}).exitCode, 0) << "the chain passes its anchor";

    for (const char* file : {"gateway.db", "gateway.db-wal", "gateway.db-shm"}) {
        std::filesystem::remove(data / file);
        if (std::filesystem::exists(dir / "backup" / file)) {
            std::filesystem::copy_file(dir / "backup" / file, data / file);
        }
    }
    auto verified = gw({"audit", "verify", "--data-dir", gatewayDir, "--json"});
    EXPECT_EQ(verified.exitCode, 1) << verified.out;
    EXPECT_NE(verified.out.find("older copy"), std::string::npos) << verified.out;
}

TEST_F(GatewayCliTest, TheRootKeyGoesOfflineAndComesBackOnlyToRollTheIssuingCa)
{
    // Security review M9: the serving gateway held the CA key that tablets trust for the server.
    startGateway();
    ASSERT_FALSE(gateway->kill(SIGTERM));
    gateway.reset();
    const auto offline = dir / "offline-ca.key.pem";
    std::filesystem::rename(gatewayDir + "/ca.key.pem", offline);
    auto status = gw({"status", "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(status.exitCode, 0) << status.err;
    EXPECT_EQ(json::parse(status.out)["root_key_on_server"], false);
    // Issue 30: the expiry of each of the gateway's own certificates, with the days left.
    const auto certificates = json::parse(status.out)["certificates"];
    for (const char* name : {"root", "issuing", "server"}) {
        EXPECT_GT(certificates[name].value("days_left", -1), 300) << name << " " << certificates.dump();
    }
    EXPECT_EQ(json::parse(status.out)["root_signs_devices"], false);

    // Without the root key the gateway serves and enrolls tablets.
    startGateway();
    enrollTheCliTablet();

    // Rolling the issuing CA needs the root key, named; it is audited first.
    auto refused = gw({"ca", "roll", "--data-dir", gatewayDir, "--json"});
    EXPECT_EQ(refused.exitCode, 2);
    EXPECT_EQ(json::parse(refused.out)["field"], "root-key");
    auto rolled = gw({"ca", "roll", "--root-key", offline.string(), "--data-dir", gatewayDir, "--by", "alice"});
    ASSERT_EQ(rolled.exitCode, 0) << rolled.out << rolled.err;
    auto audit = gw({"audit", "list", "--data-dir", gatewayDir});
    EXPECT_NE(audit.out.find(R"("action":"gateway.ca_roll","actor":"operator:alice")"), std::string::npos) << audit.out;

    // After a restart the tablet enrolled under the earlier issuing CA still syncs.
    const int port = gateway->port();
    ASSERT_FALSE(gateway->kill(SIGTERM));
    gateway.emplace(ZAITAKU_GATEWAY_PATH, gatewayDir);
    ASSERT_EQ(gateway->start(port), port);
    auto synced = cli({"sync", "--json"});
    EXPECT_EQ(synced.exitCode, 0) << synced.out << synced.err;
    EXPECT_FALSE(std::filesystem::exists(gatewayDir + "/ca.key.pem"));
}

// Issue 30: the operator's certificate chores with the real programs — the server certificate
// renewed with the offline root key, a new root announced, read by the tablet, and switched to.
TEST_F(GatewayCliTest, TheOperatorRenewsTheServerCertificateAndRollsTheRootWhileTabletsKeepSyncing)
{
    startGateway();
    ASSERT_FALSE(gateway->kill(SIGTERM));
    gateway.reset();
    const auto offline = dir / "offline-ca.key.pem";
    std::filesystem::rename(gatewayDir + "/ca.key.pem", offline);
    startGateway();
    enrollTheCliTablet();
    auto listed = gw({"devices", "list", "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(listed.exitCode, 0) << listed.err;
    EXPECT_TRUE(json::parse(listed.out)[0]["last_seen_at"].is_string()) << listed.out;
    EXPECT_EQ(json::parse(listed.out)[0]["backlog"], 0) << listed.out;

    // The server certificate: the root key is offline, so the command names it.
    auto noKey = gw({"server-cert", "renew", "--data-dir", gatewayDir, "--json"});
    EXPECT_EQ(noKey.exitCode, 1);
    EXPECT_NE(noKey.out.find("--root-key"), std::string::npos) << noKey.out;
    auto renewed = gw({"server-cert", "renew", "--root-key", offline.string(), "--add-name", "gateway.example",
                       "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(renewed.exitCode, 0) << renewed.out << renewed.err;
    EXPECT_TRUE(json::parse(renewed.out)["not_after"].is_string());

    // A new root: announced (its key goes offline too), read by the tablet at its next sync.
    const auto newRoot = dir / "root-2.key.pem";
    auto announced = gw({"ca", "roll-root", "--root-key", offline.string(), "--new-root-key-out", newRoot.string(),
                         "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(announced.exitCode, 0) << announced.out << announced.err;
    auto serving = gw({"ca", "switch-root", "--root-key", newRoot.string(), "--data-dir", gatewayDir, "--json"});
    EXPECT_EQ(serving.exitCode, 1) << "not while serving";
    ASSERT_EQ(cli({"sync"}).exitCode, 0);

    const int port = gateway->port();
    ASSERT_FALSE(gateway->kill(SIGTERM));
    gateway.reset();
    auto switched = gw({"ca", "switch-root", "--root-key", newRoot.string(), "--data-dir", gatewayDir, "--json"});
    ASSERT_EQ(switched.exitCode, 0) << switched.out << switched.err;
    gateway.emplace(ZAITAKU_GATEWAY_PATH, gatewayDir);
    ASSERT_EQ(gateway->start(port), port);
    auto synced = cli({"sync", "--json"});
    EXPECT_EQ(synced.exitCode, 0) << synced.out << synced.err;
    auto audit = gw({"audit", "list", "--data-dir", gatewayDir});
    for (const char* action : {"gateway.server_cert_renew", "ca.root_announced", "gateway.ca_switch_root"}) {
        EXPECT_NE(audit.out.find(action), std::string::npos) << action;
    }
}

TEST_F(GatewayCliTest, WrongArgumentsAndBadConfigurationAreClearErrors)
{
    EXPECT_EQ(gw({}).exitCode, 2);
    auto noArchivePass = gw({"records", "import", "lost.zexp", "--data-dir", gatewayDir, "--json"});
    EXPECT_EQ(noArchivePass.exitCode, 2);
    EXPECT_NE(noArchivePass.out.find("--export-passphrase-file"), std::string::npos) << noArchivePass.out;
    auto noDir = gw({"status"});
    EXPECT_EQ(noDir.exitCode, 2);
    EXPECT_NE(noDir.err.find("--data-dir"), std::string::npos);
    auto missing = gw({"enroll-code", "--data-dir", gatewayDir, "--json"});
    EXPECT_EQ(missing.exitCode, 1);
    EXPECT_NE(json::parse(missing.out)["error"].get<std::string>().find("serve"), std::string::npos);
    std::filesystem::create_directories(gatewayDir);
    ASSERT_TRUE(base::writeFileAtomically(gatewayDir + "/gateway.conf", "listen = 127.0.0.1:0\nthraeds = 2\n", 0600));
    auto badConfig = gw({"serve", "--data-dir", gatewayDir, "--json"});
    EXPECT_EQ(badConfig.exitCode, 2);
    EXPECT_NE(badConfig.out.find("thraeds"), std::string::npos) << badConfig.out;
    ASSERT_TRUE(base::writeFileAtomically(gatewayDir + "/gateway.conf", "storage = postgresql\n", 0600));
    auto noConninfo = gw({"serve", "--data-dir", gatewayDir, "--json"});
    EXPECT_EQ(noConninfo.exitCode, 2);
    EXPECT_EQ(json::parse(noConninfo.out)["field"], "postgres_conninfo") << noConninfo.out;
    ASSERT_TRUE(base::writeFileAtomically(gatewayDir + "/gateway.conf", "storage = mysql\n", 0600));
    EXPECT_EQ(gw({"serve", "--data-dir", gatewayDir}).exitCode, 2);
    ASSERT_EQ(cli({"store", "init", "--kdf-log-n", "10"}).exitCode, 0);
    auto notEnrolled = cli({"sync", "--json"});
    EXPECT_EQ(notEnrolled.exitCode, 1);
    EXPECT_EQ(json::parse(notEnrolled.out)["code"], "not_enrolled");
    auto badTimeout = cli({"sync", "--timeout-ms", "soon", "--json"});
    EXPECT_EQ(badTimeout.exitCode, 2);
    EXPECT_EQ(json::parse(badTimeout.out)["field"], "timeout-ms");
    auto badCode = cliWithInput({"enroll", "--gateway", "https://127.0.0.1:1", "--json"}, "nope\n");
    EXPECT_EQ(badCode.exitCode, 2);
    EXPECT_EQ(json::parse(badCode.out)["field"], "code");
}

TEST_F(GatewayCliTest, ServeCannotDumpCore)
{
    startGateway();
    std::ifstream limits("/proc/" + std::to_string(gateway->pid()) + "/limits");
    std::string line;
    std::string core;
    while (std::getline(limits, line)) {
        if (line.rfind("Max core file size", 0) == 0) {
            core = line;
        }
    }
    ASSERT_FALSE(core.empty());
    std::istringstream fields(core.substr(std::string("Max core file size").size()));
    std::string soft;
    std::string hard;
    fields >> soft >> hard;
    EXPECT_EQ(soft, "0") << core;
    EXPECT_EQ(hard, "0") << core;
}

TEST_F(GatewayCliTest, ServeRefusesKeyFilesOthersCanRead)
{
    // Issue 21, item 6: a key file that was copied with the wrong mode is refused at load, with the fix.
    startGateway();
    ASSERT_FALSE(gateway->kill(SIGTERM));
    gateway.reset();
    // The root key is not among them: a command that does not create a certificate never reads it.
    for (const char* file : {"secrets.key", "issuing.key.pem", "server.key.pem"}) {
        const std::string path = gatewayDir + "/" + file;
        std::filesystem::permissions(path, std::filesystem::perms::group_read | std::filesystem::perms::others_read,
                                     std::filesystem::perm_options::add);
        auto refused = gw({"status", "--data-dir", gatewayDir, "--json"});
        EXPECT_NE(refused.exitCode, 0) << file;
        EXPECT_NE((refused.out + refused.err).find("chmod 600"), std::string::npos)
            << file << ": " << refused.out << refused.err;
        std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                     std::filesystem::perm_options::replace);
    }
    EXPECT_EQ(gw({"status", "--data-dir", gatewayDir, "--json"}).exitCode, 0);
}

TEST_F(GatewayCliTest, ServeStopsGracefullyOnSigterm)
{
    startGateway();
    EXPECT_FALSE(gateway->kill(SIGTERM)) << "serve should exit by itself on SIGTERM, not die of it";
    EXPECT_TRUE(std::filesystem::exists(gatewayDir + "/highwater"));
    for (const char* file : {"ca.key.pem", "issuing.key.pem", "server.key.pem", "secrets.key", "gateway.db"}) {
        const auto perms = std::filesystem::status(gatewayDir + "/" + file).permissions();
        EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
                  std::filesystem::perms::none)
            << file;
    }
}

} // namespace
} // namespace zaitaku::testing
