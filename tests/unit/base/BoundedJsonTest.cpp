// The nesting cap every parse of outside text goes through (security issue 21, item 2).

#include "base/BoundedJson.h"

#include <string>

#include <gtest/gtest.h>

namespace zaitaku::base
{
namespace
{

std::string nested(std::size_t depth, char open = '[', char close = ']')
{
    return std::string(depth, open) + std::string(depth, close);
}

TEST(BoundedJsonTest, AcceptsNestingUpToTheCap)
{
    const auto within = parseJson(nested(kMaxJsonDepth));
    ASSERT_FALSE(within.is_discarded());
    EXPECT_TRUE(within.is_array());
    EXPECT_TRUE(parseJson(R"({"a":{"b":[1,2,{"c":null}]}})").is_object());
}

TEST(BoundedJsonTest, RefusesNestingBeyondTheCapWithoutBuildingIt)
{
    EXPECT_TRUE(parseJson(nested(kMaxJsonDepth + 1)).is_discarded());
    // Deep enough to overflow the stack in dump() had it been built.
    const auto deep = parseJson(nested(200000));
    EXPECT_TRUE(deep.is_discarded());
    std::string objects;
    for (int i = 0; i < 40; ++i) {
        objects += R"({"k":)";
    }
    objects += "1" + std::string(40, '}');
    EXPECT_TRUE(parseJson(objects).is_discarded());
}

TEST(BoundedJsonTest, BracketsInsideStringsDoNotCount)
{
    const std::string text = R"({"s":")" + std::string(100, '[') + R"(\"[[[","t":"\\"})";
    const auto parsed = parseJson(text);
    ASSERT_FALSE(parsed.is_discarded());
    EXPECT_EQ(parsed["s"].get<std::string>().size(), 104U);
    EXPECT_TRUE(jsonNestingWithin(text, 1));
}

TEST(BoundedJsonTest, InvalidTextIsDiscarded)
{
    EXPECT_TRUE(parseJson("{").is_discarded());
    EXPECT_TRUE(parseJson("]]]").is_discarded());
    EXPECT_TRUE(parseJson("").is_discarded());
}

} // namespace
} // namespace zaitaku::base
