#include "service/roster_csv.h"

#include <gtest/gtest.h>

namespace examphoto {
namespace {

TEST(RosterCsv, ParsesQuotedCellsWithCommasQuotesAndNewlines) {
  auto rows = ParseCsv("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",x,y\n\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].cells, (std::vector<std::string>{"a", "b,c", "say \"hi\""}));
  EXPECT_EQ(rows[1].cells[0], "multi\nline");
  EXPECT_EQ(rows[1].line, 2);
}

TEST(RosterCsv, ReadsUtf8WithBomAndGbk) {
  auto utf8 = DecodeRosterText("\xEF\xBB\xBF姓名");
  ASSERT_TRUE(utf8.ok());
  EXPECT_EQ(*utf8, "姓名");
  // "姓名" in GBK.
  auto gbk = DecodeRosterText("\xD0\xD5\xC3\xFB");
  ASSERT_TRUE(gbk.ok());
  EXPECT_EQ(*gbk, "姓名");
}

TEST(RosterCsv, RefusesEmptyFilesAndUnknownEncodings) {
  EXPECT_EQ(DecodeRosterText("").error().code, "roster.file_empty");
  EXPECT_EQ(DecodeRosterText(" \r\n").error().code, "roster.file_empty");
  EXPECT_EQ(DecodeRosterText(std::string("\x81\x20\xff\xfe", 4)).error().code, "roster.encoding");
}

TEST(RosterCsv, FindsColumnsByChineseOrEnglishNamesInAnyOrder) {
  auto table = ReadRosterTable(
      "phone,name,exam_session,id_number,registration_no\n"
      "13900000001,张三,S1,11010519491231002X,R1\n");
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->candidates.size(), 1u);
  EXPECT_EQ(table->candidates[0].name, "张三");
  EXPECT_EQ(table->candidates[0].registration_no, "R1");
}

TEST(RosterCsv, NamesTheMissingColumns) {
  auto table = ReadRosterTable("报名号,姓名\nR1,张三\n");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.error().code, "roster.header");
  EXPECT_NE(table.error().message.find("身份证号"), std::string::npos);
  EXPECT_NE(table.error().message.find("手机号"), std::string::npos);
}

TEST(RosterCsv, UnwrapsExcelTextFormulas) {
  auto table = ReadRosterTable(
      "报名号,姓名,身份证号,手机号,考试批次\nR1,张三,=\"11010519491231002X\",13900000001,S\n");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->candidates[0].id_number, "11010519491231002X");
}

}  // namespace
}  // namespace examphoto
