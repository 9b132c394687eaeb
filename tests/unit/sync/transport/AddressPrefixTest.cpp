// Connection caps count networks, not addresses (security review H2).

#include "sync/transport/AddressPrefix.h"

#include <gtest/gtest.h>

namespace zaitaku::testing
{
namespace
{

using sync::transport::addressPrefix;

TEST(AddressPrefixTest, AnIpv4AddressCountsAsItsSlash24)
{
    EXPECT_EQ(addressPrefix("192.0.2.77"), "192.0.2.0/24");
    EXPECT_EQ(addressPrefix("192.0.2.1"), addressPrefix("192.0.2.254"));
    EXPECT_NE(addressPrefix("192.0.2.1"), addressPrefix("192.0.3.1"));
    EXPECT_EQ(addressPrefix("127.0.0.41"), "127.0.0.0/24");
}

TEST(AddressPrefixTest, AnIpv6AddressCountsAsItsSlash64)
{
    EXPECT_EQ(addressPrefix("2001:db8:1:2:a:b:c:d"), "2001:db8:1:2::/64");
    EXPECT_EQ(addressPrefix("2001:db8:1:2::1"), addressPrefix("2001:db8:1:2:ffff:ffff:ffff:ffff"));
    EXPECT_NE(addressPrefix("2001:db8:1:2::1"), addressPrefix("2001:db8:1:3::1"));
    EXPECT_EQ(addressPrefix("::1"), "::/64");
}

TEST(AddressPrefixTest, AnIpv4MappedAddressCountsAsItsIpv4Network)
{
    EXPECT_EQ(addressPrefix("::ffff:192.0.2.9"), "192.0.2.0/24");
}

TEST(AddressPrefixTest, WhatIsNoAddressIsItsOwnBucket)
{
    EXPECT_EQ(addressPrefix(""), "");
    EXPECT_EQ(addressPrefix("not-an-address"), "not-an-address");
}

} // namespace
} // namespace zaitaku::testing
