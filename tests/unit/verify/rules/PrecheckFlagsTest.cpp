// The route pre-check's flags over a typed result: the gateway's answer and the tablet's route from
// its cache apply this one rule.

#include "verify/rules/PrecheckFlags.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace zaitaku::rules
{
namespace
{

model::EligibilitySnapshot confirmed()
{
    model::EligibilitySnapshot s;
    s.segmentOfResult = model::SegmentOfResult::Normal;
    s.processingResultStatus = model::ProcessingResultStatus::Normal;
    s.qualificationValidity = model::QualificationValidity::Valid;
    return s;
}

TEST(PrecheckFlagsTest, FlagsWhatTheNurseMustKnow)
{
    const auto day = base::Date::parse("2026-11-21").value();
    EXPECT_EQ(precheckFlags(nullptr, std::nullopt, day), std::vector<std::string>{"no_result"});
    auto s = confirmed();
    s.qualificationValidity = model::QualificationValidity::Invalid;
    s.name = "山田 ●子";
    s.birthdate = base::Date::parse("1956-12-10").value(); // 70 on 2026-12-10 → 高齢受給者 from 2027-01-01
    const auto flags = precheckFlags(&s, base::Date::parse("2026-10-01").value(), day);
    const std::vector<std::string> expected{"eligibility_lost", "name_placeholder", "result_stale"};
    for (const auto& f : expected) {
        EXPECT_NE(std::find(flags.begin(), flags.end(), f), flags.end()) << f;
    }
    s.qualificationValidity = model::QualificationValidity::Valid;
    s.name = "山田 花子";
    s.birthdate = base::Date::parse("1956-11-25").value(); // 70 on 2026-11-25: elderly from 2026-12-01
    EXPECT_EQ(precheckFlags(&s, day, day), std::vector<std::string>{"copay_change_70"});
}

} // namespace
} // namespace zaitaku::rules
