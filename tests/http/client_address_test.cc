#include "http/client_address.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace examphoto {
namespace {

const std::vector<std::string> kNginxOnLoopback{"127.0.0.1", "::1"};

TEST(ClientAddress, WithoutTheHeaderIsThePeer) {
  EXPECT_EQ(ClientAddress("203.0.113.9", "", kNginxOnLoopback), "203.0.113.9");
}

TEST(ClientAddress, BehindATrustedProxyIsTheAddressItSaw) {
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.7", kNginxOnLoopback), "198.51.100.7");
}

// A client that sends its own X-Forwarded-For to a proxy that appends: the proxy's entry is
// the rightmost, and the made-up one to its left is not believed.
TEST(ClientAddress, AMadeUpEntryLeftOfTheProxysIsIgnored) {
  EXPECT_EQ(ClientAddress("127.0.0.1", "10.9.9.9, 198.51.100.7", kNginxOnLoopback), "198.51.100.7");
}

TEST(ClientAddress, TrustedHopsAreSkippedFromTheRight) {
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.7, 10.0.0.2", {"127.0.0.1", "10.0.0.2"}),
            "198.51.100.7");
}

TEST(ClientAddress, AnUntrustedPeerCannotChooseItsAddress) {
  EXPECT_EQ(ClientAddress("203.0.113.9", "198.51.100.7", kNginxOnLoopback), "203.0.113.9");
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.7", {}), "127.0.0.1");
}

TEST(ClientAddress, GarbageStopsAtTheLastVouchedAddress) {
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.7, not-an-ip", kNginxOnLoopback), "127.0.0.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "not-an-ip, 198.51.100.7", kNginxOnLoopback),
            "198.51.100.7");
}

TEST(ClientAddress, MappedAndIpv6AddressesAreCanonical) {
  EXPECT_EQ(ClientAddress("::ffff:127.0.0.1", "2001:DB8::1", kNginxOnLoopback), "2001:db8::1");
  EXPECT_EQ(ClientAddress("::1", "::ffff:198.51.100.7", kNginxOnLoopback), "198.51.100.7");
}

TEST(ParseAddressList, ReadsCommaSeparatedAddresses) {
  EXPECT_EQ(ParseAddressList(" 127.0.0.1, ::1 ,10.0.0.2").addresses,
            (std::vector<std::string>{"127.0.0.1", "::1", "10.0.0.2"}));
  EXPECT_TRUE(ParseAddressList("").addresses.empty());
  EXPECT_TRUE(ParseAddressList("").not_an_address.empty());
}

TEST(ParseAddressList, RefusesWhatIsNotAnAddress) {
  EXPECT_EQ(ParseAddressList("127.0.0.1,localhost").not_an_address, "localhost");
  EXPECT_EQ(ParseAddressList("10.0.0.0/8").not_an_address, "10.0.0.0/8");
}

}  // namespace
}  // namespace examphoto
