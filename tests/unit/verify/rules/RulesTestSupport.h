#pragma once

#include "verify/model/Date.h"
#include "verify/model/Timestamp.h"

#include <gtest/gtest.h>

namespace zaitaku::rules::test
{

inline model::Date d(const char* text)
{
    auto parsed = model::Date::parse(text);
    EXPECT_TRUE(parsed.has_value()) << text;
    return parsed.value_or(model::Date::fromSysDays({}));
}

inline model::Timestamp ts(const char* text)
{
    auto parsed = model::Timestamp::parse(text);
    EXPECT_TRUE(parsed.has_value()) << text;
    return parsed.value_or(model::Timestamp::fromUtc({}));
}

} // namespace zaitaku::rules::test
