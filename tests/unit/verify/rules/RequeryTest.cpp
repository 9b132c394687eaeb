#include "verify/rules/Requery.h"

#include "RulesTestSupport.h"

namespace zaitaku::rules
{
namespace
{

using test::d;

RequeryDecision decide(RequeryInput input)
{
    auto decision = requery(input);
    EXPECT_TRUE(decision.has_value());
    return decision.value_or(RequeryDecision{});
}

TEST(RequeryTest, ContinuingHomeCareBySameProviderMayRequery)
{
    // R7: first confirmed 2025-04-03 by card + PIN, visits every 2 weeks → 2025-05-01 allowed.
    const auto decision = decide({d("2025-04-03"), d("2025-05-01"), true, true, CareSetting::Home});
    EXPECT_TRUE(decision.allowed);
    EXPECT_EQ(decision.reason, RequeryReason::Allowed);
    EXPECT_TRUE(decision.reasons.empty());
    // §7: first visit 2025-06-10, revisits 2025-06-24 and 2025-07-08.
    EXPECT_TRUE(decide({d("2025-06-10"), d("2025-06-24"), true, true, CareSetting::Home}).allowed);
    EXPECT_TRUE(decide({d("2025-06-10"), d("2025-07-08"), true, true, CareSetting::Home}).allowed);
    EXPECT_TRUE(decide({d("2025-12-31"), d("2026-01-01"), true, true, CareSetting::Home}).allowed);
}

TEST(RequeryTest, BrokenContinuityMeansAFirstVisitAgain)
{
    // R7: admitted 2025-05-10 – 2025-06-20: continuity unclear (Q8), default [I]: do F1.
    const auto decision = decide({d("2025-04-03"), d("2025-06-27"), true, false, CareSetting::Home});
    EXPECT_FALSE(decision.allowed);
    EXPECT_EQ(decision.reason, RequeryReason::NotContinuous);
}

TEST(RequeryTest, EveryFailingConditionIsReported)
{
    const auto decision = decide({d("2023-10-01"), d("2023-11-15"), false, false, CareSetting::Outpatient});
    EXPECT_FALSE(decision.allowed);
    EXPECT_EQ(decision.reason, RequeryReason::NotHomeSetting);
    EXPECT_EQ(decision.reasons,
              (std::vector<RequeryReason>{RequeryReason::NotHomeSetting, RequeryReason::NotSameProvider,
                                          RequeryReason::NotContinuous, RequeryReason::BeforeRuleEffective}));
    EXPECT_EQ(decide({d("2025-04-03"), d("2025-05-01"), false, true, CareSetting::Home}).reason,
              RequeryReason::NotSameProvider);
}

TEST(RequeryTest, TheRuleAppliesFromDecember2023)
{
    EXPECT_FALSE(decide({d("2023-11-01"), d("2023-11-30"), true, true, CareSetting::Home}).allowed);
    EXPECT_TRUE(decide({d("2023-11-01"), d("2023-12-01"), true, true, CareSetting::Home}).allowed);
}

TEST(RequeryTest, RejectsAVisitBeforeTheFirstConfirmation)
{
    auto decision = requery({d("2025-06-10"), d("2025-06-09"), true, true, CareSetting::Home});
    ASSERT_FALSE(decision.has_value());
    EXPECT_EQ(decision.error().code, Errc::DateOrder);
    EXPECT_EQ(decision.error().field, "on");
}

} // namespace
} // namespace zaitaku::rules
