// POST /v1/medinfo's messages (issue 33): a history survives the wire as typed JSON, and anything
// outside the schema is refused naming the field.

#include "sync/protocol/MedicalInfoMessages.h"

#include <gtest/gtest.h>

namespace zaitaku::sync::protocol
{
namespace
{

MedicalInfoItem medicationItem()
{
    model::MedicationHistory h;
    h.subject = {"在宅　花子", "ｻﾞｲﾀｸ ﾊﾅｺ", base::Date::parse("1955-06-15").value(), "2"};
    model::DrugEvent e;
    e.source = model::DrugSource::Prescription;
    e.month = "202612";
    e.facilityName = "中央総合病院";
    e.date = base::Date::parse("2026-12-02").value();
    e.drugs.push_back(
        {"SIM0002", "ノルバスク錠5mg", "アムロジピンベシル酸塩", "1", "錠", "1日1回朝食後", "", "28", ""});
    h.events.push_back(e);
    MedicalInfoItem item;
    item.kind = model::ConsentKind::Pharmacy;
    item.fetchedAt = base::Timestamp::parse("2026-12-06T10:00:00+09:00").value();
    item.viewUntil = base::Timestamp::parse("2026-12-07T10:00:00+09:00").value();
    item.basis = "consent_plus_24h";
    item.medication = h;
    return item;
}

TEST(MedicalInfoMessages, AnAnswerWithAHistoryReadsBackAsSent)
{
    MedicalInfoAnswer answer{true, "available", "", {medicationItem()}, std::string("job-1")};
    model::CheckupHistory checkups;
    checkups.checkups.push_back(
        {base::Date::parse("2026-11-06").value(), {{"c", "収縮期血圧", "PQ", "138", "mmHg", "", ""}}});
    MedicalInfoItem second = medicationItem();
    second.kind = model::ConsentKind::Checkup;
    second.medication.reset();
    second.checkups = checkups;
    answer.items.push_back(second);
    auto back = parseMedicalInfoAnswer(toJson(answer).dump());
    ASSERT_TRUE(back) << back.error().message;
    ASSERT_EQ(back->items.size(), 2u);
    EXPECT_EQ(back->items[0].medication, answer.items[0].medication);
    EXPECT_EQ(back->items[1].checkups, checkups);
    EXPECT_EQ(back->jobId, "job-1");
    EXPECT_EQ(back->items[0].viewUntil.utc(), answer.items[0].viewUntil.utc());
}

TEST(MedicalInfoMessages, UnknownFieldsWrongKindsAndBadDatesAreRefusedByPath)
{
    auto json = toJson(MedicalInfoAnswer{true, "available", "", {medicationItem()}, std::nullopt});
    auto withExtra = json;
    withExtra["items"][0]["medication"]["events"][0]["drugs"][0]["dose_per_kg"] = "1";
    auto refused = parseMedicalInfoAnswer(withExtra.dump());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().field, "items[0].medication.events[0].drugs[0].dose_per_kg");
    auto badDate = json;
    badDate["items"][0]["medication"]["events"][0]["date"] = "2026-13-01";
    EXPECT_EQ(parseMedicalInfoAnswer(badDate.dump()).error().field, "items[0].medication.events[0].date");
    auto badKind = json;
    badKind["items"][0]["kind"] = "limit";
    EXPECT_EQ(parseMedicalInfoAnswer(badKind.dump()).error().field, "items[0].kind");
    auto empty = json;
    empty["items"][0]["medication"] = nullptr;
    EXPECT_FALSE(parseMedicalInfoAnswer(empty.dump()));
    EXPECT_FALSE(parseMedicalInfoQuery(R"({"patient_id":"p","service_kind":"oushin"})")); // who reads is required
    EXPECT_TRUE(parseMedicalInfoQuery(R"({"patient_id":"p","service_kind":"oushin","staff_id":"n"})"));
}

} // namespace
} // namespace zaitaku::sync::protocol
