#include "ui/cli/Cli.h"

#include "base/Clock.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include <gtest/gtest.h>

namespace zaitaku::cli
{
namespace
{

struct CliRun
{
    int code;
    std::string out;
    std::string err;
};

CliRun run(const Args& args, const std::string& stdinText = "", const char* now = "2025-07-08T09:00:00+09:00")
{
    std::istringstream in(stdinText);
    std::ostringstream out;
    std::ostringstream err;
    const base::ManualClock clock(*base::Timestamp::parse(now));
    CliContext ctx{in, out, err, clock, {}, false};
    const int code = runCli(args, ctx);
    return {code, out.str(), err.str()};
}

TEST(CliTest, RulesReadsJsonFromStdin)
{
    const CliRun r = run({"rules"}, R"({"rule":"copay","birthdate":"1955-06-15","on":"2025-07-08"})");
    EXPECT_EQ(r.code, 0);
    const auto response = nlohmann::json::parse(r.out);
    EXPECT_EQ(response.at("copay_percent"), 20);
    EXPECT_EQ(response.at("basis"), "elderly_70_74");
}

TEST(CliTest, TheFallbackDocumentRuleAnswersAcceptedAndItsReasons)
{
    // An expired 資格確認書 and a portal screen without the card, as a clerk would ask from outside.
    const CliRun expired = run(
        {"rules"}, R"({"rule":"fallback-document","kind":"shikaku_kakuninsho","on":"2026-12-03",)"
                   R"("fields":{"insurer_number":"06131234","birthdate":"1960-04-10","valid_until":"2026-07-31"}})");
    ASSERT_EQ(expired.code, 0) << expired.out;
    const auto e = nlohmann::json::parse(expired.out);
    EXPECT_EQ(e["accepted"], false);
    EXPECT_EQ(e["reasons"][0]["code"], "expired");
    const CliRun screen = run({"rules"}, R"({"rule":"fallback-document","kind":"mynaportal_screen","on":"2026-12-03",)"
                                         R"("fields":{"name":"在宅 花子"},"card_presented":false})");
    EXPECT_EQ(nlohmann::json::parse(screen.out)["reasons"][0]["code"], "needs_card");
    const CliRun ok = run({"rules", "fallback-document", "--kind", "shikaku_kakuninsho", "--on", "2026-12-03",
                           "--fields", R"({"valid_until":"2027-07-31","birthdate":"1960-04-10"})"});
    EXPECT_EQ(ok.code, 0) << ok.err;
    EXPECT_NE(ok.out.find("確認できます"), std::string::npos) << ok.out;
    const CliRun wrong = run({"rules"}, R"({"rule":"fallback-document","kind":"fax","on":"2026-12-03","fields":{}})");
    EXPECT_EQ(wrong.code, 2);
    const CliRun notText = run({"rules"}, R"({"rule":"fallback-document","kind":"paper_card","fields":{"a":1}})");
    EXPECT_EQ(nlohmann::json::parse(notText.out)["field"], "fields.a");
}

// Issue 28, item 5: a 後期高齢者医療 資格確認書 of a member aged 70–74 (障害認定, seed 004) is accepted
// within its dates.
TEST(CliTest, TheFallbackDocumentRuleAcceptsAKoukiDocumentOfAMemberUnderSeventyFive)
{
    const CliRun kouki = run({"rules"}, R"({"rule":"fallback-document","kind":"shikaku_kakuninsho","on":"2026-12-03",)"
                                        R"("fields":{"insurer_number":"39131015","birthdate":"1954-05-20",)"
                                        R"("valid_from":"2024-08-01","valid_until":"2027-07-31"}})");
    ASSERT_EQ(kouki.code, 0) << kouki.out;
    EXPECT_EQ(nlohmann::json::parse(kouki.out)["accepted"], true) << kouki.out;
}

// Issue 28, item 9: a birthdate whose thresholds cannot be represented is exit 2, not an abort.
TEST(CliTest, AFarFutureBirthdateIsAnInputErrorNotACrash)
{
    for (const char* birth : {"2125-01-01", "2130-06-15", "2194-04-01", "2199-12-31"}) {
        SCOPED_TRACE(birth);
        const CliRun copay =
            run({"rules"}, std::string(R"({"rule":"copay","on":"2025-07-08","birthdate":")") + birth + R"("})");
        EXPECT_EQ(copay.code, 2) << copay.out;
        EXPECT_EQ(nlohmann::json::parse(copay.out).value("field", ""), "birthdate") << copay.out;
    }
    const CliRun last = run({"rules"}, R"({"rule":"copay","on":"2130-01-01","birthdate":"2123-12-31"})");
    EXPECT_EQ(last.code, 0) << last.out;
}

// Issue 28, item 9: the card request carries the patient's 限度額 answer as chosen (it used to say
// 1 whatever was chosen), and without one it is an input error.
TEST(CliTest, TheCardRequestSendsTheLimitAnswerAsChosen)
{
    const std::string dir = ::testing::TempDir();
    const std::string der = dir + "/zaitaku-cli-test-cert.der";
    const std::string spec = dir + "/zaitaku-cli-test-card.json";
    {
        std::ofstream(der, std::ios::binary) << std::string("\x30\x03\x02\x01\x01", 5);
    }
    for (const char* answer : {"0", "1"}) {
        SCOPED_TRACE(answer);
        std::ofstream(spec) << R"({"interface":"card","medical_institution_code":"1312345678","date":"2025-07-08",)"
                            << R"("certificate_file":")" << der
                            << R"(","limit_application_certificate_related_cons_flg":")" << answer << R"("})";
        const CliRun built = run({"oqs", "build-request", "--from", spec, "--encoding", "utf-8"});
        ASSERT_EQ(built.code, 0) << built.err << built.out;
        EXPECT_NE(built.out.find(std::string("<LimitApplicationCertificateRelatedConsFlg>") + answer + "<"),
                  std::string::npos)
            << built.out;
    }
    std::ofstream(spec) << R"({"interface":"card","medical_institution_code":"1312345678","date":"2025-07-08",)"
                        << R"("certificate_file":")" << der << R"("})";
    const CliRun unanswered = run({"oqs", "build-request", "--from", spec, "--json"});
    EXPECT_EQ(unanswered.code, 2) << unanswered.out;
    std::remove(der.c_str());
    std::remove(spec.c_str());
}

TEST(CliTest, BadJsonRequestIsAJsonErrorWithExitTwo)
{
    const CliRun r = run({"rules"}, R"({"rule":"copay","birthdate":"1955-06-15","on":"2025-02-30"})");
    EXPECT_EQ(r.code, 2);
    const auto response = nlohmann::json::parse(r.out);
    EXPECT_EQ(response.at("field"), "on");
    EXPECT_NE(response.at("error").get<std::string>().find("2025-02-30"), std::string::npos);
}

TEST(CliTest, OversizedRequestIsRejected)
{
    const CliRun r = run({"rules"}, std::string(2 << 20, ' '));
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.out.find("exceeds"), std::string::npos);
}

TEST(CliTest, HumanFormExplainsInJapaneseAndEnglish)
{
    const CliRun r = run({"rules", "copay", "--birthdate", "1955-06-15", "--on", "2025-07-08"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("負担割合: 2割"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Copay: 20%"), std::string::npos) << r.out;
}

TEST(CliTest, HumanFormAcceptsDashedFlagsTypedValuesAndDefaultsOnToToday)
{
    const CliRun r = run({"rules", "copay", "--birthdate", "1950-09-20", "--kouki-percent", "20", "--json"}, "",
                         "2025-09-20T08:00:00+09:00");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto response = nlohmann::json::parse(r.out);
    EXPECT_EQ(response.at("on"), "2025-09-20");
    EXPECT_EQ(response.at("copay_percent"), 20);
    EXPECT_EQ(response.at("basis"), "kouki");
    const CliRun requery = run({"rules", "requery", "--first-online-confirm", "2025-06-10", "--same-provider", "true",
                                "--continuous", "false", "--setting", "home", "--json"});
    ASSERT_EQ(requery.code, 0) << requery.err;
    EXPECT_EQ(nlohmann::json::parse(requery.out).at("reason"), "not_continuous");
}

TEST(CliTest, HumanFormErrorsGoToStderrWithExitTwo)
{
    const CliRun unknown = run({"rules", "discount"});
    EXPECT_EQ(unknown.code, 2);
    EXPECT_NE(unknown.err.find("unknown rule"), std::string::npos);
    const CliRun missingValue = run({"rules", "copay", "--birthdate"});
    EXPECT_EQ(missingValue.code, 2);
    const CliRun bad = run({"rules", "copay", "--birthdate", "1955-13-01"});
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.err.find("birthdate"), std::string::npos);
}

// `rules` and `demo` parse their options with the grammar every command shares (architecture step
// 2 removed their hand-written loops): the same messages and exit codes.
TEST(CliTest, RulesAndDemoParseOptionsWithTheSharedGrammar)
{
    const CliRun missingValue = run({"rules", "copay", "--birthdate"});
    EXPECT_EQ(missingValue.err, "zaitaku-cli rules: --birthdate needs a value\n");
    const CliRun stray = run({"rules", "copay", "1955-06-15"});
    EXPECT_EQ(stray.code, 2);
    EXPECT_EQ(stray.err, "zaitaku-cli rules: unexpected argument '1955-06-15'\n");
    const CliRun bareDashes = run({"rules", "copay", "--", "x"});
    EXPECT_EQ(bareDashes.code, 2) << "'--' names no field";
    const CliRun demo = run({"demo", "--bogus"});
    EXPECT_EQ(demo.code, 2);
    EXPECT_EQ(demo.err, "zaitaku-cli demo: unknown option '--bogus'\n");
    const CliRun caWithoutFile = run({"demo", "--jpki-ca"});
    EXPECT_EQ(caWithoutFile.code, 2);
    EXPECT_EQ(caWithoutFile.err, "zaitaku-cli demo: --jpki-ca needs a value\n");
}

TEST(CliTest, EveryCommandHasHelp)
{
    for (const Args& args : {Args{"--help"}, Args{"rules", "--help"}, Args{"rules", "copay", "--help"},
                             Args{"demo", "--help"}, Args{"enroll", "--help"}, Args{"sync", "--help"},
                             Args{"sync-status", "--help"}, Args{"precheck", "--help"}}) {
        const CliRun r = run(args);
        EXPECT_EQ(r.code, 0);
        EXPECT_NE(r.out.find("usage"), std::string::npos);
    }
    EXPECT_EQ(run({}).code, 2);
    EXPECT_EQ(run({"frobnicate"}).code, 2);
}

// The preamble the sub-command programs share (parseSubcommand): usage on stderr and exit 2 without
// arguments, usage on stdout and exit 0 for --help before or after the sub-command, exit 2 for an
// unknown option, all before anything is opened.
TEST(CliTest, SubcommandProgramsShareUsageHelpAndOptionErrors)
{
    for (const std::string command : {"card", "custody", "face", "store", "visit"}) {
        const CliRun bare = run({command});
        EXPECT_EQ(bare.code, 2) << command;
        EXPECT_TRUE(bare.out.empty()) << command;
        EXPECT_NE(bare.err.find("usage"), std::string::npos) << command;
        for (const Args& help : {Args{command, "--help"}, Args{command, "anything", "--help"}}) {
            const CliRun r = run(help);
            EXPECT_EQ(r.code, 0) << command;
            EXPECT_NE(r.out.find("usage"), std::string::npos) << command;
        }
        const CliRun unknown = run({command, "anything", "--no-such-option"});
        EXPECT_EQ(unknown.code, 2) << command;
        EXPECT_NE(unknown.err.find("unknown option '--no-such-option'"), std::string::npos) << command;
    }
}

TEST(CliTest, DemoWalksTheWorkedExample)
{
    const CliRun r = run({"demo"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("負担割合: 3割"), std::string::npos);
    EXPECT_NE(r.out.find("負担割合: 2割"), std::string::npos);
    EXPECT_NE(r.out.find("再照会できます"), std::string::npos);
    EXPECT_NE(r.out.find("grace period until 2025-11-30"), std::string::npos);
    EXPECT_NE(r.out.find("demo complete"), std::string::npos);
    const CliRun noReader = run({"demo", "--card"}); // no reader backend in this context
    EXPECT_EQ(noReader.code, 1);
}

TEST(CliTest, VisitFormPrintsTheFallbackFormWithoutAStore)
{
    const CliRun r = run({"visit", "form", "--fallback", "moushitatesho", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto form = nlohmann::json::parse(r.out);
    EXPECT_EQ(form.at("title"), "被保険者資格申立書");
    const auto& first = form.at("fields").at(0);
    EXPECT_EQ(first.at("key"), "has_valid_qualification");
    EXPECT_TRUE(first.at("required").get<bool>());
    EXPECT_EQ(first.at("choices").at(0).at("label"), "はい");
    const CliRun text = run({"visit", "form", "--fallback", "shikaku_kakuninsho"});
    EXPECT_NE(text.out.find("有効期限（必須）  [valid_until]"), std::string::npos) << text.out;
    const CliRun unknown = run({"visit", "form", "--fallback", "hokensho", "--json"});
    EXPECT_EQ(unknown.code, 2);
    EXPECT_EQ(nlohmann::json::parse(unknown.out).at("field"), "fallback");
}

} // namespace
} // namespace zaitaku::cli
