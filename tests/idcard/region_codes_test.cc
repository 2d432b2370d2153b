// The GB/T 2260 table compiled in, and addresses matched against it.
#include "idcard/region_codes.h"

#include <gtest/gtest.h>

namespace examphoto {
namespace {

TEST(RegionCodes, NamesDivisionsByCode) {
  const RegionTable& table = RegionTable::Builtin();
  EXPECT_GT(table.size(), 3000u);
  EXPECT_EQ(table.Name("110105"), "朝阳区");
  EXPECT_EQ(table.Name("430000"), "湖南省");
  EXPECT_EQ(table.Name("999999"), std::nullopt);
  EXPECT_TRUE(table.KnowsProvince("110105194912310021"));
  EXPECT_FALSE(table.KnowsProvince("990105194912310021"));
}

TEST(RegionCodes, MatchesProvinceCityAndCountyAtTheStartOfAnAddress) {
  const RegionTable& table = RegionTable::Builtin();
  const auto hunan = table.MatchAddress("湖南省长沙市岳麓区学府路12号");
  ASSERT_TRUE(hunan);
  EXPECT_EQ(hunan->code, "430104");
  EXPECT_EQ(hunan->level, 3);
  EXPECT_EQ(hunan->characters, 9);
  EXPECT_EQ(hunan->substitutions, 0);
  // Municipalities print no city.
  const auto beijing = table.MatchAddress("北京市朝阳区建设路1号");
  ASSERT_TRUE(beijing);
  EXPECT_EQ(beijing->code, "110105");
  EXPECT_EQ(beijing->canonical, "北京市朝阳区");
}

TEST(RegionCodes, RepairsOneMisreadCharacterInALongName) {
  const auto region = RegionTable::Builtin().MatchAddress("湖南省长沙市岳麓医学府路12号");
  ASSERT_TRUE(region);
  EXPECT_EQ(region->canonical, "湖南省长沙市岳麓区");
  EXPECT_EQ(region->substitutions, 1);
}

TEST(RegionCodes, AgreementOfAddressAndNumber) {
  const RegionTable& table = RegionTable::Builtin();
  EXPECT_EQ(table.Agreement("北京市朝阳区建设路1号", "110105194912310021"), 3);
  EXPECT_EQ(table.Agreement("北京市海淀区建设路1号", "110105194912310021"), 2);
  EXPECT_EQ(table.Agreement("湖南省长沙市岳麓区", "110105194912310021"), 0);
}

TEST(RegionCodes, RefusesAMalformedTable) {
  EXPECT_FALSE(RegionTable::Parse("11000 北京市\n").ok());
  auto parsed = RegionTable::Parse("# comment\n110000\t北京市\n");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->size(), 1u);
}

}  // namespace
}  // namespace examphoto
