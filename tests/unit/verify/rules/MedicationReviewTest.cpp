// What the お薬・健診 view warns about (issue 33): the same ingredient from two prescribers in
// overlapping periods, a dose change (and whether since the last visit), and checkup values outside
// the 保健指導判定値.

#include "verify/rules/MedicationReview.h"

#include "verify/rules/CheckupRanges.h"

#include <gtest/gtest.h>

namespace zaitaku::rules
{
namespace
{

base::Date d(const char* iso)
{
    return *base::Date::parse(iso);
}

model::DrugEvent dispensing(const char* date, const char* prescriber, model::Drug drug)
{
    model::DrugEvent e;
    e.date = d(date);
    e.prescriberCode = prescriber;
    e.prescriberName = std::string(prescriber) + "医院";
    e.facilityCode = "P1";
    e.drugs.push_back(std::move(drug));
    return e;
}

model::Drug drug(const char* code, const char* ingredient, const char* quantity, const char* days)
{
    return model::Drug{code, std::string(code) + "錠", ingredient, quantity, "錠", "1日1回朝食後", "", days, ""};
}

TEST(MedicationReview, TheSameIngredientFromTwoPrescribersOverlappingIsFlaggedWithTheOverlap)
{
    model::MedicationHistory h;
    h.events.push_back(dispensing("2026-11-01", "A", drug("X1", "アムロジピン", "1", "28")));
    h.events.push_back(dispensing("2026-11-20", "B", drug("X2", "アムロジピン", "1", "14")));
    auto review = reviewMedication(h, std::nullopt);
    ASSERT_EQ(review.overlaps.size(), 1u);
    EXPECT_EQ(review.overlaps[0].ingredient, "アムロジピン");
    EXPECT_EQ(review.overlaps[0].from, d("2026-11-20"));
    EXPECT_EQ(review.overlaps[0].to, d("2026-11-28")); // A's 28 days end then
    EXPECT_EQ(review.overlaps[0].prescribers, (std::vector<std::string>{"A医院", "B医院"}));
}

TEST(MedicationReview, BackToBackSuppliesSamePrescriberAndOtherIngredientsAreNotDuplicates)
{
    model::MedicationHistory h;
    h.events.push_back(dispensing("2026-11-01", "A", drug("X1", "アムロジピン", "1", "28")));
    h.events.push_back(dispensing("2026-11-29", "B", drug("X2", "アムロジピン", "1", "28"))); // the day after
    h.events.push_back(dispensing("2026-10-04", "A", drug("X1", "アムロジピン", "1", "28"))); // same prescriber
    h.events.push_back(dispensing("2026-11-10", "C", drug("Y1", "メトホルミン", "1", "28")));
    EXPECT_TRUE(reviewMedication(h, std::nullopt).overlaps.empty());
}

TEST(MedicationReview, ADoseChangeIsTheLatestPerDrugAndSaysWhetherItCameSinceTheLastVisit)
{
    model::MedicationHistory h;
    h.events.push_back(dispensing("2026-09-01", "A", drug("M", "メトホルミン", "1", "28")));
    h.events.push_back(dispensing("2026-09-29", "A", drug("M", "メトホルミン", "1", "28")));
    h.events.push_back(dispensing("2026-10-27", "A", drug("M", "メトホルミン", "2", "28")));
    h.events.push_back(dispensing("2026-11-24", "A", drug("M", "メトホルミン", "2", "28")));
    auto before = reviewMedication(h, d("2026-10-01"));
    ASSERT_EQ(before.doseChanges.size(), 1u);
    EXPECT_EQ(before.doseChanges[0].before, "1錠 1日1回朝食後");
    EXPECT_EQ(before.doseChanges[0].after, "2錠 1日1回朝食後");
    EXPECT_EQ(before.doseChanges[0].changedOn, d("2026-10-27"));
    EXPECT_EQ(before.doseChanges[0].previousOn, d("2026-09-29"));
    EXPECT_TRUE(before.doseChanges[0].sinceLastVisit);
    EXPECT_FALSE(reviewMedication(h, d("2026-11-01")).doseChanges[0].sinceLastVisit);
}

TEST(MedicationReview, UnreadableDaysCountAsOneDayAndAreCapped)
{
    model::MedicationHistory h;
    h.events.push_back(dispensing("2026-11-01", "A", drug("X1", "I", "1", "頓用")));
    h.events.push_back(dispensing("2026-11-02", "B", drug("X2", "I", "1", "1")));
    EXPECT_TRUE(reviewMedication(h, std::nullopt).overlaps.empty()); // 11-01 covers one day only
    h.events.push_back(dispensing("2026-01-01", "C", drug("X3", "I", "1", "9999")));
    auto review = reviewMedication(h, std::nullopt);
    ASSERT_EQ(review.overlaps.size(), 0u); // 90 days at most: C ends 2026-03-31
}

model::CheckupItem item(const char* name, const char* value, const char* unit = "")
{
    model::CheckupItem i;
    i.name = name;
    i.value = value;
    i.unit = unit;
    return i;
}

TEST(CheckupRanges, ValuesOutsideTheGuidanceLimitsAreMarkedAtTheirEdges)
{
    EXPECT_FALSE(checkupMark(item("収縮期血圧", "129", "mmHg"), "1"));
    auto high = checkupMark(item("収縮期血圧", "130", "mmHg"), "1");
    ASSERT_TRUE(high);
    EXPECT_TRUE(high->high);
    EXPECT_EQ(high->limit, "≥130 mmHg");
    auto low = checkupMark(item("HDLコレステロール", "39", "mg/dL"), "2");
    ASSERT_TRUE(low);
    EXPECT_FALSE(low->high);
    EXPECT_FALSE(checkupMark(item("HDLコレステロール", "40"), "2"));
    EXPECT_TRUE(checkupMark(item("LDLコレステロール", "120"), "2")); // not taken for HDL's limit
    EXPECT_EQ(checkupMark(item("HbA1c（NGSP）", "5.6", "%"), "2")->limit, "≥5.6 %");
}

TEST(CheckupRanges, WaistDependsOnSexAndUnknownItemsOrTextAreNeverMarked)
{
    EXPECT_TRUE(checkupMark(item("腹囲", "86"), "1"));
    EXPECT_FALSE(checkupMark(item("腹囲", "86"), "2"));
    EXPECT_TRUE(checkupMark(item("腹囲", "90"), "2"));
    EXPECT_FALSE(checkupMark(item("腹囲", "120"), "")); // sex unknown: no guess
    EXPECT_FALSE(checkupMark(item("尿蛋白", "2"), "1"));
    EXPECT_FALSE(checkupMark(item("収縮期血圧", "高い"), "1"));
}

} // namespace
} // namespace zaitaku::rules
