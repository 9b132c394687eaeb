#include "base/Expected.h"

#include "base/BaseError.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace zaitaku
{
namespace
{

Expected<int, base::Error> half(int n)
{
    if (n % 2 != 0) {
        return Unexpected(base::Error{base::Errc::InvalidFormat, "odd", "n"});
    }
    return n / 2;
}

TEST(ExpectedTest, HoldsAValueOrAnError)
{
    auto ok = half(8);
    ASSERT_TRUE(ok);
    EXPECT_EQ(*ok, 4);
    auto bad = half(7);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, base::Errc::InvalidFormat);
    EXPECT_EQ(bad.error().field, "n");
    EXPECT_EQ(bad.value_or(-1), -1);
}

TEST(ExpectedTest, MovesOutMoveOnlyValues)
{
    Expected<std::unique_ptr<int>, std::string> e(std::make_unique<int>(5));
    std::unique_ptr<int> p = std::move(e).value();
    ASSERT_TRUE(p);
    EXPECT_EQ(*p, 5);
}

TEST(ExpectedTest, VoidCarriesOnlyAnError)
{
    Expected<void, std::string> ok;
    EXPECT_TRUE(ok);
    Expected<void, std::string> failed = Unexpected(std::string("disk full"));
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error(), "disk full");
}

TEST(ExpectedTest, ErrorOfHandsTheErrorOnToAnotherResultType)
{
    const Expected<int, std::string> failed = Unexpected(std::string("disk full"));
    const auto asText = [&]() -> Expected<std::string, std::string> { return errorOf(failed); };
    const auto asNothing = [&]() -> Expected<void, std::string> { return errorOf(failed); };
    EXPECT_EQ(asText().error(), "disk full");
    EXPECT_EQ(asNothing().error(), "disk full");
    const Expected<void, std::string> voidFailed = Unexpected(std::string("read-only"));
    const Expected<int, std::string> handedOn = errorOf(voidFailed);
    EXPECT_EQ(handedOn.error(), "read-only");
}

TEST(BaseErrorTest, EveryCodeHasAName)
{
    for (auto code : {base::Errc::InvalidFormat, base::Errc::ImpossibleDate, base::Errc::OutOfRange,
                      base::Errc::UnknownCode, base::Errc::FileIo, base::Errc::DiskFull, base::Errc::ReadOnly,
                      base::Errc::FileNotFound, base::Errc::FileRefused}) {
        EXPECT_FALSE(base::toString(code).empty());
        EXPECT_NE(base::toString(code), "unknown");
    }
}

} // namespace
} // namespace zaitaku
