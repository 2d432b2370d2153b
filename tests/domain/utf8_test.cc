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

}  // namespace
}  // namespace examphoto
