#include <gtest/gtest.h>

#include <set>

#include "domain/messages.h"
#include "idcard/ethnic_groups.h"
#include "idcard/field_reader.h"
#include "idcard/id_card_reader.h"

namespace examphoto {
namespace {

TEST(RegistrationCheck, NamesNothingWhenNameAndNumberAgree) {
  IdCardFields fields;
  fields.name = "张三";
  fields.id_number = "11010519491231002X";
  EXPECT_TRUE(CompareWithRegistration(fields, "张三", "11010519491231002x").empty());
  EXPECT_TRUE(CompareWithRegistration(fields, " 张三 ", "11010519491231002X").empty());
}

TEST(RegistrationCheck, NamesEachDifferingField) {
  IdCardFields fields;
  fields.name = "张三";
  fields.id_number = "11010519491231002X";
  EXPECT_EQ(CompareWithRegistration(fields, "张珊", "11010519491231002X"),
            std::vector<std::string>{"name"});
  EXPECT_EQ(CompareWithRegistration(fields, "张三", "110105194912310039"),
            std::vector<std::string>{"id_number"});
  EXPECT_EQ(CompareWithRegistration(fields, "李四", "110105194912310039"),
            (std::vector<std::string>{"name", "id_number"}));
}

TEST(EditingSoftware, RecognisesEditorsButNotCameraFirmware) {
  EXPECT_TRUE(NamesEditingSoftware("Adobe Photoshop 24.1 (Windows)"));
  EXPECT_TRUE(NamesEditingSoftware("paint.net 4.2.5"));
  EXPECT_TRUE(NamesEditingSoftware("美图秀秀"));
  EXPECT_FALSE(NamesEditingSoftware(""));
  EXPECT_FALSE(NamesEditingSoftware("MediaTek Camera Application"));
  EXPECT_FALSE(NamesEditingSoftware("HDR+ 1.0.540104418zd"));
}

TEST(EthnicGroups, ListsFiftySixDistinctNames) {
  const auto names = EthnicGroupNames();
  EXPECT_EQ(names.size(), 56u);
  EXPECT_EQ(std::set<std::string_view>(names.begin(), names.end()).size(), 56u);
  EXPECT_TRUE(IsEthnicGroupName("维吾尔"));
  EXPECT_FALSE(IsEthnicGroupName("维吾尔族"));
}

TEST(EditDistance, CountsCharactersNotBytes) {
  EXPECT_EQ(CharacterEditDistance("傈僳", "傈僳"), 0);
  EXPECT_EQ(CharacterEditDistance("傈僳", "傈"), 1);
  EXPECT_EQ(CharacterEditDistance("汉", "满"), 1);
  EXPECT_EQ(CharacterEditDistance("", "abc"), 3);
}

TEST(IdCardMessages, EveryIssueCodeHasACatalogueText) {
  for (const char* code : {"idcard.ocr_unavailable",
                           "idcard.not_found",
                           "idcard.corner_cut",
                           "idcard.too_small",
                           "idcard.blurred",
                           "idcard.glare",
                           "idcard.wrong_side_portrait_expected",
                           "idcard.wrong_side_emblem_expected",
                           "idcard.edited",
                           "idcard.name_unreadable",
                           "idcard.sex_unreadable",
                           "idcard.ethnicity_unreadable",
                           "idcard.birth_date_unreadable",
                           "idcard.address_unreadable",
                           "idcard.number_unreadable",
                           "idcard.number_check_digit",
                           "idcard.number_invalid",
                           "idcard.birth_date_mismatch",
                           "idcard.sex_mismatch",
                           "idcard.authority_unreadable",
                           "idcard.validity_unreadable",
                           "idcard.expired",
                           "idcard.not_yet_valid",
                           "idcard.registration_mismatch"}) {
    EXPECT_TRUE(HasMessage(code)) << code;
  }
}

}  // namespace
}  // namespace examphoto
