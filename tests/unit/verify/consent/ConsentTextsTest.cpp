// The consent texts: every embedded text matches MANIFEST.sha256 (a published wording never
// changes: a new wording is a new version), every version has every text in ja and en, and the
// selection grammar refuses what it does not know.

#include "support/StoreFixture.h"
#include "verify/consent/ConsentCatalog.h"
#include "verify/consent/ConsentSelection.h"

#include <map>
#include <sstream>

namespace zaitaku::testing
{
namespace
{

using consent::ConsentCatalog;
using consent::TextId;

TEST(ConsentTexts, EveryEmbeddedTextMatchesTheManifest)
{
    const ConsentCatalog& catalog = ConsentCatalog::builtin();
    std::istringstream manifest(readAll(std::string(ZAITAKU_SOURCE_DIR) + "/verify/consent/texts/MANIFEST.sha256"));
    std::map<std::string, std::string> expected;
    for (std::string hash, path; manifest >> hash >> path;) {
        expected[path.substr(0, path.size() - 4)] = hash; // without ".txt"
    }
    ASSERT_FALSE(expected.empty());
    int checked = 0;
    for (const auto& version : catalog.versions()) {
        for (const char* lang : {"ja", "en"}) {
            for (auto id : {TextId::All, TextId::Diagnosis, TextId::Pharmacy, TextId::Operation, TextId::Checkup,
                            TextId::Prescription, TextId::Revocation, TextId::Limit}) {
                auto text = catalog.text(version, lang, id);
                if (!text && id == TextId::Limit && version < "2026-12") {
                    continue; // the 限度額 question has a text from 2026-12 on
                }
                ASSERT_TRUE(text) << version << "/" << lang << "/" << consent::textFileName(id);
                EXPECT_EQ(expected[text->versionId()], text->sha256)
                    << text->versionId() << " was edited after publication: add a new version instead";
                EXPECT_FALSE(text->text.empty());
                ++checked;
            }
        }
    }
    EXPECT_EQ(checked, static_cast<int>(expected.size()));
    EXPECT_EQ(catalog.currentVersion(), catalog.versions().back());
    EXPECT_FALSE(catalog.byVersionId("1999-01/ja/all"));
}

TEST(ConsentTexts, TheJapaneseTextsNameTheOfficialItems)
{
    const ConsentCatalog& catalog = ConsentCatalog::builtin();
    EXPECT_NE(catalog.current("ja", TextId::Diagnosis)->text.find("診療情報"), std::string::npos);
    EXPECT_NE(catalog.current("ja", TextId::Pharmacy)->text.find("薬剤情報"), std::string::npos);
    EXPECT_NE(catalog.current("ja", TextId::Operation)->text.find("手術情報"), std::string::npos);
    EXPECT_NE(catalog.current("ja", TextId::Checkup)->text.find("特定健診"), std::string::npos);
    EXPECT_NE(catalog.current("ja", TextId::Prescription)->text.find("処方箋の発行方法"), std::string::npos);
}

TEST(ConsentSelectionGrammar, ParsesAndRefuses)
{
    auto list = consent::parseSelection("diag,pharm", "electronic");
    ASSERT_TRUE(list);
    EXPECT_EQ(list->mode, consent::SelectionMode::PerItem);
    EXPECT_EQ(list->answers.size(), 2u);
    EXPECT_EQ(list->prescription, model::PrescriptionIssue::Electronic);
    EXPECT_EQ(consent::parseSelection("all")->mode, consent::SelectionMode::All);
    for (const char* bad : {"diag,,pharm", "limit", "diag,diag", "DIAG", "e_prescription", ""}) {
        auto refused = consent::parseSelection(bad);
        ASSERT_FALSE(refused) << bad;
        EXPECT_EQ(refused.error().code, consent::Errc::InvalidSelection);
    }
    EXPECT_FALSE(consent::parseSelection("all", "fax"));
    // 特定健診 from age 40: 39 years and 364 days is not yet.
    const auto on = base::Date::parse("2026-11-21").value();
    EXPECT_FALSE(consent::consentOffer({base::Date::parse("1986-11-22").value(), on, false})
                     .offers(model::ConsentKind::Checkup));
    EXPECT_TRUE(consent::consentOffer({base::Date::parse("1986-11-21").value(), on, false})
                    .offers(model::ConsentKind::Checkup));
}

} // namespace
} // namespace zaitaku::testing
