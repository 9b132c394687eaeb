#include "verify/rules/RuleService.h"

#include "base/Clock.h"
#include "support/RulesContract.h"
#include "verify/rules/RuleExplanation.h"

namespace zaitaku::rules
{
namespace
{

TEST(RuleServiceTest, EveryContractCaseHolds)
{
    const auto cases = test::loadRulesContract();
    ASSERT_GT(cases.size(), 50u);
    for (const auto& c : cases) {
        auto response = evaluateRuleText(c.requestText);
        test::expectContract(c, response ? 0 : 2, response ? *response : errorToJson(response.error()));
    }
}

TEST(RuleServiceTest, EveryRuleIsCoveredByTheContract)
{
    const auto cases = test::loadRulesContract();
    for (const auto& rule : ruleCatalogue()) {
        bool covered = false;
        for (const auto& c : cases) {
            covered = covered || (c.exitCode == 0 &&
                                  c.requestText.find("\"" + std::string(rule.name) + "\"") != std::string::npos);
        }
        EXPECT_TRUE(covered) << rule.name;
    }
}

TEST(RuleServiceTest, ResponsesEchoTheRule)
{
    auto response = evaluateRuleText(R"({"rule":"kouki_from","birthdate":"1950-09-20"})");
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->at("rule"), "kouki_from");
}

TEST(RuleServiceTest, MissingOnDefaultsToTheClockOnlyWhenAsked)
{
    const base::ManualClock clock(*base::Timestamp::parse("2025-07-07T16:00:00Z")); // 2025-07-08 in Japan
    const auto request = nlohmann::json{{"rule", "copay"}, {"birthdate", "1955-06-15"}};
    EXPECT_FALSE(evaluateRule(request).has_value());
    auto response = evaluateRule(request, RuleDefaults{&clock});
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->at("on"), "2025-07-08");
    EXPECT_EQ(response->at("copay_percent"), 20);
}

TEST(RuleServiceTest, ExplanationsAreBilingual)
{
    auto response = evaluateRuleText(R"({"rule":"copay","birthdate":"1955-06-15","on":"2025-07-08"})");
    ASSERT_TRUE(response.has_value());
    const std::string text = explainRule(*response);
    EXPECT_NE(text.find("負担割合: 2割"), std::string::npos) << text;
    EXPECT_NE(text.find("Copay: 20%"), std::string::npos) << text;
    for (const auto& rule : ruleCatalogue()) {
        // Every rule has its own wording, never the raw JSON fallback.
        const auto cases = test::loadRulesContract();
        for (const auto& c : cases) {
            auto r = evaluateRuleText(c.requestText);
            if (r && r->at("rule") == rule.name) {
                EXPECT_EQ(explainRule(*r).find("{\""), std::string::npos) << rule.name;
                break;
            }
        }
    }
}

} // namespace
} // namespace zaitaku::rules
