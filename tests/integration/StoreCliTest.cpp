// zaitaku-cli store, through the real binary: the operator's and the support engineer's view.

#include "support/StoreFixture.h"
#include "support/Subprocess.h"

#include <fstream>
#include <nlohmann/json.hpp>

namespace zaitaku::testing
{
namespace
{

using nlohmann::json;
using test::runProcess;

class StoreCliTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        dir = makeTempDir("zaitaku-store-cli");
        db = (dir / "s.db").string();
        write("pass", std::string(kTestPassphrase) + "\n");
        auto init = cli({"init", "--kdf-log-n", "10"});
        ASSERT_EQ(init.exitCode, 0) << init.err;
        recoveryCode = json::parse(init.out)["recovery_code"];
    }
    void TearDown() override { std::filesystem::remove_all(dir); }

    std::string write(const std::string& name, const std::string& content)
    {
        const auto p = (dir / name).string();
        std::ofstream(p, std::ios::binary) << content;
        std::filesystem::permissions(p, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        return p; // secret files are owner-only or refused
    }
    test::ProcessResult cli(std::vector<std::string> args, bool withDb = true)
    {
        std::vector<std::string> argv{ZAITAKU_CLI_PATH, "store"};
        argv.insert(argv.end(), args.begin(), args.end());
        if (withDb) {
            argv.insert(argv.end(), {"--db", db, "--passphrase-file", (dir / "pass").string()});
        }
        argv.push_back("--json");
        return runProcess(argv, "", std::chrono::seconds(60));
    }

    std::filesystem::path dir;
    std::string db;
    std::string recoveryCode;
};

TEST_F(StoreCliTest, InitPrintsTheRecoveryCodeOnceAndUnlockChecks)
{
    EXPECT_EQ(recoveryCode.size(), 39u);
    auto check = cli({"unlock-check"});
    ASSERT_EQ(check.exitCode, 0) << check.err;
    const auto j = json::parse(check.out);
    EXPECT_EQ(j["quick_check"], "ok");
    EXPECT_EQ(j["schema_version"], 6); // 6: staff accounts
    // The recovery code is not in the key file, the database or anything printed later.
    const std::string keyText = readAll(db + ".keys");
    EXPECT_EQ(keyText.find(recoveryCode), std::string::npos);
    EXPECT_EQ(check.out.find(recoveryCode), std::string::npos);
}

TEST_F(StoreCliTest, WrongPassphraseExitsOneWithACode)
{
    write("pass", "not it at all\n");
    auto r = cli({"stats"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(json::parse(r.out)["code"], "wrong_key");
}

TEST_F(StoreCliTest, APassphraseFileOthersCanReadIsRefused)
{
    // Security review L2: passphrase, recovery-code and PIN files were read at any mode.
    std::filesystem::permissions(dir / "pass", std::filesystem::perms::group_read | std::filesystem::perms::others_read,
                                 std::filesystem::perm_options::add);
    auto refused = cli({"unlock-check"});
    EXPECT_NE(refused.exitCode, 0);
    EXPECT_NE(refused.out.find("chmod"), std::string::npos) << refused.out;
    std::filesystem::permissions(dir / "pass",
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    EXPECT_EQ(cli({"unlock-check"}).exitCode, 0);
}

TEST_F(StoreCliTest, ImportPatientsReportsTheFieldAndWritesNothing)
{
    const auto bad = write("bad.json", R"([{"id":"p-1","name":"a","name_kana":"ア","birthdate":"1948-13-01",)"
                                       R"("insurer_number":"39131015","insured_symbol":"","insured_number":"1",)"
                                       R"("insured_branch":"00"}])");
    auto r = cli({"import-patients", bad});
    EXPECT_EQ(r.exitCode, 2);
    const auto j = json::parse(r.out);
    EXPECT_EQ(j["code"], "invalid_input");
    EXPECT_EQ(j["field"], "[0].birthdate");
    EXPECT_EQ(json::parse(cli({"stats"}).out)["rows"]["patient"], 0);

    const auto good = write("good.json", rosterJson("p-001"));
    auto ok = cli({"import-patients", good});
    ASSERT_EQ(ok.exitCode, 0) << ok.out << ok.err;
    EXPECT_EQ(json::parse(ok.out)["inserted"], 1);
    EXPECT_EQ(json::parse(cli({"stats"}).out)["rows"]["patient"], 1);
    auto audit = cli({"verify-audit"});
    EXPECT_EQ(audit.exitCode, 0);
    EXPECT_EQ(json::parse(audit.out)["rows"], 2);
}

TEST_F(StoreCliTest, PurgeDryRunChangesNothing)
{
    auto r = cli({"purge", "--dry-run", "--acked-age-days", "7"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto j = json::parse(r.out);
    EXPECT_EQ(j["dry_run"], true);
    EXPECT_EQ(j["acked_age_days"], 7);
    EXPECT_EQ(cli({"purge", "--acked-age-days", "x"}).exitCode, 2);
}

TEST_F(StoreCliTest, ExportIsSignedEncryptedAndOpensOnlyWithItsPassphrase)
{
    ASSERT_EQ(cli({"import-patients", write("good.json", rosterJson("p-001"))}).exitCode, 0);
    const auto handover = write("handover", "handover passphrase\n");
    const auto archive = (dir / "s.zexp").string();
    auto exported = cli({"export", "--out", archive, "--export-passphrase-file", handover, "--kdf-log-n", "10"});
    ASSERT_EQ(exported.exitCode, 0) << exported.out << exported.err;
    const std::string bytes = readAll(archive);
    EXPECT_EQ(bytes.rfind("ZAITAKU-STORE-EXPORT/1\n", 0), 0u);
    EXPECT_EQ(bytes.find("ヤマダ"), std::string::npos);

    auto verified = cli({"verify-export", archive, "--export-passphrase-file", handover}, false);
    ASSERT_EQ(verified.exitCode, 0) << verified.out;
    EXPECT_EQ(json::parse(verified.out)["rows"]["patient"], 1);

    auto wrong = cli({"verify-export", archive, "--export-passphrase-file", (dir / "pass").string()}, false);
    EXPECT_EQ(json::parse(wrong.out)["code"], "wrong_key");

    std::string tampered = bytes;
    tampered[tampered.size() - 10] ^= 0x01;
    auto bad = cli({"verify-export", write("t.zexp", tampered)}, false);
    EXPECT_EQ(bad.exitCode, 1);
    EXPECT_EQ(json::parse(bad.out)["code"], "signature_invalid");
}

TEST_F(StoreCliTest, RecoveryCodeSetsANewPassphrase)
{
    write("code", recoveryCode + "\n");
    write("new", "a brand new passphrase\n");
    auto r = runProcess({ZAITAKU_CLI_PATH, "store", "change-passphrase", "--db", db, "--recovery-code-file",
                         (dir / "code").string(), "--new-passphrase-file", (dir / "new").string(), "--kdf-log-n", "10",
                         "--json"},
                        "");
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    write("pass", "a brand new passphrase\n");
    EXPECT_EQ(cli({"unlock-check"}).exitCode, 0);
}

TEST_F(StoreCliTest, UsageErrorsExitTwo)
{
    EXPECT_EQ(runProcess({ZAITAKU_CLI_PATH, "store", "stats"}, "").exitCode, 2); // no --db
    EXPECT_EQ(cli({"frobnicate"}).exitCode, 2);
    EXPECT_EQ(cli({"stats", "--bogus"}).exitCode, 2);
    auto help = runProcess({ZAITAKU_CLI_PATH, "store", "--help"}, "");
    EXPECT_EQ(help.exitCode, 0);
    EXPECT_NE(help.out.find("import-patients"), std::string::npos);
}

} // namespace
} // namespace zaitaku::testing
