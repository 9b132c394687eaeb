// Issue 28, item 3: does an answer belong to the roster patient? 生年月日 must agree; カナ氏名 is
// compared as people write it (OQS sends half-width katakana, rosters hold full-width).

#include "verify/rules/PatientMatch.h"

#include "RulesTestSupport.h"

namespace zaitaku::rules
{
namespace
{

using test::d;

TEST(PatientMatchTest, KanaIsComparedWhateverItsWidthAndSpacing)
{
    EXPECT_TRUE(sameKana("ｻﾞｲﾀｸ ﾊﾅｺ", "ザイタク ハナコ"));
    EXPECT_TRUE(sameKana("ｹｲｿﾞｸ ﾀﾛｳ", "ケイゾク　タロウ"));
    EXPECT_TRUE(sameKana("ﾎﾟﾝﾃﾞ ｼﾞｮｳ", "ぽんで じょう")) << "handakuten, dakuten, hiragana";
    EXPECT_TRUE(sameKana("ﾄﾞｲ ｳﾞｨﾀ", "ドイ ヴィタ")) << "ド after ッ in the code table, and ヴ";
    EXPECT_FALSE(sameKana("ｻﾞｲﾀｸ ﾊﾅｺ", "ザイタク ハナエ"));
    EXPECT_FALSE(sameKana("ｻｲﾀｸ", "ザイタク")) << "a missing dakuten is another name";
    EXPECT_EQ(normalizedKana("ｼｮｳｶｲ ﾊﾅｺ"), "ショウカイハナコ");
}

TEST(PatientMatchTest, ABirthdateThatDiffersIsNotThisPatientsAndSaysBoth)
{
    EXPECT_FALSE(birthdateMismatch(d("1950-03-10"), d("1950-03-10"), "資格確認結果"));
    EXPECT_FALSE(birthdateMismatch(std::nullopt, d("1950-03-10"), "資格確認結果")) << "nothing to compare";
    const auto other = birthdateMismatch(d("1938-11-03"), d("1950-03-10"), "カード券面");
    ASSERT_TRUE(other);
    EXPECT_NE(other->find("本人と一致しない可能性"), std::string::npos);
    EXPECT_NE(other->find("カード券面の生年月日 1938-11-03"), std::string::npos) << *other;
    EXPECT_NE(other->find("名簿の生年月日 1950-03-10"), std::string::npos) << *other;
}

TEST(PatientMatchTest, AKanaDifferenceIsAWarningThatSaysTheClaimStands)
{
    EXPECT_FALSE(kanaDifference("ｻﾞｲﾀｸ ﾊﾅｺ", "ザイタク ハナコ"));
    EXPECT_FALSE(kanaDifference("", "ザイタク ハナコ")) << "no kana in the answer: nothing to say";
    const auto differs = kanaDifference("ｻﾞｲﾀｸ ﾊﾅｴ", "ザイタク ハナコ");
    ASSERT_TRUE(differs);
    EXPECT_NE(differs->find("ｻﾞｲﾀｸ ﾊﾅｴ"), std::string::npos);
    EXPECT_NE(differs->find("請求できます"), std::string::npos) << "seed 003: 「●」表記のままでもレセプト請求が可能";
}

} // namespace
} // namespace zaitaku::rules
