#include "domain/utf8.h"

#include <gtest/gtest.h>

namespace examphoto {
namespace {

TEST(Utf8, SplitsMixedTextIntoCharacters) {
  EXPECT_EQ(SplitUtf8("王珺·A1"), (std::vector<std::string>{"王", "珺", "·", "A", "1"}));
  EXPECT_EQ(SplitUtf8("𠀀x"), (std::vector<std::string>{"𠀀", "x"}));  // four bytes
  EXPECT_TRUE(SplitUtf8("").empty());
}

TEST(Utf8, ATruncatedLastSequenceStaysInsideTheText) {
  const std::string cut = std::string("王") + std::string("珺").substr(0, 2);
  EXPECT_EQ(SplitUtf8(cut), (std::vector<std::string>{"王", std::string("珺").substr(0, 2)}));
}

TEST(Utf8, CountsCharactersNotBytes) {
  EXPECT_EQ(Utf8Length("欧阳晓雯"), 4u);
  EXPECT_EQ(Utf8Length("A𠀀b"), 3u);
  EXPECT_EQ(Utf8Length(""), 0u);
}

TEST(Utf8, ValidatesWellFormedTextOnly) {
  EXPECT_TRUE(IsValidUtf8("王珺 ABC 𠀀"));
  EXPECT_FALSE(IsValidUtf8("\xD5\xC5\xC8\xFD"));  // 张三 in GBK
  EXPECT_FALSE(IsValidUtf8("\xE5\xBC"));          // cut short
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // a UTF-16 surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
}

TEST(Utf8, DecodesOneCharacter) {
  EXPECT_EQ(DecodeUtf8("A"), U'A');
  EXPECT_EQ(DecodeUtf8("张"), U'张');
  EXPECT_EQ(DecodeUtf8("𠀀"), U'\U00020000');
  EXPECT_EQ(DecodeUtf8("\xE5\xBC"), U'\uFFFD');
}

}  // namespace
}  // namespace examphoto
