// The rules contract through the real zaitaku-cli binary: stdin, stdout, exit codes.

#include "support/RulesContract.h"
#include "support/Subprocess.h"

namespace zaitaku::test
{
namespace
{

TEST(CliProcessTest, RulesContractHoldsThroughTheBinary)
{
    for (const auto& c : loadRulesContract()) {
        const ProcessResult r = runProcess({ZAITAKU_CLI_PATH, "rules"}, c.requestText);
        ASSERT_FALSE(r.timedOut) << c.name;
        EXPECT_TRUE(r.err.empty()) << c.name << ": " << r.err;
        // Exactly one JSON object on one line.
        ASSERT_FALSE(r.out.empty()) << c.name;
        EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << c.name;
        expectContract(c, r.exitCode, nlohmann::json::parse(r.out, nullptr, false));
    }
}

TEST(CliProcessTest, HumanFormPrintsTheExplanation)
{
    const ProcessResult r =
        runProcess({ZAITAKU_CLI_PATH, "rules", "copay", "--birthdate", "1955-06-15", "--on", "2025-07-08"}, "");
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("2割"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("20%"), std::string::npos) << r.out;
}

TEST(CliProcessTest, GarbageOnStdinIsAJsonError)
{
    const std::string binary("\x00\xff\xfe{\"rule\"", 9);
    const ProcessResult r = runProcess({ZAITAKU_CLI_PATH, "rules"}, binary);
    EXPECT_EQ(r.exitCode, 2);
    const auto response = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_TRUE(response.is_object()) << r.out;
    EXPECT_TRUE(response.contains("error"));
}

} // namespace
} // namespace zaitaku::test
