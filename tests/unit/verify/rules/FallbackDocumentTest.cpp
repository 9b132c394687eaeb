// The fallback documents against the visit date (seed 003, seed 004, R2): expiry, 発効期日, the
// paper card's end, the 70/75 birthday limits, and the portal screen only with the card.

#include "verify/rules/FallbackDocument.h"

#include "RulesTestSupport.h"
#include "verify/model/EligibilitySnapshot.h"
#include "verify/rules/CardRegistration.h"

#include <nlohmann/json.hpp>

namespace zaitaku::rules
{
namespace
{

using model::FallbackKind;
using nlohmann::json;
using test::d;

DocumentCheck check(FallbackKind kind, const json& fields, const char* on, std::optional<bool> card = std::nullopt)
{
    return checkFallbackDocument(DocumentCheckInput{kind, &fields, d(on), std::nullopt, card});
}

std::vector<std::string> codes(const std::vector<DocumentFinding>& findings)
{
    std::vector<std::string> out;
    for (const auto& f : findings) {
        out.push_back(f.code);
        EXPECT_FALSE(f.message.empty()) << f.code;
    }
    return out;
}

const json kKakuninsho{{"insurer_number", "06131234"}, {"insured_number", "1234"},    {"name", "在宅 花子"},
                       {"birthdate", "1960-04-10"},    {"valid_until", "2027-07-31"}, {"valid_from", "2025-08-01"}};

TEST(FallbackDocumentTest, AShikakuKakuninshoIsValidFromItsEffectiveDateToItsExpiry)
{
    EXPECT_TRUE(check(FallbackKind::ShikakuKakuninsho, kKakuninsho, "2026-12-03").accepted);
    EXPECT_TRUE(check(FallbackKind::ShikakuKakuninsho, kKakuninsho, "2027-07-31").accepted) << "the last day counts";
    const auto expired = check(FallbackKind::ShikakuKakuninsho, kKakuninsho, "2027-08-01");
    EXPECT_FALSE(expired.accepted);
    EXPECT_EQ(codes(expired.reasons), std::vector<std::string>{"expired"});
    const auto early = check(FallbackKind::ShikakuKakuninsho, kKakuninsho, "2025-07-31");
    EXPECT_FALSE(early.accepted);
    EXPECT_EQ(codes(early.reasons), std::vector<std::string>{"not_yet_effective"});
}

TEST(FallbackDocumentTest, APaperCardEndedOnTheFirstOfDecember2025)
{
    json paper = kKakuninsho;
    paper.erase("valid_from");
    EXPECT_TRUE(check(FallbackKind::PaperCard, paper, "2025-12-01").accepted);
    const auto after = check(FallbackKind::PaperCard, paper, "2025-12-02");
    EXPECT_FALSE(after.accepted);
    EXPECT_EQ(codes(after.reasons), std::vector<std::string>{"paper_card_ended"});
}

TEST(FallbackDocumentTest, APreSeventyDocumentEndsWithTheBirthMonth)
{
    // Born 1955-06-15: the pre-70 document is valid to 2025-06-30 (R2, seed 004's example).
    json before70{{"insurer_number", "06131234"},
                  {"birthdate", "1955-06-15"},
                  {"valid_until", "2026-07-31"},
                  {"valid_from", "2024-08-01"}};
    EXPECT_TRUE(check(FallbackKind::ShikakuKakuninsho, before70, "2025-06-30").accepted);
    const auto turned = check(FallbackKind::ShikakuKakuninsho, before70, "2025-07-01");
    EXPECT_FALSE(turned.accepted);
    EXPECT_EQ(codes(turned.reasons), std::vector<std::string>{"age70_document_ended"});
    // The 70–74 document prints the ratio and its 発効期日 (seed 003).
    json for70 = before70;
    for70["valid_from"] = "2025-07-01";
    for70["copay_ratio"] = "2";
    EXPECT_TRUE(check(FallbackKind::ShikakuKakuninsho, for70, "2025-07-01").accepted);
    // Born on the 1st: the month before (1955-07-01 → valid to 2025-06-30).
    before70["birthdate"] = "1955-07-01";
    EXPECT_FALSE(check(FallbackKind::ShikakuKakuninsho, before70, "2025-07-01").accepted);
}

TEST(FallbackDocumentTest, FromSeventyFiveOnlyAKoukiDocumentCounts)
{
    // Born 1950-09-20: NHI / employer documents end on 2025-09-19 (seed 004).
    json nhi{{"insurer_number", "06131234"},
             {"birthdate", "1950-09-20"},
             {"valid_until", "2026-07-31"},
             {"valid_from", "2025-08-01"},
             {"copay_ratio", "2"}};
    EXPECT_TRUE(check(FallbackKind::ShikakuKakuninsho, nhi, "2025-09-19").accepted);
    const auto at75 = check(FallbackKind::ShikakuKakuninsho, nhi, "2025-09-20");
    EXPECT_FALSE(at75.accepted);
    EXPECT_EQ(codes(at75.reasons), std::vector<std::string>{"age75_document_ended"});
    json kouki = nhi;
    kouki["insurer_number"] = "39131015";
    EXPECT_TRUE(check(FallbackKind::ShikakuKakuninsho, kouki, "2025-09-20").accepted);
}

// Issue 28, item 5. 後期高齢者医療 members under 75 by 障害認定 (seed 004: 「65歳以上75歳未満の方で一定の
// 障害があると…認定を受けた方」) keep their 資格確認書 to its 有効期限 after the 70th birthday: the 70 rule is
// for non-後期 documents. It used to refuse them as "pre-70 documents".
TEST(FallbackDocumentTest, AKoukiDocumentOfAMemberAgedSeventyToSeventyFourHoldsToItsDates)
{
    json kouki{{"insurer_number", "39131015"},
               {"birthdate", "1954-05-20"},
               {"valid_until", "2027-07-31"},
               {"valid_from", "2024-08-01"}};
    const auto at71 = check(FallbackKind::ShikakuKakuninsho, kouki, "2025-09-01");
    EXPECT_TRUE(at71.accepted) << codes(at71.reasons).front();
    EXPECT_FALSE(check(FallbackKind::ShikakuKakuninsho, kouki, "2027-08-01").accepted) << "still its own dates";
}

// A 70–74 document whose 発効期日 or ratio was not typed is asked for again (the fields are on its
// face: seed 003 「70歳以上の場合、負担割合のほか、有効期限、発効期日を記載」), not refused as ended.
TEST(FallbackDocumentTest, ASeventyPlusDocumentWithBlankFieldsIsAskedForThem)
{
    json blank{{"insurer_number", "06131234"}, {"birthdate", "1955-06-15"}, {"valid_until", "2027-07-31"}};
    const auto asked = check(FallbackKind::ShikakuKakuninsho, blank, "2025-09-01");
    EXPECT_FALSE(asked.accepted);
    EXPECT_EQ(codes(asked.reasons), std::vector<std::string>{"age70_fields_missing"});
    blank["valid_from"] = "2025-07-01";
    blank["copay_ratio"] = "2";
    EXPECT_TRUE(check(FallbackKind::ShikakuKakuninsho, blank, "2025-09-01").accepted);
}

// Seed 004 applies the 70th-birthday limit to the paper 健康保険証 (review #3), and 「在留期限が切れる場合→
// 在留期限まで」 to a foreign resident's document.
TEST(FallbackDocumentTest, APaperCardEndsAtSeventyAndAResidentsDocumentAtTheResidencePeriod)
{
    json paper{{"insurer_number", "06131234"},
               {"birthdate", "1955-06-15"},
               {"valid_until", "2026-07-31"},
               {"valid_from", "2024-08-01"}};
    EXPECT_TRUE(check(FallbackKind::PaperCard, paper, "2025-06-30").accepted);
    const auto turned = check(FallbackKind::PaperCard, paper, "2025-07-01");
    EXPECT_EQ(codes(turned.reasons), std::vector<std::string>{"age70_document_ended"});
    json resident = kKakuninsho;
    resident["residence_until"] = "2026-03-31";
    EXPECT_TRUE(check(FallbackKind::ShikakuKakuninsho, resident, "2026-03-31").accepted);
    const auto stayEnded = check(FallbackKind::ShikakuKakuninsho, resident, "2026-04-01");
    EXPECT_EQ(codes(stayEnded.reasons), std::vector<std::string>{"residence_ended"});
}

// Issue 28, item 3: a document with another person's 生年月日 (a card or document swapped between
// residents) is not filed under this patient; both dates are shown.
TEST(FallbackDocumentTest, ADocumentWithAnotherBirthdateIsNotThisPatients)
{
    const auto other = checkFallbackDocument(DocumentCheckInput{FallbackKind::ShikakuKakuninsho, &kKakuninsho,
                                                                d("2026-12-03"), d("1961-04-10"), std::nullopt});
    EXPECT_FALSE(other.accepted);
    ASSERT_EQ(codes(other.reasons), std::vector<std::string>{"birthdate_mismatch"});
    EXPECT_NE(other.reasons[0].message.find("1960-04-10"), std::string::npos);
    EXPECT_NE(other.reasons[0].message.find("1961-04-10"), std::string::npos);
    EXPECT_TRUE(checkFallbackDocument(DocumentCheckInput{FallbackKind::ShikakuKakuninsho, &kKakuninsho, d("2026-12-03"),
                                                         d("1960-04-10"), std::nullopt})
                    .accepted);
}

TEST(FallbackDocumentTest, APortalScreenOrANoticeProvesNothingWithoutTheCard)
{
    json screen{
        {"insurer_number", "06131234"}, {"insured_number", "1234"}, {"name", "在宅 花子"}, {"birthdate", "1960-04-10"}};
    for (const auto kind :
         {FallbackKind::MynaportalScreen, FallbackKind::MynaportalPdf, FallbackKind::OshirasePlusCard}) {
        const auto alone = check(kind, screen, "2026-12-03");
        EXPECT_FALSE(alone.accepted);
        EXPECT_EQ(codes(alone.reasons), std::vector<std::string>{"needs_card"});
    }
    json withCard = screen;
    withCard["card_seen"] = "yes";
    EXPECT_TRUE(check(FallbackKind::MynaportalScreen, withCard, "2026-12-03").accepted);
    // The visit knows better than the form: no card was presented.
    EXPECT_FALSE(check(FallbackKind::MynaportalScreen, withCard, "2026-12-03", false).accepted);
    // Past the screen's 有効期限 (70 and over) the ratio may have changed: a note, not a refusal.
    withCard["valid_until"] = "2026-07-31";
    const auto old = check(FallbackKind::MynaportalPdf, withCard, "2026-12-03");
    EXPECT_TRUE(old.accepted);
    EXPECT_EQ(codes(old.notes), std::vector<std::string>{"ratio_may_have_changed"});
}

TEST(FallbackDocumentTest, VerbalRevisitAndMoushitateshoCarryNoDatesToCheck)
{
    EXPECT_TRUE(check(FallbackKind::VerbalRevisit, json{{"patient_confirms_no_change", "yes"}}, "2026-12-03").accepted);
    EXPECT_TRUE(check(FallbackKind::Moushitatesho, json::object(), "2026-12-03").accepted);
}

TEST(CardRegistrationTest, AResultNamingRegistrationIsRecognised)
{
    model::EligibilitySnapshot s;
    EXPECT_FALSE(reportsNotRegistered(s));
    s.errorMessage = "マイナンバーカードの健康保険証利用登録がされていません";
    EXPECT_TRUE(reportsNotRegistered(s));
    s.errorMessage.clear();
    s.processingResultMessage = "保険証利用登録が解除されています";
    EXPECT_TRUE(reportsNotRegistered(s));
    EXPECT_NE(registrationGuidance().find("資格確認書"), std::string::npos);
    EXPECT_NE(registrationGuidance().find("マイナポータル"), std::string::npos);
}

} // namespace
} // namespace zaitaku::rules
