#include "domain/log_text.h"

#include <gtest/gtest.h>

namespace examphoto {
namespace {

TEST(LogText, PlainTokensStayAsTheyAre) {
  EXPECT_EQ(LogValue("office.admin"), "office.admin");
  EXPECT_EQ(LogValue("2026-10/roster_v2.csv"), "2026-10/roster_v2.csv");
  EXPECT_EQ(LogValue("张三"), "张三");
}

TEST(LogText, ANewlineCannotStartAForgedLine) {
  const std::string forged =
      "x\n2026-12-04T08:00:00.000+00:00 level=info staff.login username=admin";
  const std::string value = LogValue(forged);
  EXPECT_EQ(value.find('\n'), std::string::npos);
  EXPECT_EQ(value, "\"x\\n2026-12-04T08:00:00.000+00:00 level=info staff.login username=admin\"");
}

TEST(LogText, SpacesEqualsAndQuotesAreQuoted) {
  EXPECT_EQ(LogValue("a b"), "\"a b\"");
  EXPECT_EQ(LogValue("x role=admin"), "\"x role=admin\"");
  EXPECT_EQ(LogValue("say \"hi\" \\ bye"), "\"say \\\"hi\\\" \\\\ bye\"");
  EXPECT_EQ(LogValue(""), "\"\"");
}

TEST(LogText, EveryControlCharacterIsEscaped) {
  EXPECT_EQ(EscapeControlCharacters("a\rb\tc\x01\x7f"), "a\\rb\\tc\\x01\\x7f");
  EXPECT_EQ(EscapeControlCharacters(std::string("nul\0x", 5)), "nul\\x00x");
  EXPECT_EQ(EscapeControlCharacters("王 = \"ok\""), "王 = \"ok\"");
}

}  // namespace
}  // namespace examphoto
