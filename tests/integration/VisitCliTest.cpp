// The visit engine on the real card path: zaitaku-cli visit/custody → libpcsclite → pcscd → vpcd →
// zaitaku-vcard (scripts/pcsc-sandbox.sh), with a real encrypted store. One test per persona and
// path: PIN, wrong PIN then right, the last-try refusal switching to visual, a blocked card, a
// 顔認証 card, revisit allowed and refused, a fallback, the custody round trip, and a card pulled
// out mid-visit (resumed when it comes back; nothing written when it does not).

#include "support/PcscSandbox.h"
#include "support/StoreFixture.h"

#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include <gtest/gtest.h>

namespace zaitaku::test
{
namespace
{

using nlohmann::json;

class VisitCliTest : public PcscCardTest
{
protected:
    void SetUp() override
    {
        PcscCardTest::SetUp();
        if (IsSkipped()) {
            return;
        }
        dir = testing::makeTempDir("zaitaku-visit-cli");
        db = (dir / "store.db").string();
        pass = write("pass", "correct horse battery\n");
        const auto init =
            runProcess({ZAITAKU_CLI_PATH, "store", "init", "--db", db, "--passphrase-file", pass, "--kdf-log-n", "10"},
                       "", std::chrono::seconds(60));
        ASSERT_EQ(init.exitCode, 0) << init.err;
        const auto roster = storeCli({"import-patients", std::string(ZAITAKU_TEST_DATA_DIR) + "/visit-roster.json"});
        ASSERT_EQ(roster.exitCode, 0) << roster.err;
    }
    void TearDown() override
    {
        PcscCardTest::TearDown();
        if (!dir.empty()) {
            std::filesystem::remove_all(dir);
        }
    }
    std::string write(const std::string& name, const std::string& content)
    {
        const std::string path = (dir / name).string();
        std::ofstream(path) << content;
        std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        return path; // secret files (PINs, 照合番号B, passphrases) are owner-only or refused
    }
    ProcessResult storeCli(std::vector<std::string> args)
    {
        args.insert(args.begin(), {ZAITAKU_CLI_PATH, "store"});
        args.insert(args.begin() + 3, {"--db", db, "--passphrase-file", pass});
        return runProcess(args, "", std::chrono::seconds(60));
    }
    ProcessResult visitCli(const std::string& sub, std::vector<std::string> args, const std::string& command = "visit")
    {
        std::vector<std::string> argv{ZAITAKU_CLI_PATH, command, sub, "--db", db, "--passphrase-file", pass, "--json"};
        argv.insert(argv.end(), args.begin(), args.end());
        return runProcess(argv, "", std::chrono::seconds(90));
    }
    static json jsonOf(const ProcessResult& r)
    {
        const json j = json::parse(r.out, nullptr, false);
        EXPECT_TRUE(j.is_object()) << "stdout: " << r.out << "\nstderr: " << r.err;
        return j.is_object() ? j : json::object();
    }
    json
    first(const std::string& patient, const std::string& pins, std::vector<std::string> extra = {}, int expectExit = 0)
    {
        std::vector<std::string> args{"--patient", patient,      "--staff",           "nurse-7",   "--reader",
                                      "0",         "--pin-file", write("pins", pins), "--consent", "all"};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto r = visitCli("first", args);
        EXPECT_EQ(r.exitCode, expectExit) << r.out << r.err;
        return jsonOf(r);
    }
    std::int64_t visits()
    {
        const auto r = visitCli("status", {});
        return static_cast<std::int64_t>(jsonOf(r)["visits"].size());
    }

    std::filesystem::path dir;
    std::string db;
    std::string pass;
};

TEST_F(VisitCliTest, PinVisitOverPcscIsSignedAndQueued)
{
    insertCard("valid");
    const json j = first("p-first", "1234\n");
    EXPECT_EQ(j["state"], "committed");
    EXPECT_EQ(j["method"], "pin_signature");
    EXPECT_EQ(j["card"], "pin_card");
    EXPECT_EQ(j["challenge"], "local");
    EXPECT_EQ(j["tries_left_before"], 3);
    EXPECT_EQ(j["consents"].size(), 4u);
    EXPECT_EQ(j["queued"], true);
    const json status = jsonOf(visitCli("status", {"--visit", j["visit_id"]}));
    EXPECT_EQ(status["outbox"], "queued");
    EXPECT_EQ(status["evidence_sha256"], j["evidence_sha256"]);
    const auto audit = storeCli({"verify-audit", "--json"});
    EXPECT_EQ(audit.exitCode, 0) << audit.out;
}

TEST_F(VisitCliTest, WrongPinThenTheRightOne)
{
    insertCard("valid");
    const json j = first("p-first", "9999\n1234\n");
    EXPECT_EQ(j["method"], "pin_signature");
    EXPECT_EQ(j["tries_left_after"], 3);
}

TEST_F(VisitCliTest, OneTryLeftSwitchesToVisual)
{
    insertCard("one-try-left");
    const json refused = first("p-first", "1234\n", {}, 1);
    EXPECT_EQ(refused["state"], "aborted");
    EXPECT_NE(refused["abort_reason"].get<std::string>().find("残り回数が1回"), std::string::npos) << refused;
    const json j = first("p-first", "1234\n", {"--method", "pin,visual"});
    EXPECT_EQ(j["method"], "visual");
    // The PIN was never tried: the card still has its one try.
    const json card = jsonOf(runProcess({ZAITAKU_CLI_PATH, "card", "status", "--json", "--reader", "0"}, ""));
    EXPECT_EQ(card.value("auth_pin_tries_left", -1), 1) << card;
}

TEST_F(VisitCliTest, ABlockedCardGoesVisual)
{
    insertCard("blocked");
    const json j = first("p-first", "1234\n", {"--method", "pin,visual"});
    EXPECT_EQ(j["method"], "visual");
}

TEST_F(VisitCliTest, AFaceAuthCardIsNeverAskedForAPin)
{
    insertCard("face-auth-only");
    const json j = first("p-facility", "1234\n", {"--method", "pin,visual"});
    EXPECT_EQ(j["card"], "face_auth_only");
    EXPECT_EQ(j["method"], "visual");
    EXPECT_EQ(j["tries_left_before"], nullptr);
}

TEST_F(VisitCliTest, RevisitAllowedNeedsNoCardAndRefusedFallsBackToTheCard)
{
    const auto allowed = visitCli("revisit", {"--patient", "p-cont", "--staff", "nurse-7"});
    ASSERT_EQ(allowed.exitCode, 0) << allowed.out << allowed.err;
    const json a = jsonOf(allowed);
    EXPECT_EQ(a["flow"], "revisit");
    EXPECT_EQ(a["revisit"]["allowed"], true);

    insertCard("valid");
    const auto refused = visitCli("revisit", {"--patient", "p-first", "--staff", "nurse-7", "--reader", "0",
                                              "--pin-file", write("pins", "1234\n"), "--consent", "diag"});
    ASSERT_EQ(refused.exitCode, 0) << refused.out << refused.err;
    const json r = jsonOf(refused);
    EXPECT_EQ(r["revisit"]["allowed"], false);
    EXPECT_EQ(r["revisit"]["reasons"][0], "not_same_provider");
    EXPECT_EQ(r["flow"], "first_visit");
    EXPECT_EQ(r["method"], "pin_signature");
}

TEST_F(VisitCliTest, FallbackWith申立書)
{
    const std::string fields = write(
        "fields.json", R"({"has_valid_qualification":"yes","insurance_type":"kokuho","name":"初回 花子",)"
                       R"("name_kana":"ショカイ ハナコ","birthdate":"1950-03-10","sex":"female","address":"東京都",)"
                       R"("signed_on":"2026-11-21","copay_ratio":"unknown"})");
    const auto r = visitCli("fallback", {"--patient", "p-first", "--staff", "nurse-7", "--fallback", "moushitatesho",
                                         "--fields-file", fields, "--fallback-reason", "端末障害"});
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_EQ(jsonOf(r)["fallback"], "moushitatesho");
    // Issue 28, item 4: 76 and 「わからない」: the income band, never a guessed 一般 or 10割.
    EXPECT_EQ(jsonOf(r)["door_copay"], "1〜3割（所得区分による）");
    const auto bad = visitCli("fallback", {"--patient", "p-first", "--staff", "nurse-7", "--fallback", "nonsense"});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_EQ(jsonOf(bad)["field"], "fallback");
}

TEST_F(VisitCliTest, CustodyRoundTrip)
{
    const std::vector<std::string> who{"--patient", "p-facility", "--facility", "home-1", "--staff", "carer-3"};
    auto custody = [&](const std::string& sub, std::vector<std::string> extra = {}) {
        std::vector<std::string> args = who;
        args.insert(args.end(), extra.begin(), extra.end());
        return visitCli(sub, args, "custody");
    };
    // Seed 004: custody rests on an agreement, in named storage, handled by named staff.
    const auto noAgreement = custody("deposit", {"--location", "金庫A"});
    EXPECT_EQ(noAgreement.exitCode, 2);
    EXPECT_EQ(jsonOf(noAgreement)["field"], "agreement_ref");
    const auto listed = visitCli("custodians", {"--set", "carer-3,carer-4", "--staff", "manager-1"}, "custody");
    ASSERT_EQ(listed.exitCode, 0) << listed.out << listed.err;
    EXPECT_EQ(jsonOf(listed)["custodians"], json::array({"carer-3", "carer-4"}));
    const auto outsider = visitCli("deposit",
                                   {"--patient", "p-facility", "--facility", "home-1", "--staff", "visitor-9",
                                    "--location", "金庫A", "--agreement", "預かり証 12"},
                                   "custody");
    EXPECT_EQ(outsider.exitCode, 2);
    EXPECT_EQ(jsonOf(outsider)["field"], "staff");
    ASSERT_EQ(custody("deposit", {"--location", "金庫A", "--agreement", "預かり証 12"}).exitCode, 0);
    insertCard("face-auth-only");
    // The ledger says the facility holds the card: refused with or without --facility-held.
    for (const bool flag : {true, false}) {
        std::vector<std::string> args{"--patient", "p-facility", "--staff", "dr-1",      "--reader",
                                      "0",         "--method",   "visual",  "--consent", "all"};
        if (flag) {
            args.push_back("--facility-held");
        }
        const auto early = visitCli("first", args);
        EXPECT_EQ(early.exitCode, 1);
        EXPECT_EQ(jsonOf(early)["code"], "custody_not_checked_out");
    }
    const auto noPurpose = custody("checkout");
    EXPECT_EQ(noPurpose.exitCode, 2);
    ASSERT_EQ(custody("checkout", {"--purpose", "訪問診療"}).exitCode, 0);
    const auto visit = visitCli("first", {"--patient", "p-facility", "--staff", "dr-1", "--reader", "0", "--method",
                                          "visual", "--consent", "all", "--facility-held"});
    EXPECT_EQ(visit.exitCode, 0) << visit.out << visit.err;
    const json held = jsonOf(visitCli("list", {}, "custody"));
    EXPECT_EQ(held["cards"][0]["action"], "checkout");
    EXPECT_EQ(held["cards"][0]["holder"], "carer-3");
    ASSERT_EQ(custody("return").exitCode, 0);
    EXPECT_EQ(jsonOf(visitCli("list", {}, "custody"))["cards"][0]["holder"], "home-1");
    // Lost: anybody records it, and is told to suspend the card by phone [seed 004].
    const auto lost =
        visitCli("lost", {"--patient", "p-facility", "--facility", "home-1", "--staff", "visitor-9"}, "custody");
    ASSERT_EQ(lost.exitCode, 0) << lost.out << lost.err;
    EXPECT_NE(jsonOf(lost)["guidance"].get<std::string>().find("一時利用停止"), std::string::npos);
}

TEST_F(VisitCliTest, ACardPulledOutResumesWhenItComesBack)
{
    insertCard("valid", {"--remove-after", "14"});
    std::thread putBack([pid = vcardPid] {
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        kill(pid, SIGUSR2);
    });
    const auto r = visitCli("first", {"--patient", "p-first", "--staff", "nurse-7", "--reader", "0", "--pin-file",
                                      write("pins", "1234\n1234\n"), "--consent", "all", "--card-wait-ms", "8000",
                                      "--card-waits", "2"});
    putBack.join();
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_EQ(jsonOf(r)["state"], "committed");
    EXPECT_EQ(visits(), 1);
}

TEST_F(VisitCliTest, ACardPulledOutForGoodLeavesNothing)
{
    insertCard("valid", {"--remove-after", "14"});
    const auto r = visitCli("first", {"--patient", "p-first", "--staff", "nurse-7", "--reader", "0", "--pin-file",
                                      write("pins", "1234\n"), "--consent", "all", "--card-wait-ms", "500"});
    EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
    EXPECT_EQ(jsonOf(r)["state"], "aborted");
    EXPECT_EQ(visits(), 0);
    const json stats = jsonOf(storeCli({"stats", "--json"}));
    EXPECT_EQ(stats["outbox"]["queued"], 0) << stats;
}

} // namespace
} // namespace zaitaku::test

int main(int argc, char** argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    zaitaku::test::g_sandbox = new zaitaku::test::Sandbox();
    ::testing::AddGlobalTestEnvironment(zaitaku::test::g_sandbox);
    return RUN_ALL_TESTS();
}
