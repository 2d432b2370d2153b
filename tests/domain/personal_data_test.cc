#include "domain/personal_data.h"

#include <gtest/gtest.h>

namespace examphoto {
namespace {

TEST(Phone, AcceptsMainlandMobileNumbers) {
  EXPECT_TRUE(IsValidMobilePhone("13812341234"));
  EXPECT_TRUE(IsValidMobilePhone("19912341234"));
  EXPECT_FALSE(IsValidMobilePhone("12812341234"));
  EXPECT_FALSE(IsValidMobilePhone("1381234123"));
  EXPECT_FALSE(IsValidMobilePhone("1381234123a"));
  EXPECT_FALSE(IsValidMobilePhone("010-8919398"));
}

TEST(Phone, NormalizesCountryCodeAndSeparators) {
  EXPECT_EQ(NormalizePhone("+86 138-1234-1234"), "13812341234");
  EXPECT_EQ(NormalizePhone("8613812341234"), "13812341234");
  EXPECT_EQ(NormalizePhone("138 1234 1234"), "13812341234");
  EXPECT_EQ(NormalizePhone("138abc"), "138abc");
}

TEST(Masking, HidesTheMiddleOfPhoneAndIdNumbers) {
  EXPECT_EQ(MaskPhone("13812341234"), "138****1234");
  EXPECT_EQ(MaskPhone("123"), "***");
  EXPECT_EQ(MaskIdNumber("11010119900307123X"), "110101********123X");
  EXPECT_EQ(MaskIdNumber("1101"), "****");
  EXPECT_EQ(MaskName("张三丰"), "张**");
  EXPECT_EQ(MaskName(""), "");
}

}  // namespace
}  // namespace examphoto

#include "domain/identity_match.h"

namespace examphoto {
namespace {

TEST(IdentityMatch, NamesTheFieldsThatDiffer) {
  using V = std::vector<std::string>;
  EXPECT_EQ(DifferingIdentityFields("张三", "11010519491231002x", "张 三", "11010519491231002X"),
            V{});
  EXPECT_EQ(DifferingIdentityFields("张三", "11010519491231002X", "张山", "11010519491231002X"),
            V{"name"});
  EXPECT_EQ(DifferingIdentityFields("张三", "110105194912310021", "张山", "11010519491231002X"),
            (V{"name", "id_number"}));
  EXPECT_EQ(DifferingIdentityFields("张三", "", "张三", "11010519491231002X"), V{"id_number"});
}

}  // namespace
}  // namespace examphoto
