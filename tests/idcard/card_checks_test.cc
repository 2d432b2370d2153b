// Cross-checks between fields, without a model.
#include "idcard/card_checks.h"

#include <gtest/gtest.h>

namespace examphoto {
namespace {

const CalendarDate kToday{2026, 11, 25};

bool Has(const std::vector<FieldDoubt>& doubts, const std::string& field, const std::string& code) {
  for (const auto& d : doubts) {
    if (d.field == field && d.code == code) return true;
  }
  return false;
}

PortraitFacts Consistent() {
  return {"张三", "女", "汉", "1949-12-31", "北京市朝阳区建设路1号", "11010519491231002X"};
}

TEST(CardChecks, AConsistentPortraitSideHasNoDoubt) {
  PortraitFacts f = Consistent();
  EXPECT_TRUE(CheckPortraitFields(f, RegionTable::Builtin(), kToday).empty());
}

TEST(CardChecks, BirthDateAndSexMustAgreeWithTheNumber) {
  PortraitFacts f = Consistent();
  f.birth_date = "1949-12-01";
  f.sex = "男";
  const auto doubts = CheckPortraitFields(f, RegionTable::Builtin(), kToday);
  EXPECT_TRUE(Has(doubts, "birth_date", "idcard.birth_date_mismatch"));
  EXPECT_TRUE(Has(doubts, "sex", "idcard.sex_mismatch"));
}

TEST(CardChecks, AWrongCheckCharacterDoubtsTheNumber) {
  PortraitFacts f = Consistent();
  f.id_number = "110105194912310021";
  EXPECT_TRUE(Has(CheckPortraitFields(f, RegionTable::Builtin(), kToday), "id_number",
                  "idcard.number_check_digit"));
}

TEST(CardChecks, EthnicityMustBeOneOfTheFiftySix) {
  PortraitFacts f = Consistent();
  f.ethnicity = "汗";
  EXPECT_TRUE(Has(CheckPortraitFields(f, RegionTable::Builtin(), kToday), "ethnicity",
                  "idcard.ethnicity_unsure"));
}

TEST(CardChecks, AnAddressMustStartWithADivisionAndIsRepairedWhenOneCharacterIsOff) {
  PortraitFacts f = Consistent();
  f.address = "北京市朝阳医建设路1号";  // 区 misread; 朝阳医 is no county
  bool corrected = false;
  EXPECT_TRUE(CheckPortraitFields(f, RegionTable::Builtin(), kToday, &corrected).empty());
  EXPECT_TRUE(corrected);
  EXPECT_EQ(f.address, "北京市朝阳区建设路1号");
  f.address = "建设路1号";
  EXPECT_TRUE(Has(CheckPortraitFields(f, RegionTable::Builtin(), kToday), "address",
                  "idcard.address_unsure"));
}

TEST(CardChecks, TheValidityLengthFollowsTheAgeAtIssue) {
  const CalendarDate born{1990, 3, 7};
  // 25 at issue: ten years.
  EXPECT_TRUE(CheckEmblemFields("2015-03-01", "2025-03-01", born, {2020, 1, 1}).empty());
  EXPECT_TRUE(Has(CheckEmblemFields("2015-03-01", "2035-03-01", born, {2020, 1, 1}), "valid_to",
                  "idcard.validity_inconsistent"));
  // 46 and over: 长期.
  EXPECT_TRUE(CheckEmblemFields("2010-05-01", "长期", CalendarDate{1960, 1, 1}, kToday).empty());
  EXPECT_TRUE(Has(CheckEmblemFields("2010-05-01", "长期", born, kToday), "valid_to",
                  "idcard.validity_inconsistent"));
  // The end is the same day of the month as the start.
  EXPECT_TRUE(Has(CheckEmblemFields("2015-03-01", "2025-03-02", std::nullopt, {2020, 1, 1}),
                  "valid_to", "idcard.validity_inconsistent"));
  EXPECT_EQ(ValidityYearsForAge(15), 5);
  EXPECT_EQ(ValidityYearsForAge(16), 10);
  EXPECT_EQ(ValidityYearsForAge(26), 20);
  EXPECT_EQ(ValidityYearsForAge(46), 0);
}

TEST(CardChecks, AnAuthorityIsABureauOrABranch) {
  EXPECT_TRUE(CheckAuthority("哈尔滨市公安局南岗分局").empty());
  EXPECT_TRUE(CheckAuthority("长沙县公安局").empty());
  EXPECT_TRUE(Has(CheckAuthority("哈尔滨市公安局南岗分"), "authority", "idcard.authority_unsure"));
  EXPECT_TRUE(CheckAuthority("").empty());  // nothing read is reported as unreadable
}

TEST(CardChecks, ExpiredAndNotYetValidCards) {
  EXPECT_TRUE(Has(CheckEmblemFields("2006-03-01", "2016-03-01", std::nullopt, kToday), "valid_to",
                  "idcard.expired"));
  EXPECT_TRUE(Has(CheckEmblemFields("2027-03-01", "2037-03-01", std::nullopt, kToday), "valid_from",
                  "idcard.not_yet_valid"));
}

}  // namespace
}  // namespace examphoto
