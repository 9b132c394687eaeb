#include "device/mynacard/VerificationCodeB.h"

#include <gtest/gtest.h>

namespace zaitaku::device
{
namespace
{

base::Date d(const char* text)
{
    return base::Date::parse(text).value();
}

std::string digits(const SecretDigits& s)
{
    return std::string(s.bytes().begin(), s.bytes().end());
}

TEST(EraDateTest, ConvertsAcrossEraBoundaries)
{
    EXPECT_EQ(eraYymmdd(d("1980-02-17")).value(), "550217"); // 昭和55年
    EXPECT_EQ(eraYymmdd(d("1989-01-07")).value(), "640107"); // 昭和64年, the last day
    EXPECT_EQ(eraYymmdd(d("1989-01-08")).value(), "010108"); // 平成元年
    EXPECT_EQ(eraYymmdd(d("2019-04-30")).value(), "310430"); // 平成31年
    EXPECT_EQ(eraYymmdd(d("2019-05-01")).value(), "010501"); // 令和元年
    EXPECT_EQ(eraYymmdd(d("2020-02-24")).value(), "020224"); // nfcpy script example: 令和2年2月24日
    EXPECT_EQ(eraYymmdd(d("1926-12-24")).value(), "151224"); // 大正15年
    EXPECT_EQ(eraYymmdd(d("1926-12-25")).value(), "011225"); // 昭和元年
    EXPECT_EQ(toEraDate(d("1912-07-30"))->era, "大正");
    EXPECT_EQ(toEraDate(d("1912-07-29"))->era, "明治");
    EXPECT_FALSE(toEraDate(d("1868-01-24")).has_value());
}

TEST(VerificationCodeBTest, BuildsTheWorkedExample)
{
    // myna-card data.rs: 昭和55年2月17日, expiry 2035, code 2285 → 55021720352285.
    auto code = makeVerificationCodeB(d("1980-02-17"), 2035, "2285");
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(digits(*code), "55021720352285");
    auto parsed = parseVerificationCodeB("birth=1980-02-17,expiry-year=2035,code=2285");
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(digits(*parsed), "55021720352285");
}

TEST(VerificationCodeBTest, RejectsBadInputWithoutEchoingIt)
{
    for (const char* bad : {"birth=1980-02-17,expiry-year=2035", "birth=1980-02-30,expiry-year=2035,code=2285",
                            "birth=1980-02-17,expiry-year=35,code=2285", "birth=1980-02-17,expiry-year=2035,code=22x5",
                            "birth=1980-02-17,expiry-year=2035,code=22855", "nonsense"}) {
        auto code = parseVerificationCodeB(bad);
        ASSERT_FALSE(code.has_value()) << bad;
        EXPECT_EQ(code.error().code, Errc::InvalidInput);
        EXPECT_EQ(code.error().message.find("2285"), std::string::npos);
    }
}

TEST(SecretDigitsTest, AcceptsOnlyExactDigitsAndDigestsWithSalt)
{
    EXPECT_TRUE(makeAuthPin("1234").has_value());
    for (const char* bad : {"", "123", "12345", "12a4", "١٢٣٤"}) {
        auto pin = makeAuthPin(bad);
        ASSERT_FALSE(pin.has_value()) << bad;
        EXPECT_EQ(pin.error().message.find(bad[0] ? bad : "x"), std::string::npos);
    }
    auto a = makeAuthPin("1234");
    auto b = makeAuthPin("1234");
    auto c = makeAuthPin("4321");
    const base::Bytes salt1{1, 2, 3};
    const base::Bytes salt2{4, 5, 6};
    EXPECT_EQ(a->digest(salt1), b->digest(salt1));
    EXPECT_NE(a->digest(salt1), c->digest(salt1));
    EXPECT_NE(a->digest(salt1), a->digest(salt2));
    SecretDigits moved = std::move(*a);
    EXPECT_EQ(moved.size(), 4u);
    EXPECT_EQ(a->size(), 0u); // the moved-from buffer is wiped
}

} // namespace
} // namespace zaitaku::device
