// The 薬剤・特定健診 result codec (issue 33): the hand-written samples in both encodings, what is read
// from every block kind, round trips through the writer, refusals, and the simulator's answers.

#include "sync/oqs/MedicalInfoResults.h"

#include "sync/oqs/OqsInterface.h"
#include "sync/oqs/OqsRequests.h"
#include "sync/oqs/OqsSimulator.h"
#include "sync/oqs/SyntheticMedicalHistory.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace zaitaku::sync::oqs
{
namespace
{

const std::filesystem::path kData = ZAITAKU_TEST_DATA_DIR "/oqs/medinfo";

std::string readFile(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

base::Date d(const char* iso)
{
    return *base::Date::parse(iso);
}

class DrugSample : public ::testing::TestWithParam<const char*>
{};

TEST_P(DrugSample, EveryBlockKindIsReadWithItsFacilityDatesAndDrugs)
{
    auto file = parseMedicalInfoResult(readFile(kData / GetParam()), MedicalInfoKind::Drugs);
    ASSERT_TRUE(file) << file.error().message;
    EXPECT_TRUE(file->succeeded());
    EXPECT_TRUE(file->unknownTags.empty()) << file->unknownTags.front();
    EXPECT_TRUE(file->warnings.empty()) << file->warnings.front();
    EXPECT_EQ(file->medication.subject.name, "在宅　花子");
    EXPECT_EQ(file->medication.subject.birthdate, d("1955-06-15"));
    ASSERT_EQ(file->medication.events.size(), 3u);
    const auto& medical = file->medication.events[0];
    EXPECT_EQ(medical.source, model::DrugSource::Medical);
    EXPECT_EQ(medical.facilityName, "中央総合病院（シミュレーター）");
    EXPECT_EQ(medical.date, d("2026-11-04"));
    ASSERT_EQ(medical.drugs.size(), 1u);
    EXPECT_EQ(medical.drugs[0].usageClass, "2"); // MeTrIdCl: the 診療 block's own spelling
    const auto& dispensing = file->medication.events[1];
    EXPECT_EQ(dispensing.source, model::DrugSource::Dispensing);
    EXPECT_EQ(dispensing.prescriberName, "在宅医療クリニック（シミュレーター）");
    EXPECT_EQ(dispensing.prescribedDate, d("2026-11-07"));
    ASSERT_EQ(dispensing.drugs.size(), 2u);
    EXPECT_EQ(dispensing.drugs[1].name, "メトホルミン塩酸塩錠250mg");
    EXPECT_EQ(dispensing.drugs[1].quantity, "2");
    EXPECT_EQ(dispensing.drugs[1].specialInstruction, "一包化");
    EXPECT_EQ(dispensing.drugs[1].times, "28");
    const auto& prescription = file->medication.events[2];
    EXPECT_EQ(prescription.source, model::DrugSource::Prescription);
    EXPECT_EQ(prescription.date, d("2026-12-02"));
    EXPECT_EQ(prescription.prescribedDate, prescription.date); // 処方 has one date
    EXPECT_EQ(prescription.drugs.at(0).ingredient, "アムロジピンベシル酸塩");
}

INSTANTIATE_TEST_SUITE_P(BothEncodings, DrugSample, ::testing::Values("drug-utf8.xml", "drug-sjis.xml"));

TEST(MedicalInfoResults, TheCheckupSampleIsReadInBothEncodings)
{
    for (const char* name : {"checkup-utf8.xml", "checkup-sjis.xml"}) {
        auto file = parseMedicalInfoResult(readFile(kData / name), MedicalInfoKind::Checkups);
        ASSERT_TRUE(file) << name << ": " << file.error().message;
        EXPECT_TRUE(file->unknownTags.empty()) << name;
        EXPECT_EQ(file->checkups.subject.kanaName, "ｻﾞｲﾀｸ ﾊﾅｺ");
        EXPECT_EQ(file->checkups.subject.sexCode, "2");
        ASSERT_EQ(file->checkups.checkups.size(), 2u);
        EXPECT_EQ(file->checkups.checkups[0].date, d("2026-11-06"));
        ASSERT_EQ(file->checkups.checkups[0].items.size(), 3u);
        EXPECT_EQ(file->checkups.checkups[0].items[2].valueName, "いいえ");
        EXPECT_EQ(file->checkups.checkups[0].items[2].oid, "SIM.1.2.3");
    }
}

TEST(MedicalInfoResults, WhatTheWriterWritesReadsBackTheSameInBothEncodings)
{
    auto drugs = parseMedicalInfoResult(readFile(kData / "drug-utf8.xml"), MedicalInfoKind::Drugs);
    auto checkups = parseMedicalInfoResult(readFile(kData / "checkup-utf8.xml"), MedicalInfoKind::Checkups);
    ASSERT_TRUE(drugs && checkups);
    for (auto encoding : {TextEncoding::Utf8, TextEncoding::ShiftJis}) {
        for (const auto* original : {&*drugs, &*checkups}) {
            auto bytes = buildMedicalInfoResult(*original, encoding);
            ASSERT_TRUE(bytes) << bytes.error().message;
            auto back = parseMedicalInfoResult(*bytes, original->kind);
            ASSERT_TRUE(back) << back.error().message;
            EXPECT_EQ(back->encoding, encoding);
            EXPECT_EQ(back->medication, original->medication);
            EXPECT_EQ(back->checkups, original->checkups);
            EXPECT_EQ(back->resultCode, "1");
        }
    }
}

TEST(MedicalInfoResults, UnknownTagsAreListedAndBadDatesWarnedNeverGuessed)
{
    std::string xml = readFile(kData / "drug-utf8.xml");
    xml.replace(xml.find("<CzDiDate>20261108</CzDiDate>"), 29, "<CzDiDate>2026-13-08</CzDiDate><CzNew>x</CzNew>");
    auto file = parseMedicalInfoResult(xml, MedicalInfoKind::Drugs);
    ASSERT_TRUE(file) << file.error().message;
    ASSERT_EQ(file->unknownTags.size(), 1u) << testing::PrintToString(file->unknownTags);
    EXPECT_NE(file->unknownTags[0].find("CzDiDateInf/CzNew"), std::string::npos) << file->unknownTags[0];
    ASSERT_EQ(file->warnings.size(), 1u);
    EXPECT_NE(file->warnings[0].find("CzDiDate"), std::string::npos) << file->warnings[0];
    EXPECT_FALSE(file->medication.events[1].date); // empty, not a guessed date
}

TEST(MedicalInfoResults, AFileWithoutResultCodeIsRefusedAndAFailureCarriesItsMessage)
{
    auto none = parseMedicalInfoResult("<XmlMsg><MessageHeader/><MessageBody/></XmlMsg>", MedicalInfoKind::Drugs);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, Errc::XmlMalformed);
    EXPECT_EQ(none.error().field, "ResultCode");
    auto other = parseMedicalInfoResult("<Other/>", MedicalInfoKind::Checkups);
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, Errc::XmlMalformed);
    auto refused = parseMedicalInfoResult(
        "<XmlMsg><MessageHeader><ResultCode>2</ResultCode><MessageContents>対象者なし</MessageContents>"
        "</MessageHeader><MessageBody/></XmlMsg>",
        MedicalInfoKind::Drugs);
    ASSERT_TRUE(refused) << refused.error().message;
    EXPECT_FALSE(refused->succeeded());
    EXPECT_EQ(refused->messageContents, "対象者なし");
}

TEST(SyntheticMedicalHistory, RegimensBecomeDispensingsWithTheDoseChangeAndTheSecondFacility)
{
    auto medical = parseSimMedical("demo");
    ASSERT_TRUE(medical) << medical.error().message;
    const auto to = d("2026-12-06");
    auto history = synthesizeMedication(*medical, d("2023-12-06"), to);
    ASSERT_GT(history.events.size(), 60u);
    std::set<std::string> prescribers;
    std::set<std::string> metformin;
    for (const auto& e : history.events) {
        EXPECT_TRUE(e.date && *e.date >= d("2023-12-06") && *e.date <= to);
        prescribers.insert(e.prescriberCode);
        for (const auto& drug : e.drugs) {
            if (drug.ingredient == "メトホルミン塩酸塩") {
                metformin.insert(drug.quantity);
            }
        }
    }
    EXPECT_EQ(prescribers.size(), 2u);
    EXPECT_EQ(metformin, (std::set<std::string>{"1", "2"}));
    auto checkups = synthesizeCheckups(*medical, to);
    EXPECT_EQ(checkups.checkups.size(), 3u);
    EXPECT_FALSE(parseSimMedical(nlohmann::json::parse(R"({"regimens":[{"days":0}]})")));
}

class SimulatorMedicalInfo : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_dir = std::filesystem::temp_directory_path() /
                ("zaitaku-medinfo-sim-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir / "req");
        std::filesystem::create_directories(m_dir / "res");
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }

    // Writes the request, lets the simulator answer, returns the result's bytes.
    std::string ask(const MedicalInfoRequest& request, TextEncoding encoding)
    {
        auto population = loadPopulation(ZAITAKU_SOURCE_DIR "/sync/oqs/population/demo.json");
        EXPECT_TRUE(population);
        OqsSimulator sim(std::move(*population), m_dir / "req", m_dir / "res", m_clock, encoding);
        const auto iface = request.drugs ? Interface::DrugInfo : Interface::CheckupInfo;
        std::ofstream(m_dir / "req" / fileNameOf(iface, true, "000000000001"))
            << *buildMedicalInfoRequest(request, encoding);
        EXPECT_EQ(sim.pollOnce(), 1u);
        return readFile(m_dir / "res" / fileNameOf(iface, false, "000000000001"));
    }

    std::filesystem::path m_dir;
    base::ManualClock m_clock{base::Timestamp::parse("2026-12-06T10:00:00+09:00").value()};
};

TEST_F(SimulatorMedicalInfo, AnswersThePersonsDrugsWithinTheDatesAskedInShiftJis)
{
    MedicalInfoRequest r;
    r.medicalInstitutionCode = "1312345678";
    r.insurerNumber = "06131234"; // the "valid" persona
    r.insuredPersonIdentificationNumber = "1001";
    r.startDate = d("2026-06-01");
    r.endDate = d("2026-12-06");
    auto file = parseMedicalInfoResult(ask(r, TextEncoding::ShiftJis), MedicalInfoKind::Drugs);
    ASSERT_TRUE(file) << file.error().message;
    EXPECT_EQ(file->encoding, TextEncoding::ShiftJis);
    ASSERT_TRUE(file->succeeded()) << file->messageContents;
    EXPECT_EQ(file->medication.subject.name, "検証　太郎");
    ASSERT_FALSE(file->medication.events.empty());
    for (const auto& e : file->medication.events) {
        EXPECT_TRUE(*e.date >= d("2026-06-01") && *e.date <= d("2026-12-06"));
    }
}

TEST_F(SimulatorMedicalInfo, AnsweringForNobodyIsAFailureWithAReasonAndCheckupsComeByYear)
{
    MedicalInfoRequest r;
    r.drugs = false;
    r.insurerNumber = "99999999";
    r.insuredPersonIdentificationNumber = "1";
    auto none = parseMedicalInfoResult(ask(r, TextEncoding::Utf8), MedicalInfoKind::Checkups);
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->succeeded());
    EXPECT_FALSE(none->messageContents.empty());
    r.insurerNumber = "06131234";
    r.insuredPersonIdentificationNumber = "1001";
    auto found = parseMedicalInfoResult(ask(r, TextEncoding::Utf8), MedicalInfoKind::Checkups);
    ASSERT_TRUE(found && found->succeeded());
    EXPECT_EQ(found->checkups.checkups.size(), 3u);
}

} // namespace
} // namespace zaitaku::sync::oqs
