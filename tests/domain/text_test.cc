#include "domain/text.h"

#include <gtest/gtest.h>

namespace examphoto {
namespace {

TEST(Text, TrimsAsciiAndFullWidthSpacesAtBothEnds) {
  EXPECT_EQ(Trim("  张三\t\r\n"), "张三");
  EXPECT_EQ(Trim("\xE3\x80\x80 张 三\xE3\x80\x80"), "张 三");  // U+3000 around, a space inside
  EXPECT_EQ(Trim(" \xE3\x80\x80 "), "");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim("\xE3\x80"), "\xE3\x80");  // a cut sequence is not a space
}

TEST(Text, FindsControlBidiAndZeroWidthCharacters) {
  EXPECT_FALSE(HasInvisibleControls("欧阳晓雯"));
  EXPECT_FALSE(HasInvisibleControls("Zhang San-Feng · 阿卜杜"));
  EXPECT_TRUE(HasInvisibleControls(std::string("张\0三", 4)));
  EXPECT_TRUE(HasInvisibleControls("张\n三"));
  EXPECT_TRUE(HasInvisibleControls("张\t三"));
  EXPECT_TRUE(HasInvisibleControls("张\x7f"));
  EXPECT_TRUE(HasInvisibleControls("\xC2\x85"));  // U+0085 next line
  EXPECT_TRUE(
      HasInvisibleControls("\xE2\x80\xAE"
                           "三张"));                      // U+202E right-to-left override
  EXPECT_TRUE(HasInvisibleControls("张\xE2\x81\xA6三"));  // U+2066 left-to-right isolate
  EXPECT_TRUE(HasInvisibleControls("张\xE2\x80\x8F"));    // U+200F right-to-left mark
  EXPECT_TRUE(HasInvisibleControls("张\xE2\x80\x8B三"));  // U+200B zero-width space
  EXPECT_TRUE(HasInvisibleControls("\xEF\xBB\xBF张"));    // U+FEFF
  EXPECT_TRUE(HasInvisibleControls("\xD8\x9C"));          // U+061C Arabic letter mark
  EXPECT_TRUE(HasInvisibleControls("\xE5\xBC"));          // cut UTF-8
}

}  // namespace
}  // namespace examphoto
