#include "verify/rules/FushoClaim.h"

#include <gtest/gtest.h>

namespace zaitaku::rules
{
namespace
{

TEST(FushoClaimTest, FillsWithSevensPerR4)
{
    const FushoClaimFields general = fushoClaim(false);
    EXPECT_EQ(general.insurerNumber, "77777777");
    EXPECT_EQ(general.insurerNumberAlternative, "77777779");
    EXPECT_EQ(general.insuredNumber, "777777777");
    EXPECT_EQ(general.insuredNumber.size(), 9u);
    EXPECT_TRUE(general.cardSymbol.empty());
    EXPECT_EQ(general.remarksPrefix, "不詳");
}

TEST(FushoClaimTest, KoukiInsuredNumberHasEightDigits)
{
    const FushoClaimFields kouki = fushoClaim(true);
    EXPECT_EQ(kouki.insuredNumber, "77777777");
    EXPECT_EQ(kouki.insurerNumber, "77777777");
}

} // namespace
} // namespace zaitaku::rules
