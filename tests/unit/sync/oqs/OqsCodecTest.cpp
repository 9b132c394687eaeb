// The OQS codec: the hand-written result samples in both encodings, round trips of every
// interface in both encodings, the golden request files byte for byte, and the refusals.

#include "sync/oqs/OqsInterface.h"
#include "sync/oqs/OqsRequests.h"
#include "sync/oqs/OqsResults.h"
#include "sync/oqs/OqsSimulator.h"
#include "sync/oqs/Xml.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

namespace zaitaku::sync::oqs
{
namespace
{

using base::Date;

const std::filesystem::path kData = ZAITAKU_TEST_DATA_DIR "/oqs";

std::string readFile(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

Date d(const char* iso)
{
    return *Date::parse(iso);
}

bool hasWarning(const ResultFile& f, std::string_view needle)
{
    for (const auto& w : f.warnings) {
        if (w.find(needle) != std::string::npos) {
            return true;
        }
    }
    return false;
}

class SingleResult : public ::testing::TestWithParam<const char*>
{};

TEST_P(SingleResult, ReadsEveryFieldInEitherEncoding)
{
    auto file = parseResult(readFile(kData / GetParam()));
    ASSERT_TRUE(file) << file.error().message;
    ASSERT_FALSE(file->bulk);
    ASSERT_EQ(file->units.size(), 1u);
    const auto& u = file->units.front();
    const auto& s = u.snapshot;
    EXPECT_EQ(s.segmentOfResult, model::SegmentOfResult::Normal);
    EXPECT_EQ(s.processingResultStatus, model::ProcessingResultStatus::Normal);
    EXPECT_EQ(s.qualificationValidity, model::QualificationValidity::Valid);
    EXPECT_EQ(outcomeOf(s, u.resultCount), Outcome::Confirmed);
    EXPECT_EQ(s.processingResultCode, "OQS-NOTICE-ECERT"); // kept even on success (Q5)
    EXPECT_EQ(s.processingResultMessage, "電子証明書の有効期限が近づいています");
    EXPECT_EQ(s.qualificationConfirmationDate, d("2025-06-10"));
    EXPECT_EQ(s.processExecutionTime->toString(), "2025-06-10T09:30:15+09:00");
    EXPECT_EQ(s.insurerNumber, "39131234");
    EXPECT_EQ(s.insuredIdentificationNumber, "12345678");
    EXPECT_EQ(s.name, "●田　ハナ");   // verbatim
    EXPECT_EQ(s.nameKana, "ﾀｶﾀﾞ ﾊﾅ"); // half-width, as received
    EXPECT_EQ(s.sex1, model::Sex::Female);
    EXPECT_EQ(s.birthdate, d("1945-03-12"));
    EXPECT_EQ(s.insuredPartialContributionRatioPercent, 20);
    ASSERT_TRUE(s.limitCertificate);
    EXPECT_EQ(s.limitCertificate->classification, model::LimitCertificateClass::Limit);
    EXPECT_EQ(s.limitCertificate->classificationFlag, "B09");
    EXPECT_EQ(s.limitCertificate->validEnd, d("2026-07-31"));
    EXPECT_EQ(s.pharmacists.flag, "1");
    EXPECT_EQ(s.pharmacists.availableTime->toString(), "2025-06-11T09:30:00+09:00");
    EXPECT_EQ(s.prescriptionIssue, model::PrescriptionIssue::Electronic);
    ASSERT_TRUE(u.search);
    EXPECT_EQ(u.search->birthdate, d("1945-03-12"));
    EXPECT_TRUE(hasWarning(*file, "contains ●"));
    ASSERT_EQ(file->unknownTags.size(), 1u);
    EXPECT_EQ(file->unknownTags[0], "MessageBody/ResultOfQualificationConfirmation/FutureTagNobodyKnows");
    EXPECT_NE(s.rawXml.find("FutureTagNobodyKnows"), std::string::npos); // raw XML kept (as UTF-8)

    const auto json = resultToJson(*file);
    EXPECT_EQ(json["segment_of_result"], "1");
    EXPECT_EQ(json["processing_result_status"], "1");
    EXPECT_EQ(json["qualification_validity"], "1");
    EXPECT_EQ(json["insurer_number"], "39131234");
    EXPECT_EQ(json["name_kana"], "ﾀｶﾀﾞ ﾊﾅ");
    EXPECT_EQ(json["insured_partial_contribution_ratio"], "020");
    EXPECT_EQ(json["limit_application_certificate_classification_flag"], "B09");
    EXPECT_EQ(json["copay_percent"], 20);
    EXPECT_EQ(json["copay_source"], "insured_partial_contribution_ratio");
    EXPECT_EQ(json["outcome"], "confirmed");
    EXPECT_EQ(json["unknown_tags"].size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Encodings, SingleResult, ::testing::Values("single-kouki-utf8.xml", "single-kouki-sjis.xml"));

TEST(OqsResult, ShiftJisAndUtf8FilesReadTheSame)
{
    auto a = parseResult(readFile(kData / "single-kouki-utf8.xml"));
    auto b = parseResult(readFile(kData / "single-kouki-sjis.xml"));
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->encoding, TextEncoding::Utf8);
    EXPECT_EQ(b->encoding, TextEncoding::ShiftJis);
    auto ja = resultToJson(*a);
    auto jb = resultToJson(*b);
    for (auto* j : {&ja, &jb}) {
        j->erase("character_code_identifier");
        j->erase("encoding");
    }
    EXPECT_EQ(ja, jb);
}

class BulkResult : public ::testing::TestWithParam<const char*>
{};

TEST_P(BulkResult, ReadsEachUnitAndItsOutcome)
{
    auto file = parseResult(readFile(kData / GetParam()));
    ASSERT_TRUE(file) << file.error().message;
    ASSERT_TRUE(file->bulk);
    EXPECT_EQ(file->header.receptionNumber, "R000000042");
    EXPECT_EQ(file->header.numberOfProcessingResult, 3);
    ASSERT_EQ(file->units.size(), 3u);
    EXPECT_EQ(outcomeOf(file->units[0].snapshot, file->units[0].resultCount), Outcome::Confirmed);
    EXPECT_EQ(file->units[0].snapshot.insuredCardSymbol, "あいう");
    EXPECT_EQ(file->units[0].snapshot.elderlyRecipient->contributionRatioPercent, 20);
    EXPECT_EQ(file->units[0].limitApplicationCertificateChanged, "0");
    EXPECT_EQ(file->units[0].snapshot.referenceNumber, "p-001");
    EXPECT_NE(file->units[0].snapshot.rawXml.find("<BulkConfirmUnit>"), std::string::npos);
    EXPECT_EQ(file->units[1].snapshot.qualificationValidity, model::QualificationValidity::InvalidNewQualification);
    EXPECT_EQ(outcomeOf(file->units[1].snapshot, file->units[1].resultCount), Outcome::NotConfirmed);
    // Status 2 is checked before the (unknown) validity code.
    EXPECT_EQ(outcomeOf(file->units[2].snapshot, file->units[2].resultCount), Outcome::QueryFailed);
    EXPECT_FALSE(file->units[2].snapshot.qualificationValidity);
    EXPECT_TRUE(hasWarning(*file, "BulkConfirmUnit[2]/QualificationValidity: unknown code '7'"));

    const auto json = resultToJson(*file);
    ASSERT_TRUE(json.is_array());
    ASSERT_EQ(json.size(), 3u);
    // Born 1955-06-15: 70-74 from 2025-07-01 but confirmed for 2025-06-10 — the 高齢受給者 ratio is
    // not valid yet, so the age rule gives 3割.
    EXPECT_EQ(json[0]["copay_percent"], 30);
    EXPECT_EQ(json[0]["copay_source"], "age_rule");
    EXPECT_EQ(json[0]["elderly_recipient_contribution_ratio"], "020");
    EXPECT_EQ(json[0]["qualification_confirm_search_info"]["arbitrary_identifier"], "p-001");
    EXPECT_TRUE(json[0]["warnings"].empty());
    EXPECT_EQ(json[2]["warnings"].size(), 1u);
    EXPECT_EQ(json[2]["outcome"], "query_failed");
}

INSTANTIATE_TEST_SUITE_P(Encodings, BulkResult, ::testing::Values("bulk-result-utf8.xml", "bulk-result-sjis.xml"));

TEST(OqsResult, TheElderlyRatioAppliesInsideItsValidity)
{
    auto file = parseResult(readFile(kData / "bulk-result-utf8.xml"));
    ASSERT_TRUE(file);
    auto s = file->units[0].snapshot;
    s.qualificationConfirmationDate = d("2025-07-08"); // docs/design/DOMAIN.md §7: 2割 from 2025-07-01
    file->units[0].snapshot = s;
    EXPECT_EQ(resultToJson(*file)[0]["copay_percent"], 20);
    EXPECT_EQ(resultToJson(*file)[0]["copay_source"], "elderly_recipient_contribution_ratio");
}

TEST(OqsResult, DeclarationWinsOverCharacterCodeIdentifierAndSaysSo)
{
    std::string text = readFile(kData / "single-kouki-utf8.xml");
    text.replace(text.find("<CharacterCodeIdentifier>0"), 26, "<CharacterCodeIdentifier>1");
    auto file = parseResult(text);
    ASSERT_TRUE(file);
    EXPECT_TRUE(hasWarning(*file, "says Shift_JIS but the file is UTF-8"));
}

TEST(OqsResult, NoDeclarationFollowsCharacterCodeIdentifier)
{
    std::string sjis = readFile(kData / "single-kouki-sjis.xml");
    sjis.erase(0, sjis.find("?>") + 2);
    auto file = parseResult(sjis);
    ASSERT_TRUE(file) << file.error().message;
    EXPECT_EQ(file->encoding, TextEncoding::ShiftJis);
    EXPECT_EQ(file->units[0].snapshot.name, "●田　ハナ");
}

struct Refusal
{
    const char* label;
    std::string bytes;
    Errc code;
    const char* mentions;
};

TEST(OqsResult, RefusesWhatItCannotAcceptWithAClearError)
{
    const std::string good = readFile(kData / "single-kouki-utf8.xml");
    std::string noSegment = good;
    noSegment.erase(noSegment.find("<SegmentOfResult>"), std::string("<SegmentOfResult>1</SegmentOfResult>").size());
    std::string oddSegment = good;
    oddSegment.replace(oddSegment.find("<SegmentOfResult>1"), 18, "<SegmentOfResult>4");
    std::string badUtf8 = good;
    badUtf8.replace(badUtf8.find("東京都千代田区"), 3, "\xFF\xFE\xFD");
    std::string badSjis = readFile(kData / "single-kouki-sjis.xml");
    badSjis.replace(badSjis.find("1312345678"), 2, "\x81\x20");
    const std::vector<Refusal> cases{
        {"empty", "", Errc::XmlMalformed, "empty"},
        {"not xml", "hello", Errc::XmlMalformed, "line"},
        {"truncated", good.substr(0, good.size() / 2), Errc::XmlMalformed, "line"},
        {"wrong root", "<Other/>", Errc::XmlMalformed, "<XmlMsg>"},
        {"no segment", noSegment, Errc::XmlMalformed, "SegmentOfResult is missing"},
        {"unknown segment", oddSegment, Errc::XmlMalformed, "unknown code '4'"},
        {"bad utf-8", badUtf8, Errc::XmlEncoding, "offset"},
        {"bad shift_jis", badSjis, Errc::XmlEncoding, "offset"},
        {"other encoding", R"(<?xml version="1.0" encoding="EUC-JP"?><XmlMsg/>)", Errc::XmlEncoding, "EUC-JP"},
        {"doctype", R"(<?xml version="1.0"?><!DOCTYPE XmlMsg SYSTEM "http://example.invalid/x.dtd"><XmlMsg/>)",
         Errc::XmlMalformed, "DOCTYPE"},
    };
    for (const auto& c : cases) {
        auto parsed = parseResult(c.bytes);
        ASSERT_FALSE(parsed) << c.label;
        EXPECT_EQ(parsed.error().code, c.code) << c.label << ": " << parsed.error().message;
        EXPECT_NE(parsed.error().message.find(c.mentions), std::string::npos)
            << c.label << ": " << parsed.error().message;
    }
}

TEST(OqsResult, ProcessingAndSystemErrorFilesAreOutcomesNotFailures)
{
    ResultFile f;
    f.bulk = true;
    f.header.medicalInstitutionCode = "1312345678";
    f.header.receptionNumber = "R1";
    f.header.segmentOfResult = model::SegmentOfResult::Processing;
    f.header.numberOfProcessingResult = 0;
    auto xml = buildResult(f, TextEncoding::ShiftJis);
    ASSERT_TRUE(xml);
    auto back = parseResult(*xml);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->header.segmentOfResult, model::SegmentOfResult::Processing);
    f.bulk = false;
    f.header.segmentOfResult = model::SegmentOfResult::Abnormal;
    f.header.errorCode = "EOQS9999";
    f.header.errorMessage = "システムエラー";
    xml = buildResult(f, TextEncoding::Utf8);
    back = parseResult(*xml);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->header.errorMessage, "システムエラー");
    EXPECT_EQ(resultToJson(*back)["outcome"], "system_error");
}

class Encoded : public ::testing::TestWithParam<TextEncoding>
{};

TEST_P(Encoded, ResultsRoundTrip)
{
    for (const char* name : {"single-kouki-utf8.xml", "bulk-result-utf8.xml"}) {
        auto original = parseResult(readFile(kData / name));
        ASSERT_TRUE(original);
        original->unknownTags.clear();
        auto written = buildResult(*original, GetParam());
        ASSERT_TRUE(written) << written.error().message;
        auto again = parseResult(*written);
        ASSERT_TRUE(again) << again.error().message;
        auto a = resultToJson(*original);
        auto b = resultToJson(*again);
        auto strip = [](nlohmann::json& j) {
            for (auto* unit :
                 j.is_array() ? std::vector<nlohmann::json*>{&j[0], &j[1], &j[2]} : std::vector<nlohmann::json*>{&j}) {
                for (const char* k : {"character_code_identifier", "encoding", "unknown_tags", "warnings"}) {
                    unit->erase(k);
                }
            }
        };
        strip(a);
        strip(b);
        EXPECT_EQ(a, b) << name;
    }
}

TEST_P(Encoded, RequestsRoundTrip)
{
    const auto enc = GetParam();
    SearchInfo s{" 123456", "記号", "番号1", "01", d("1955-06-15"), "1", "p-1"};
    QualificationRequest single{{d("2025-06-10"), "1312345678", "f-1"}, {s}};
    auto xml = buildQualificationRequest(single, false, enc);
    ASSERT_TRUE(xml);
    EXPECT_EQ(*parseQualificationRequest(*xml), single);
    QualificationRequest bulk = single;
    bulk.search.push_back({"39131234", "", "12345678", "", d("1945-03-12"), "", "p-2"});
    xml = buildQualificationRequest(bulk, true, enc);
    ASSERT_TRUE(xml);
    EXPECT_EQ(*parseQualificationRequest(*xml), bulk);
    BulkDownloadRequest download{"1312345678", "R000000042", "f-2"};
    EXPECT_EQ(*parseBulkDownloadRequest(*buildBulkDownloadRequest(download, enc)), download);
    ConsentedBulkRequest consented{{d("2025-06-10"), "1312345678", "f-3"}, d("2025-06-01"), d("2025-06-30"), "2"};
    EXPECT_EQ(*parseConsentedBulkRequest(*buildConsentedBulkRequest(consented, enc)), consented);
    CardQualificationRequest card{{d("2025-06-10"), "1312345678", "f-4"}, {0x30, 0x82, 0x01, 0x00, 0xFF}, "1"};
    EXPECT_EQ(*parseCardQualificationRequest(*buildCardQualificationRequest(card, enc)), card);
    MedicalInfoRequest drugs{true,  "1312345678",    "06131234",      "記号", "1001", "00",
                             "f-5", d("2022-06-01"), d("2025-06-10"), "",     "",     "2"};
    EXPECT_EQ(*parseMedicalInfoRequest(*buildMedicalInfoRequest(drugs, enc)), drugs);
    MedicalInfoRequest checkups = drugs;
    checkups.drugs = false;
    checkups.startDate.reset();
    checkups.endDate.reset();
    EXPECT_EQ(*parseMedicalInfoRequest(*buildMedicalInfoRequest(checkups, enc)), checkups);
}

INSTANTIATE_TEST_SUITE_P(Both, Encoded, ::testing::Values(TextEncoding::Utf8, TextEncoding::ShiftJis));

// The request files byte for byte, in both encodings. ZAITAKU_REGENERATE_GOLDEN=1 rewrites them
// (then read the diff before committing).
TEST(OqsRequest, GoldenFiles)
{
    const SearchInfo s{"06131234", "あいう", "1001", "00", d("1955-06-15"), "1", "p-001"};
    const RequestHeader h{d("2025-06-10"), "1312345678", "zt-000001"};
    struct Golden
    {
        const char* name;
        Expected<std::string, Error> (*build)(TextEncoding);
    };
    static const SearchInfo ss = s;
    static const RequestHeader hh = h;
    const std::vector<Golden> goldens{
        {"OQSsiquc01req",
         [](TextEncoding e) {
             return buildQualificationRequest({hh, {ss}}, false, e);
         }},
        {"OQSmuquc01req",
         [](TextEncoding e) {
             return buildQualificationRequest(
                 {hh, {ss, {"39131234", "", "12345678", "", *Date::parse("1945-03-12"), "", "p-002"}}}, true, e);
         }},
        {"OQSmuquc02req",
         [](TextEncoding e) {
             return buildBulkDownloadRequest({"1312345678", "R000000042", "zt-000002"}, e);
         }},
        {"OQSmuhvq01req",
         [](TextEncoding e) {
             return buildConsentedBulkRequest({hh, *Date::parse("2025-06-01"), *Date::parse("2025-06-30"), "2"}, e);
         }},
        {"ZTKsicrt01req",
         [](TextEncoding e) {
             return buildCardQualificationRequest({hh, {0x30, 0x03, 0x02, 0x01, 0x01}, "1"}, e);
         }},
        {"YZKsiquc01req",
         [](TextEncoding e) {
             return buildMedicalInfoRequest({true, "1312345678", "06131234", "あいう", "1001", "00", "zt-000003",
                                             *Date::parse("2022-06-10"), *Date::parse("2025-06-10"), "", "", "2"},
                                            e);
         }},
        {"TKKsiquc01req",
         [](TextEncoding e) {
             return buildMedicalInfoRequest(
                 {false, "1312345678", "06131234", "あいう", "1001", "00", "zt-000004", {}, {}, "", "", "2"}, e);
         }},
    };
    const bool regenerate = std::getenv("ZAITAKU_REGENERATE_GOLDEN") != nullptr;
    for (const auto& g : goldens) {
        for (auto enc : {TextEncoding::Utf8, TextEncoding::ShiftJis}) {
            const auto path =
                kData / "requests" / (std::string(g.name) + (enc == TextEncoding::Utf8 ? "-utf8.xml" : "-sjis.xml"));
            auto built = g.build(enc);
            ASSERT_TRUE(built) << g.name;
            if (regenerate) {
                std::filesystem::create_directories(path.parent_path());
                std::ofstream(path, std::ios::binary) << *built;
                continue;
            }
            EXPECT_EQ(*built, readFile(path)) << path;
        }
    }
}

TEST(OqsRequest, ACharacterShiftJisCannotCarryIsAnErrorNotAQuestionMark)
{
    QualificationRequest r{{d("2025-06-10"), "1312345678", "f"},
                           {{"06131234", "𠮷", "1", "", d("1950-01-01"), "", ""}}};
    auto xml = buildQualificationRequest(r, false, TextEncoding::ShiftJis);
    ASSERT_FALSE(xml);
    EXPECT_EQ(xml.error().code, Errc::XmlEncoding);
    EXPECT_TRUE(buildQualificationRequest(r, false, TextEncoding::Utf8));
}

TEST(OqsInterface, FileNames)
{
    EXPECT_EQ(fileNameOf(Interface::Qualification, true, "202609300001"), "OQSsiquc01req_202609300001.xml");
    auto parsed = parseFileName("OQSmuquc02res_abc.xml");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->iface, Interface::BulkDownload);
    EXPECT_FALSE(parsed->request);
    EXPECT_EQ(parsed->id, "abc");
    EXPECT_FALSE(parseFileName("OQSsiquc01req_x.xml.tmp"));
    EXPECT_FALSE(parseFileName("XXXsiquc01req_x.xml"));
    EXPECT_FALSE(parseFileName("OQSsiquc01req_.xml"));
}

TEST(OqsXml, EntitiesAndCdataAreHandledSafely)
{
    auto doc = parseXml("<a><b>x &amp; y</b><c><![CDATA[<z>]]></c></a>");
    ASSERT_TRUE(doc);
    EXPECT_EQ(doc->root.child("b")->text, "x & y");
    EXPECT_EQ(doc->root.child("c")->text, "<z>");
}

} // namespace
} // namespace zaitaku::sync::oqs

namespace zaitaku::sync::oqs
{
namespace
{

TEST(OqsSimulatorPopulation, TheShippedDemoPopulationLoadsAndCoversEveryCase)
{
    auto population = loadPopulation(ZAITAKU_SOURCE_DIR "/sync/oqs/population/demo.json");
    ASSERT_TRUE(population) << population.error().message;
    std::set<std::string> validities;
    bool multiple = false;
    bool systemError = false;
    for (const auto& p : population->people) {
        multiple = multiple || p.results.size() > 1;
        systemError = systemError || p.systemError;
        for (const auto& r : p.results) {
            if (r.snapshot.qualificationValidity) {
                validities.insert(std::string(base::toCode(*r.snapshot.qualificationValidity)));
            }
        }
    }
    EXPECT_EQ(validities, (std::set<std::string>{"1", "2", "3", "4"}));
    EXPECT_TRUE(multiple);
    EXPECT_TRUE(systemError);
    EXPECT_EQ(population->people.front().certificateSerial.size(), 16u); // the "valid" persona's card
}

TEST(OqsSimulatorPopulation, AnUnknownResultKeyIsRefusedNamingThePerson)
{
    auto bad = parsePopulation(nlohmann::json::parse(R"({"people":[{"id":"x","result":{"insurer_nmber":"1"}}]})"));
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("insurer_nmber"), std::string::npos);
}

} // namespace
} // namespace zaitaku::sync::oqs
