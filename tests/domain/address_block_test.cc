#include "domain/address_block.h"

#include <gtest/gtest.h>

namespace examphoto {
namespace {

TEST(AddressBlock, Ipv4IsCountedPerAddress) {
  EXPECT_EQ(AddressBlock("203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(AddressBlock("::ffff:198.51.100.7"), "198.51.100.7");
}

TEST(AddressBlock, Ipv6IsCountedPerSlash64) {
  EXPECT_EQ(AddressBlock("2001:db8:1:2:a:b:c:d"), "2001:db8:1:2::/64");
  EXPECT_EQ(AddressBlock("2001:db8:1:2::ffff"), "2001:db8:1:2::/64");
  EXPECT_NE(AddressBlock("2001:db8:1:3::1"), AddressBlock("2001:db8:1:2::1"));
  EXPECT_EQ(AddressBlock("::1"), "::/64");
}

TEST(AddressBlock, OtherTextIsKeptAsItIs) {
  EXPECT_EQ(AddressBlock("unknown"), "unknown");
  EXPECT_EQ(AddressBlock(""), "");
}

}  // namespace
}  // namespace examphoto
