// The gateway storage suite, run against both backends: SQLite (SQLCipher file in a temp folder)
// and PostgreSQL (the server tests/scripts/postgres-fixture.sh starts on loopback; each test gets
// its own schema). Every method of GatewayStorage, the migrations, the audit chain, concurrency,
// and for PostgreSQL what an operator meets: a server restart, a bad conninfo, a newer schema.

#include "base/AtomicFile.h"
#include "base/CanonicalJson.h"
#include "base/Sha256.h"
#include "sync/gateway/GatewayConfig.h"
#include "sync/gateway/OpenGatewayStorage.h"
#include "sync/gateway/PgConnection.h"
#include "sync/gateway/PostgresGatewayStorage.h"
#include "sync/gateway/SqlGatewayStorage.h"
#include "sync/gateway/SqliteGatewayStorage.h"
#include "sync/sql/CipherKey.h"
#include "tests/support/StoreFixture.h"
#include "tests/support/Subprocess.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <set>
#include <thread>

#include <gtest/gtest.h>

namespace zaitaku::sync::gateway
{
namespace
{

using nlohmann::json;

const base::Timestamp kT0 = base::Timestamp::parse("2026-11-22T09:00:00+09:00").value();

std::string pgConninfo()
{
    const char* env = std::getenv("ZAITAKU_TEST_PG_CONNINFO");
    return env ? env : "";
}

protocol::RecordEnvelope envelope(const std::string& id, const std::string& payload = "{}")
{
    protocol::RecordEnvelope r;
    r.idemKey = "idem-" + id;
    r.kind = "visit";
    r.recordId = id;
    r.payload = payload;
    r.payloadSha256 = base::sha256Hex(payload);
    r.createdAt = kT0;
    return r;
}

IntakeRequest intakeOf(const std::string& id, const std::string& payload = "{\"v\":1}")
{
    IntakeRequest request;
    request.deviceId = "dev-1";
    request.record = envelope(id, payload);
    request.receivedAt = kT0.plus(std::chrono::minutes(5));
    request.deviceTime = kT0.plus(std::chrono::minutes(4));
    request.flags = {"offline"};
    request.challengeIds = {"ch-" + id};
    request.derived = {{"fusho_claims", json::array({{{"fallback_id", "f-" + id}, {"insured_number", "777777777"}}})}};
    return request;
}

class GatewayStorageTest : public ::testing::TestWithParam<std::string>
{
protected:
    void SetUp() override
    {
        key.span()[0] = 7;
        if (GetParam() == "postgresql") {
            conninfo = pgConninfo();
            ASSERT_FALSE(conninfo.empty())
                << "ZAITAKU_TEST_PG_CONNINFO is unset: run this through ctest, whose postgres fixture starts the "
                   "server (tests/scripts/postgres-fixture.sh)";
            auto admin = PgConnection::connect(conninfo, std::chrono::seconds(10));
            ASSERT_TRUE(admin) << admin.error().message;
            schema = "t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
            ASSERT_TRUE(admin->run("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema));
            scoped = conninfo + " options='-csearch_path=" + schema + "'";
        } else {
            dir = testing::makeTempDir("zaitaku-gwstore");
        }
        open();
    }

    void TearDown() override
    {
        storage.reset();
        if (!schema.empty()) {
            auto admin = PgConnection::connect(conninfo, std::chrono::seconds(10));
            if (admin) {
                (void)admin->run("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
        if (!dir.empty()) {
            std::filesystem::remove_all(dir);
        }
    }

    GatewayConfig config() const
    {
        GatewayConfig c;
        c.dataDir = dir.string();
        if (GetParam() == "postgresql") {
            c.storage = StorageBackend::Postgresql;
            c.postgresConninfo = scoped;
            c.postgresStatementTimeout = std::chrono::seconds(10);
        }
        return c;
    }

    void open()
    {
        storage.reset();
        auto opened = openGatewayStorage(config(), key, random, kT0);
        ASSERT_TRUE(opened) << opened.error().message;
        storage = std::move(*opened);
    }

    // The SQLite file opened directly, past the storage (closed first): what a local attacker edits.
    sql::Database rawSqlite()
    {
        storage.reset();
        auto db =
            sql::Database::open(sql::sqlcipherApi(), (dir / "gateway.db").string(), sql::OpenMode::ReadWrite).value();
        EXPECT_TRUE(sql::keyConnection(db, key));
        return db;
    }

    void enrollDevice(const std::string& id = "dev-1")
    {
        const std::string secret = base::sha256Hex("code-" + id);
        ASSERT_TRUE(storage->addEnrollmentCode(secret, kT0, kT0.plus(std::chrono::hours(24))));
        DeviceRecord d;
        d.id = id;
        d.label = "tablet " + id;
        d.certificateSerial = base::sha256Hex(id).substr(0, 16);
        d.signingKeyHex = std::string(64, 'a');
        d.appVersion = "0.1.0";
        ASSERT_TRUE(storage->enroll(secret, d, kT0.plus(std::chrono::minutes(1))));
    }

    static inline int counter = 0;
    base::SecureBytes key{32};
    base::SeededRandom random{42};
    std::filesystem::path dir;
    std::string conninfo;
    std::string schema;
    std::string scoped;
    std::unique_ptr<GatewayStorage> storage;
};

TEST_P(GatewayStorageTest, NamesItsBackendAndKeepsItsEpochAcrossReopen)
{
    EXPECT_EQ(storage->backend(), GetParam());
    const auto first = storage->epoch().value();
    EXPECT_EQ(first.size(), 36u);
    open();
    EXPECT_EQ(storage->epoch().value(), first) << "reopening is not a restore";
    const auto rotated = storage->rotateEpoch(random, "restored from backup", kT0).value();
    EXPECT_NE(rotated, first);
    EXPECT_EQ(storage->epoch().value(), rotated);
}

// One storage over the engine seam (issue 23): both engines are the same SqlGatewayStorage at the
// same schema version, so a query is written, and fixed, once.
TEST_P(GatewayStorageTest, BothEnginesAreTheOneSqlStorageAtTheSameSchemaVersion)
{
    auto* sql = dynamic_cast<SqlGatewayStorage*>(storage.get());
    ASSERT_NE(sql, nullptr) << "the " << GetParam() << " backend is not the one SQL storage";
    EXPECT_EQ(sql->schemaVersion().value(), 8); // 8: renewed device certificates, last seen
}

// `audit verify` on a live gateway: the rows and the recorded head are read in one snapshot, so
// reads audited meanwhile never look like rows cut from the end of the chain.
TEST_P(GatewayStorageTest, VerifyingTheAuditWhileItGrowsNeverSeesABrokenTail)
{
    enrollDevice();
    std::atomic<bool> stop{false};
    std::thread reads([&] {
        for (int i = 0; !stop && i < 5000; ++i) {
            (void)storage->recordAudit({"dev-1", "read.feed", "dev-1", json{{"patients", json::array({"p-1"})}}}, kT0);
        }
    });
    int broken = 0;
    for (int i = 0; i < 40; ++i) {
        auto verified = storage->verifyAudit();
        ASSERT_TRUE(verified) << verified.error().message;
        broken += verified->ok() ? 0 : 1;
    }
    stop = true;
    reads.join();
    EXPECT_EQ(broken, 0) << "verifications that saw rows and head from different moments";
    EXPECT_TRUE(storage->verifyAudit().value().ok());
}

TEST_P(GatewayStorageTest, EnrollmentCodesWorkOnceAndNotAfterExpiry)
{
    const std::string secret = base::sha256Hex("code");
    ASSERT_TRUE(storage->addEnrollmentCode(secret, kT0, kT0.plus(std::chrono::hours(1))));
    DeviceRecord d;
    d.id = "dev-1";
    d.label = "nurse tablet";
    d.certificateSerial = "0a1b";
    d.signingKeyHex = std::string(64, 'b');
    d.appVersion = "0.1.0";
    d.enrolledAt = kT0;
    const auto other = [&](const std::string& id, const std::string& serial) {
        DeviceRecord o = d;
        o.id = id;
        o.certificateSerial = serial;
        return o;
    };
    auto late = storage->enroll(secret, d, kT0.plus(std::chrono::hours(2)));
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, Errc::Unauthorized);
    ASSERT_TRUE(storage->enroll(secret, d, kT0.plus(std::chrono::minutes(30))));
    auto again = storage->enroll(secret, other("dev-2", "0c"), kT0);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, Errc::Unauthorized);
    EXPECT_FALSE(storage->enroll(base::sha256Hex("unknown"), other("dev-3", "0d"), kT0));

    auto found = storage->deviceByCertificate("0a1b").value();
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, "dev-1");
    EXPECT_EQ(found->label, "nurse tablet");
    EXPECT_EQ(found->enrolledAt.utc(), kT0.plus(std::chrono::minutes(30)).utc());
    EXPECT_FALSE(found->revokedAt);
    EXPECT_FALSE(storage->deviceByCertificate("ffff").value());

    EXPECT_TRUE(storage->revokeDevice("dev-1", kT0.plus(std::chrono::hours(3))).value());
    EXPECT_FALSE(storage->revokeDevice("dev-1", kT0.plus(std::chrono::hours(4))).value()) << "already revoked";
    EXPECT_FALSE(storage->revokeDevice("nobody", kT0).value());
    auto devices = storage->devices().value();
    ASSERT_EQ(devices.size(), 1u);
    ASSERT_TRUE(devices[0].revokedAt);
    EXPECT_EQ(devices[0].revokedAt->utc(), kT0.plus(std::chrono::hours(3)).utc());
    const auto counts = storage->counts().value();
    EXPECT_EQ(counts.devices, 1);
    EXPECT_EQ(counts.revokedDevices, 1);
}

// Issue 30: a renewed certificate keeps the device (id, roster); the earlier one works until the
// new one is first used, then it is found but retired; what the tablet last said is kept.
TEST_P(GatewayStorageTest, ARenewedCertificateKeepsTheDeviceAndRetiresTheEarlierOneOnFirstUse)
{
    enrollDevice();
    const DeviceRecord device = storage->devices().value().at(0);
    ASSERT_TRUE(storage->changeAssignments(device.id, {"p-1"}, true, kT0));
    const auto renewedAt = kT0.plus(std::chrono::hours(24 * 600));
    ASSERT_TRUE(storage->renewDevice(
        {device.id, device.certificateSerial, "0b0b", renewedAt.plus(std::chrono::hours(24 * 825))}, renewedAt));
    auto old = storage->deviceByCertificate(device.certificateSerial).value();
    auto fresh = storage->deviceByCertificate("0b0b").value();
    ASSERT_TRUE(old && fresh);
    EXPECT_EQ(fresh->id, device.id);
    EXPECT_EQ(fresh->certificateSerial, "0b0b") << "devices list names the one in use";
    EXPECT_FALSE(old->certificateRetired) << "until the new one is used, a lost answer must not lock the tablet out";
    EXPECT_EQ(fresh->otherOpenCertificates, 1);
    EXPECT_EQ(storage->assignedPatients(device.id).value(), std::vector<std::string>{"p-1"});

    ASSERT_TRUE(storage->retireOtherCertificates(device.id, "0b0b", renewedAt));
    old = storage->deviceByCertificate(device.certificateSerial).value();
    ASSERT_TRUE(old) << "a retired certificate is still known, never mistaken for a monitoring one";
    EXPECT_TRUE(old->certificateRetired);
    EXPECT_EQ(storage->deviceByCertificate("0b0b").value()->otherOpenCertificates, 0);
    const auto rows = storage->auditRows(0, 100).value();
    std::vector<std::string> actions;
    for (const auto& row : rows) {
        actions.push_back(row.action);
    }
    EXPECT_NE(std::find(actions.begin(), actions.end(), "device.renew"), actions.end());
    EXPECT_NE(std::find(actions.begin(), actions.end(), "device.certificates_retired"), actions.end());
    EXPECT_FALSE(storage->renewDevice({"nobody", "", "0c0c", renewedAt}, renewedAt));

    ASSERT_TRUE(storage->noteSighting({device.id, renewedAt, 3, kT0.plus(std::chrono::hours(5)), 42}));
    ASSERT_TRUE(storage->noteSighting(
        {device.id, renewedAt.plus(std::chrono::minutes(2)), std::nullopt, std::nullopt, std::nullopt}));
    const auto listed = storage->devices().value();
    ASSERT_EQ(listed.size(), 1u);
    ASSERT_TRUE(listed[0].lastSeenAt && listed[0].backlog && listed[0].backlogSince);
    EXPECT_EQ(listed[0].lastSeenAt->utc(), renewedAt.plus(std::chrono::minutes(2)).utc());
    EXPECT_EQ(*listed[0].backlog, 3) << "a request without the header keeps what was said";
    EXPECT_EQ(listed[0].backlogSince->utc(), kT0.plus(std::chrono::hours(5)).utc());
    EXPECT_EQ(listed[0].feedSeq, 42);
}

TEST_P(GatewayStorageTest, IntakeStoresOnceAnswersDuplicatesAndConflicts)
{
    enrollDevice();
    auto stored = storage->intake(intakeOf("v-1")).value();
    EXPECT_EQ(stored.status, protocol::RecordStatus::Stored);
    EXPECT_EQ(stored.flags, std::vector<std::string>{"offline"});

    auto again = intakeOf("v-1");
    again.receivedAt = kT0.plus(std::chrono::hours(1));
    auto duplicate = storage->intake(again).value();
    EXPECT_EQ(duplicate.status, protocol::RecordStatus::Duplicate);
    EXPECT_EQ(duplicate.receivedAt.utc(), kT0.plus(std::chrono::minutes(5)).utc()) << "the original receipt";

    auto conflict = storage->intake(intakeOf("v-1", "{\"v\":2}")).value();
    EXPECT_EQ(conflict.status, protocol::RecordStatus::Conflict);
    EXPECT_EQ(conflict.field, "payload_sha256");

    auto record = storage->findRecord("dev-1", "idem-v-1").value();
    ASSERT_TRUE(record);
    EXPECT_EQ(record->payload, "{\"v\":1}") << "byte for byte";
    EXPECT_EQ(record->flags, std::vector<std::string>{"offline"});
    EXPECT_EQ(record->derived["fusho_claims"][0]["fallback_id"], "f-v-1") << "derived fields stored beside it";
    EXPECT_FALSE(storage->findRecord("dev-2", "idem-v-1").value());
    EXPECT_EQ(storage->counts().value().records, 1);
    EXPECT_EQ(storage->lastRecordSeq().value(), record->seq);
}

TEST_P(GatewayStorageTest, AUsedChallengeRefusesThatRecordOnlyNotItsBatch)
{
    enrollDevice();
    ASSERT_EQ(storage->intake(intakeOf("v-1")).value().status, protocol::RecordStatus::Stored);
    auto reuse = intakeOf("v-2");
    reuse.challengeIds = {"ch-v-1"};
    reuse.feed.push_back(protocol::FeedItem{0, "consent_revocation", "p-2", kT0, {{"x", 1}}});
    auto results = storage->intakeBatch({intakeOf("v-3"), reuse, intakeOf("v-4")}).value();
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results[0].status, protocol::RecordStatus::Stored);
    EXPECT_EQ(results[1].status, protocol::RecordStatus::Rejected);
    EXPECT_EQ(results[1].code, "signature_invalid");
    EXPECT_EQ(results[1].field, "challenge_id");
    EXPECT_EQ(results[2].status, protocol::RecordStatus::Stored);
    EXPECT_FALSE(storage->findRecord("dev-1", "idem-v-2").value()) << "the refused record left nothing";
    EXPECT_TRUE(storage->feed(0, 100).value().empty()) << "nor its feed items";
    auto records = storage->records(0, 100).value();
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[1].recordId, "v-3");
    EXPECT_EQ(records[2].recordId, "v-4");
    EXPECT_LT(records[1].seq, records[2].seq);
    EXPECT_EQ(storage->records(records[1].seq, 100).value().size(), 1u) << "paging after a seq";
    EXPECT_EQ(storage->records(0, 2).value().size(), 2u) << "limit";
}

TEST_P(GatewayStorageTest, CareStartsOnceIsConfirmedOnceAndPublishesBoth)
{
    enrollDevice();
    auto first = intakeOf("v-1");
    first.careStarts = {{"p-1", "visiting_physician", kT0}};
    first.feed.push_back(protocol::FeedItem{0, "consent_revocation", "p-1", kT0, {{"scope", "all"}}});
    ASSERT_TRUE(storage->intake(first));
    auto second = intakeOf("v-2");
    second.careStarts = {{"p-1", "visiting_physician", kT0.plus(std::chrono::hours(24))}};
    ASSERT_TRUE(storage->intake(second));

    auto states = storage->careStates("p-1").value();
    ASSERT_EQ(states.size(), 1u);
    EXPECT_EQ(states[0].firstVisitAt.utc(), kT0.utc()) << "the first visit stays the first";
    EXPECT_FALSE(states[0].firstOnlineConfirmAt);

    const auto confirmedAt = kT0.plus(std::chrono::minutes(10));
    ASSERT_TRUE(storage->confirmCare("p-1", confirmedAt));
    ASSERT_TRUE(storage->confirmCare("p-1", confirmedAt.plus(std::chrono::hours(1)))) << "a no-op";
    states = storage->careStates("p-1").value();
    ASSERT_TRUE(states[0].firstOnlineConfirmAt);
    EXPECT_EQ(states[0].firstOnlineConfirmAt->utc(), confirmedAt.utc());
    EXPECT_TRUE(storage->careStates("p-2").value().empty());

    auto feed = storage->feed(0, 100).value();
    ASSERT_EQ(feed.size(), 3u);
    EXPECT_EQ(feed[0].kind, "consent_revocation");
    EXPECT_EQ(feed[0].body["scope"], "all");
    EXPECT_EQ(feed[1].kind, "requery_permission");
    EXPECT_EQ(feed[1].body["allowed"], false);
    EXPECT_EQ(feed[2].body["allowed"], true);
    EXPECT_EQ(feed[2].body["first_visit_at"], kT0.toString()) << "as the tablets were told when it started";
    EXPECT_EQ(feed[2].body["first_online_confirm_at"], confirmedAt.toString());
    EXPECT_LT(feed[0].seq, feed[1].seq);
    EXPECT_LT(feed[1].seq, feed[2].seq);
    EXPECT_EQ(storage->feed(feed[1].seq, 100).value().size(), 1u);
}

TEST_P(GatewayStorageTest, SnapshotsAndRequeryKeys)
{
    const json older{{"qualification_validity", "1"}, {"insurer_number", "39131015"}};
    const json newer{{"qualification_validity", "2"}, {"insurer_number", "39131015"}};
    ASSERT_TRUE(storage->addSnapshot("p-1", older, kT0));
    ASSERT_TRUE(storage->addSnapshot("p-1", newer, kT0.plus(std::chrono::hours(1))));
    auto latest = storage->latestSnapshot("p-1").value();
    ASSERT_TRUE(latest);
    EXPECT_EQ(json::parse(latest->json), newer);
    EXPECT_EQ(latest->receivedAt.utc(), kT0.plus(std::chrono::hours(1)).utc());
    EXPECT_FALSE(storage->latestSnapshot("p-2").value());
    auto feed = storage->feed(0, 10).value();
    ASSERT_EQ(feed.size(), 2u);
    EXPECT_EQ(feed[1].kind, "eligibility_result");
    EXPECT_EQ(feed[1].body["snapshot"], newer);
    EXPECT_EQ(storage->counts().value().snapshots, 2);

    EXPECT_FALSE(storage->requeryKey("p-1").value());
    RequeryKeyRow first{"p-1", {{"InsurerNumber", "39131015"}}, base::Date::parse("2031-03-31").value(), kT0};
    ASSERT_TRUE(storage->setRequeryKey(first));
    RequeryKeyRow update{"p-1", {{"InsurerNumber", "06139999"}}, std::nullopt, kT0.plus(std::chrono::hours(2))};
    ASSERT_TRUE(storage->setRequeryKey(update));
    auto stored = storage->requeryKey("p-1").value();
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->search["InsurerNumber"], "06139999");
    ASSERT_TRUE(stored->certificateExpiry) << "an unknown expiry keeps the one seen before";
    EXPECT_EQ(stored->certificateExpiry->toString(), "2031-03-31");
    EXPECT_EQ(stored->updatedAt.utc(), kT0.plus(std::chrono::hours(2)).utc());
}

TEST_P(GatewayStorageTest, MedicalConsentsAWithdrawalInEitherOrderAndResultsWithTheirAudit)
{
    // Issue 33: a consent given on a visit, a withdrawal that arrives before its consent (records
    // from two tablets), and a result stored with its audit row, on both engines.
    enrollDevice();
    auto given = intakeOf("v-1");
    given.medicalConsents.push_back(
        {"c-pharm", "p-1", model::ConsentKind::Pharmacy, "houmon_shinryo", kT0, std::nullopt});
    ASSERT_EQ(storage->intake(given).value().status, protocol::RecordStatus::Stored);
    auto early = intakeOf("v-2");
    early.medicalConsents.push_back({"c-check", "p-1", model::ConsentKind::Checkup, "", kT0.plus(std::chrono::hours(2)),
                                     kT0.plus(std::chrono::hours(2))});
    ASSERT_EQ(storage->intake(early).value().status, protocol::RecordStatus::Stored);
    auto late = intakeOf("v-3");
    late.medicalConsents.push_back(
        {"c-check", "p-1", model::ConsentKind::Checkup, "houmon_shinryo", kT0, std::nullopt});
    ASSERT_EQ(storage->intake(late).value().status, protocol::RecordStatus::Stored);
    auto consents = storage->medicalConsents("p-1").value();
    ASSERT_EQ(consents.size(), 2u);
    for (const auto& c : consents) {
        EXPECT_EQ(c.withdrawnAt.has_value(), c.consentId == "c-check")
            << c.consentId << ": the consent cannot reopen it";
    }
    EXPECT_TRUE(storage->medicalConsents("p-2").value().empty());

    EXPECT_FALSE(storage->latestMedicalInfo("p-1", model::ConsentKind::Pharmacy).value());
    for (int hour : {3, 5}) {
        MedicalInfoRow row{"mi-" + std::to_string(hour),       "p-1", model::ConsentKind::Pharmacy, "c-pharm",
                           kT0.plus(std::chrono::hours(hour)), "1",   R"({"events":[]})",           "<XmlMsg/>"};
        ASSERT_TRUE(
            storage->addMedicalInfo(row, {"gateway", "medinfo.request", "p-1", {{"kind", "pharm"}}}, row.fetchedAt));
    }
    auto latest = storage->latestMedicalInfo("p-1", model::ConsentKind::Pharmacy).value();
    ASSERT_TRUE(latest);
    EXPECT_EQ(latest->id, "mi-5");
    EXPECT_EQ(latest->sourceXml, "<XmlMsg/>");
    EXPECT_FALSE(storage->latestMedicalInfo("p-1", model::ConsentKind::Checkup).value());
    std::size_t audited = 0;
    const auto rows = storage->auditRows(0, 100);
    ASSERT_TRUE(rows);
    for (const auto& r : *rows) {
        audited += r.action == "medinfo.request" ? 1 : 0;
    }
    EXPECT_EQ(audited, 2u);
    EXPECT_TRUE(storage->verifyAudit().value().ok());
}

TEST_P(GatewayStorageTest, TheAuditChainCoversEveryWriteAndVerifies)
{
    enrollDevice();
    ASSERT_TRUE(storage->intake(intakeOf("v-1")));
    ASSERT_TRUE(storage->revokeDevice("dev-1", kT0));
    auto verified = storage->verifyAudit().value();
    EXPECT_TRUE(verified.ok()) << verified.toJson().dump();
    // epoch created, enroll code, enroll, record.accept, revoke
    EXPECT_EQ(verified.rows, 5);
    EXPECT_EQ(verified.headHash.size(), 64u);
}

TEST_P(GatewayStorageTest, AcceptedRecordsAndTheAuditLogCannotBeChanged)
{
    enrollDevice();
    ASSERT_TRUE(storage->intake(intakeOf("v-1")));
    if (GetParam() == "postgresql") {
        auto db = PgConnection::connect(scoped, std::chrono::seconds(10)).value();
        auto edit = db.run("UPDATE record SET payload = '{}'");
        ASSERT_FALSE(edit);
        EXPECT_EQ(edit.error().code, Errc::StoreConstraint);
        EXPECT_NE(edit.error().message.find("immutable"), std::string::npos) << edit.error().message;
        EXPECT_FALSE(db.run("DELETE FROM audit_log"));
        EXPECT_FALSE(db.run("TRUNCATE record CASCADE"));
    } else {
        auto db = rawSqlite();
        EXPECT_FALSE(db.exec("UPDATE record SET payload = '{}'", "edit"));
        EXPECT_FALSE(db.exec("DELETE FROM audit_log", "edit"));
    }
}

// A visit record holding a 被保険者資格申立書 with the patient's personal data (seed 003, 別紙様式).
std::string moushitateshoPayload(const std::string& id)
{
    const json fields{{"has_valid_qualification", "yes"},
                      {"insurance_type", "kokuho"},
                      {"name", "申立 太郎"},
                      {"name_kana", "モウシタテ タロウ"},
                      {"birthdate", "1960-04-10"},
                      {"address", "東京都世田谷区1-2-3"},
                      {"contact_phone", "03-1234-5678"},
                      {"employer", "在宅商事"},
                      {"claim", {{"order", 3}, {"basis", "fusho"}}}};
    const json payload{
        {"visit", {{"id", id}}},
        {"fallbacks",
         json::array({{{"id", "f-" + id}, {"kind", "moushitatesho"}, {"captured_fields_json", fields.dump()}}})}};
    return base::canonicalJson(payload);
}

// Issue 28, item 7. Seed 003: 「本申立書に記入いただいた情報は、医療機関等の診療報酬請求等に必要範囲でのみ
// 使用し、…必要な事務を終えた段階で、速やかに廃棄します」. The gateway used to keep them forever. Now a
// settled claim's 申立書 fields are purged once its period has passed, with an audit row; records
// stay otherwise immutable, an unsettled or too recent one is kept, and a resend is still known.
TEST_P(GatewayStorageTest, SettledMoushitateshoDataArePurgedOnceAndAudited)
{
    enrollDevice();
    auto withForm = intakeOf("v-form", moushitateshoPayload("v-form"));
    withForm.derived = {{"fusho_claims", json::array({{{"fallback_id", "f-v-form"},
                                                       {"basis", "fusho"},
                                                       {"remarks", "不詳　東京都世田谷区1-2-3　03-1234-5678"}}})}};
    ASSERT_TRUE(storage->intake(withForm));
    ASSERT_TRUE(storage->intake(intakeOf("v-plain")));
    ASSERT_TRUE(storage->intake(intakeOf("v-later", moushitateshoPayload("v-later"))));
    const auto records = storage->records(0, 10).value();
    ASSERT_EQ(records.size(), 3u);
    const auto formSeq = records[0].seq;
    const auto laterSeq = records[2].seq;

    auto refused = storage->settleClaim(records[1].seq, "operator:clerk", kT0);
    ASSERT_FALSE(refused) << "a record without a 申立書 has no claim to settle";
    EXPECT_EQ(refused.error().code, Errc::InvalidInput);
    EXPECT_TRUE(storage->settleClaim(formSeq, "operator:clerk", kT0.plus(std::chrono::hours(24))).value());
    EXPECT_FALSE(storage->settleClaim(formSeq, "operator:clerk", kT0.plus(std::chrono::hours(25))).value());
    EXPECT_TRUE(storage->settleClaim(laterSeq, "operator:clerk", kT0.plus(std::chrono::hours(24 * 10))).value());

    // Seven days after the first settlement: only that one is due.
    const auto now = kT0.plus(std::chrono::hours(24 * 8));
    EXPECT_EQ(storage->purgeSettledClaims(now.plus(std::chrono::hours(-24 * 7)), "system", now).value(), 1u);
    EXPECT_EQ(storage->purgeSettledClaims(now.plus(std::chrono::hours(-24 * 7)), "system", now).value(), 0u)
        << "purged once";
    const auto after = storage->records(0, 10).value();
    for (const char* personal : {"申立 太郎", "モウシタテ", "1960-04-10", "世田谷区", "03-1234-5678", "在宅商事"}) {
        EXPECT_EQ(after[0].payload.find(personal), std::string::npos) << personal << " in " << after[0].payload;
        EXPECT_EQ(after[0].derived.dump().find(personal), std::string::npos) << personal;
        EXPECT_NE(after[2].payload.find("申立 太郎"), std::string::npos) << "settled too recently: kept";
    }
    EXPECT_NE(after[0].payload.find("personal_data_purged_at"), std::string::npos);
    EXPECT_NE(after[0].payload.find("fusho"), std::string::npos) << "the claim's basis stays";
    EXPECT_EQ(after[0].payloadSha256, records[0].payloadSha256) << "a resend is still recognised";
    EXPECT_EQ(after[1].payload, records[1].payload);
    auto resend = storage->intake(withForm);
    ASSERT_TRUE(resend);
    EXPECT_EQ(resend->status, protocol::RecordStatus::Duplicate);

    auto verified = storage->verifyAudit().value();
    EXPECT_TRUE(verified.ok()) << verified.toJson().dump();
    // Still append-only for anything else: the purge is the one change a record allows, once; each
    // purge and settlement is in the audit chain (the purge names the fields, by the system).
    const std::string editPayload = "UPDATE record SET payload = '{}' WHERE seq = " + std::to_string(formSeq);
    const std::string editOther =
        "UPDATE record SET purged_at = '2030-01-01', flags = '[]' WHERE seq = " + std::to_string(laterSeq);
    const std::string purgeRows = "SELECT count(*) FROM audit_log WHERE action = 'claim.personal_data_purged' AND "
                                  "actor = 'system' AND detail LIKE '%address%'";
    const std::string settleRows = "SELECT count(*) FROM audit_log WHERE action = 'claim.settled'";
    if (GetParam() == "postgresql") {
        auto db = PgConnection::connect(scoped, std::chrono::seconds(10)).value();
        EXPECT_FALSE(db.run(editPayload));
        EXPECT_FALSE(db.run(editOther));
        EXPECT_FALSE(db.run("DELETE FROM record WHERE seq = " + std::to_string(formSeq)));
        EXPECT_EQ(db.exec(purgeRows).value().integer(0, 0), 1);
        EXPECT_EQ(db.exec(settleRows).value().integer(0, 0), 2);
    } else {
        auto db = rawSqlite();
        EXPECT_FALSE(db.exec(editPayload, "edit"));
        EXPECT_FALSE(db.exec(editOther, "edit"));
        EXPECT_FALSE(db.exec("DELETE FROM record", "edit"));
        EXPECT_EQ(db.queryInt(purgeRows).value_or(-1), 1);
        EXPECT_EQ(db.queryInt(settleRows).value_or(-1), 2);
    }
}

TEST_P(GatewayStorageTest, ConcurrentIntakesAreAllStoredInCommitOrder)
{
    enrollDevice();
    constexpr int kThreads = 6;
    constexpr int kPerThread = 15;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                auto request = intakeOf("t" + std::to_string(t) + "-" + std::to_string(i));
                request.feed.push_back(protocol::FeedItem{0, "consent_revocation", request.record.recordId, kT0, {}});
                auto result = storage->intake(request);
                if (!result || result->status != protocol::RecordStatus::Stored) {
                    ++failures;
                }
            }
        });
    }
    // A reader pages the feed meanwhile: what it saw must never be overtaken by a smaller seq.
    std::int64_t seen = 0;
    std::set<std::string> paged;
    auto page = [&] {
        const auto items = storage->feed(seen, 1000).value();
        for (const auto& item : items) {
            EXPECT_GT(item.seq, seen);
            seen = item.seq;
            paged.insert(item.patientId);
        }
    };
    for (int i = 0; i < 20; ++i) {
        page();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    for (auto& t : threads) {
        t.join();
    }
    page();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(storage->counts().value().records, kThreads * kPerThread);
    EXPECT_EQ(paged.size(), static_cast<std::size_t>(kThreads * kPerThread)) << "a paging reader missed none";
    EXPECT_TRUE(storage->verifyAudit().value().ok());
}

TEST_P(GatewayStorageTest, ReopeningMigratesNothingAndKeepsEverything)
{
    enrollDevice();
    ASSERT_TRUE(storage->intake(intakeOf("v-1")));
    open();
    open();
    EXPECT_EQ(storage->counts().value().records, 1);
    EXPECT_EQ(storage->devices().value().size(), 1u);
    EXPECT_TRUE(storage->verifyAudit().value().ok());
}

INSTANTIATE_TEST_SUITE_P(Backends,
                         GatewayStorageTest,
                         ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& param) { return param.param; });

// PostgreSQL only: what an operator of the server meets.
class PostgresOperationsTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        conninfo = pgConninfo();
        ASSERT_FALSE(conninfo.empty()) << "ZAITAKU_TEST_PG_CONNINFO is unset: run through ctest";
        admin = std::make_unique<PgConnection>(PgConnection::connect(conninfo, std::chrono::seconds(10)).value());
        schema = "ops_" + std::to_string(::getpid());
        ASSERT_TRUE(admin->run("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema));
        // Its own application_name (the conninfo's overrides the gateway's default), so that this
        // test drops its own sessions only.
        scoped = conninfo + " application_name=" + schema + " options='-csearch_path=" + schema + "'";
    }
    void TearDown() override { (void)admin->run("DROP SCHEMA IF EXISTS " + schema + " CASCADE"); }

    base::SeededRandom random{7};
    std::string conninfo;
    std::string schema;
    std::string scoped;
    std::unique_ptr<PgConnection> admin;
};

TEST_F(PostgresOperationsTest, MigratesToTheCurrentVersionAndRefusesANewerSchema)
{
    {
        auto storage = PostgresGatewayStorage::open(scoped, random, kT0).value();
        EXPECT_EQ(storage->schemaVersion().value(), 8); // 8: renewed device certificates
    }
    ASSERT_TRUE(admin->run("INSERT INTO " + schema + ".zaitaku_schema VALUES (99, 'from the future', 'x')"));
    auto refused = PostgresGatewayStorage::open(scoped, random, kT0);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::StoreSchemaTooNew);
    EXPECT_NE(refused.error().message.find("99"), std::string::npos);
}

TEST_F(PostgresOperationsTest, TheGatewayRoleCannotDropTheAppendOnlyTriggers)
{
    // Security review M6: the gateway's own role created, and so owned, the audit table and its
    // triggers; a table owner may DROP or DISABLE them. With a schema owner role doing the
    // migrations, the gateway's role keeps what it needs and nothing more. The roles come from the
    // postgres fixture (tests/scripts/postgres-fixture.sh).
    ASSERT_TRUE(
        admin->run("DROP SCHEMA " + schema + " CASCADE; CREATE SCHEMA " + schema + " AUTHORIZATION zaitaku_owner"));
    const std::string service = scoped + " user=zaitaku_gateway";
    const std::string owner = scoped + " user=zaitaku_owner";
    {
        auto storage = PostgresGatewayStorage::open(service, random, kT0, std::chrono::seconds(30), owner);
        ASSERT_TRUE(storage) << storage.error().message;
        ASSERT_TRUE((*storage)->recordAudit({"gateway", "test.row", "x", json::object()}, kT0));
        ASSERT_TRUE((*storage)->addSnapshot("p-1", json{{"a", 1}}, kT0));
        EXPECT_TRUE((*storage)->verifyAudit().value().ok());
    }
    auto gatewayRole = PgConnection::connect(service, std::chrono::seconds(10)).value();
    for (const std::string sql :
         {"DROP TRIGGER audit_log_append_only ON audit_log", "ALTER TABLE audit_log DISABLE TRIGGER ALL",
          "ALTER TABLE record DISABLE TRIGGER record_immutable", "DROP TABLE audit_log", "TRUNCATE audit_log",
          "DELETE FROM audit_log", "UPDATE audit_log SET actor = 'nobody'", "DELETE FROM zaitaku_schema"}) {
        auto refused = gatewayRole.run(sql);
        EXPECT_FALSE(refused) << sql;
        if (!refused) {
            break;
        }
    }
    auto owned = gatewayRole.exec("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND "
                                  "tableowner = current_user");
    ASSERT_TRUE(owned);
    EXPECT_EQ(owned->integer(0, 0), 0) << "the gateway's role owns none of its tables";
    // Opened again by the gateway alone (the schema is current): no owner needed at start.
    auto again = PostgresGatewayStorage::open(service, random, kT0);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ((*again)->counts().value().snapshots, 1);
}

TEST_F(PostgresOperationsTest, AnUnreachableServerIsAClearErrorWithoutThePassword)
{
    auto failed = PostgresGatewayStorage::open("host=127.0.0.1 port=1 dbname=x user=y password=s3cret-pw "
                                               "connect_timeout=2",
                                               random, kT0);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, Errc::StoreIo);
    EXPECT_NE(failed.error().message.find("cannot connect to PostgreSQL"), std::string::npos);
    EXPECT_EQ(failed.error().message.find("s3cret-pw"), std::string::npos) << failed.error().message;
}

TEST_F(PostgresOperationsTest, AServerThatDroppedTheConnectionsIsReconnectedTo)
{
    auto storage = PostgresGatewayStorage::open(scoped, random, kT0).value();
    ASSERT_TRUE(storage->addSnapshot("p-1", json{{"a", 1}}, kT0));
    // The server drops every session of ours (what a restart or failover looks like to a client).
    auto dropped =
        admin->exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", {schema});
    ASSERT_TRUE(dropped);
    ASSERT_EQ(dropped->rows(), 2) << "the writer and the reader";
    auto after = storage->latestSnapshot("p-1");
    ASSERT_TRUE(after) << "a read is sent again on a new connection: " << after.error().message;
    ASSERT_TRUE(*after);
    ASSERT_TRUE(storage->addSnapshot("p-1", json{{"a", 2}}, kT0.plus(std::chrono::seconds(1))))
        << "the writer reconnects at BEGIN (nothing of the transaction was sent yet)";
    EXPECT_EQ(storage->counts().value().snapshots, 2);
}

TEST_F(PostgresOperationsTest, SqlStatesBecomeErrorsAnOperatorCanActOn)
{
    EXPECT_EQ(pgError("23505", "insert", "dup").code, Errc::StoreConstraint);
    EXPECT_EQ(pgError("53100", "insert", "disk").code, Errc::DiskFull);
    EXPECT_EQ(pgError("57014", "select", "timeout").code, Errc::Timeout);
    EXPECT_EQ(pgError("40P01", "update", "deadlock").code, Errc::StoreBusy);
    EXPECT_EQ(pgError("XX000", "x", "internal").code, Errc::StoreIo);
    auto slow = PgConnection::connect(conninfo, std::chrono::milliseconds(200)).value();
    auto timedOut = slow.run("SELECT pg_sleep(5)");
    ASSERT_FALSE(timedOut);
    EXPECT_EQ(timedOut.error().code, Errc::Timeout) << "every statement has a deadline: " << timedOut.error().message;
}

TEST_F(PostgresOperationsTest, TheGatewayProgramAndItsCommandsUseTheConfiguredServer)
{
    auto dir = testing::makeTempDir("zaitaku-gw-pg");
    const std::string dataDir = (dir / "gateway").string();
    std::filesystem::create_directories(dataDir);
    ASSERT_TRUE(base::writeFileAtomically(dataDir + "/gateway.conf",
                                          "storage = postgresql\npostgres_conninfo = " + scoped + "\n", 0600));
    {
        test::GatewayProcess server(ZAITAKU_GATEWAY_PATH, dataDir);
        ASSERT_NE(server.start(0), 0);
        auto code = test::runProcess({ZAITAKU_GATEWAY_PATH, "enroll-code", "--data-dir", dataDir, "--json"}, "");
        ASSERT_EQ(code.exitCode, 0) << code.out << code.err;
        server.kill(SIGTERM);
    }
    auto status = test::runProcess({ZAITAKU_GATEWAY_PATH, "status", "--data-dir", dataDir, "--json"}, "");
    ASSERT_EQ(status.exitCode, 0) << status.out << status.err;
    EXPECT_EQ(json::parse(status.out)["backend"], "postgresql");
    auto audit = test::runProcess({ZAITAKU_GATEWAY_PATH, "audit", "verify", "--data-dir", dataDir, "--json"}, "");
    ASSERT_EQ(audit.exitCode, 0) << audit.out << audit.err;
    EXPECT_EQ(json::parse(audit.out)["rows"], 2) << "the epoch and the enrollment code, in PostgreSQL";
    EXPECT_FALSE(std::filesystem::exists(dataDir + "/gateway.db")) << "no SQLite file beside it";
    auto rows = admin->exec("SELECT count(*) FROM " + schema + ".enrollment_code");
    ASSERT_TRUE(rows);
    EXPECT_EQ(rows->integer(0, 0), 1);
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace zaitaku::sync::gateway
