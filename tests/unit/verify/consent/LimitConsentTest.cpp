// 「限度額情報を提供しますか 提供する／提供しない」 (seed 001) is asked and recorded like the other
// consents, and the texts carry seed 004's printed wording where it has one.

#include "base/Random.h"
#include "verify/consent/ConsentCatalog.h"
#include "verify/consent/ConsentOffer.h"
#include "verify/consent/ConsentSelection.h"

#include <gtest/gtest.h>

namespace zaitaku::testing
{
namespace
{

using consent::ConsentCatalog;
using consent::TextId;

consent::ConsentOffer offerFor(bool grace)
{
    return consent::consentOffer(
        {base::Date::parse("1950-04-10").value(), base::Date::parse("2026-12-03").value(), grace});
}

TEST(LimitConsent, TheQuestionIsTheSeedsAndIsAlwaysAsked)
{
    const auto text = ConsentCatalog::builtin().current("ja", TextId::Limit);
    ASSERT_TRUE(text);
    EXPECT_NE(text->text.find("限度額情報を提供しますか"), std::string::npos);
    EXPECT_NE(text->text.find("提供しない"), std::string::npos);
    EXPECT_TRUE(ConsentCatalog::builtin().current("en", TextId::Limit));
    EXPECT_TRUE(offerFor(false).offers(model::ConsentKind::Limit));
    // Qualification information: asked in the certificate's grace period too, unlike 診療・薬剤.
    EXPECT_TRUE(offerFor(true).offers(model::ConsentKind::Limit));
    EXPECT_FALSE(offerFor(true).offers(model::ConsentKind::Pharmacy));
}

TEST(LimitConsent, TheAnswerIsRecordedWithItsTextAndNeverDefaulted)
{
    base::SeededRandom random(7);
    const consent::ConsentContext context{"p-1", "ja", base::Timestamp::parse("2026-12-03T10:00:00+09:00").value(), ""};
    for (const auto& [answer, given] : {std::pair{"provide", true}, std::pair{"decline", false}}) {
        auto selection = consent::parseSelection("none", "", answer);
        ASSERT_TRUE(selection) << answer;
        auto records = consent::consentRecords(*selection, offerFor(false), ConsentCatalog::builtin(), context, random);
        ASSERT_TRUE(records);
        const auto limit = std::find_if(records->begin(), records->end(),
                                        [](const model::Consent& c) { return c.kind == model::ConsentKind::Limit; });
        ASSERT_NE(limit, records->end()) << answer;
        EXPECT_EQ(limit->given, given);
        EXPECT_EQ(limit->textVersion, ConsentCatalog::builtin().current("ja", TextId::Limit)->versionId());
        EXPECT_EQ(limit->textSha256.size(), 64u);
    }
    // Not asked: nothing recorded (the gateway then sends 0, not 1).
    auto unasked = consent::parseSelection("none");
    auto records = consent::consentRecords(*unasked, offerFor(false), ConsentCatalog::builtin(), context, random);
    ASSERT_TRUE(records);
    EXPECT_TRUE(std::none_of(records->begin(), records->end(),
                             [](const model::Consent& c) { return c.kind == model::ConsentKind::Limit; }));
    EXPECT_FALSE(consent::parseSelection("none", "", "maybe"));
    EXPECT_FALSE(consent::parseSelection("limit")) << "not an item of the medical-information list";
}

TEST(LimitConsent, TheTextsUseSeed004sPrintedWording)
{
    const ConsentCatalog& catalog = ConsentCatalog::builtin();
    for (const auto id : {TextId::Diagnosis, TextId::Pharmacy, TextId::Operation, TextId::Checkup}) {
        const auto text = catalog.current("ja", id);
        ASSERT_TRUE(text);
        EXPECT_NE(text->text.find("当機関に提供することに同意しますか"), std::string::npos) << text->versionId();
        EXPECT_NE(text->text.find("この情報はあなたの診察や健康管理のために使用します"), std::string::npos);
    }
    EXPECT_NE(catalog.current("ja", TextId::All)->text.find("診療・服薬・健診情報の利用について確認してください"),
              std::string::npos);
    // The published version stays as it was: records made with it keep their words.
    EXPECT_TRUE(catalog.text("2026-11", "ja", TextId::Diagnosis));
}

} // namespace
} // namespace zaitaku::testing
