#pragma once

#include "base/Date.h"
#include "base/Timestamp.h"

#include <gtest/gtest.h>

namespace zaitaku::rules::test
{

inline base::Date d(const char* text)
{
    auto parsed = base::Date::parse(text);
    EXPECT_TRUE(parsed.has_value()) << text;
    return parsed.value_or(base::Date::fromSysDays({}));
}

inline base::Timestamp ts(const char* text)
{
    auto parsed = base::Timestamp::parse(text);
    EXPECT_TRUE(parsed.has_value()) << text;
    return parsed.value_or(base::Timestamp::fromUtc({}));
}

} // namespace zaitaku::rules::test
