#include "domain/safe_path.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace examphoto {
namespace {

TEST(SafePath, AcceptsPlainRelativePaths) {
  EXPECT_TRUE(IsSafeRelativePath("index.html"));
  EXPECT_TRUE(IsSafeRelativePath("assets/index-3f2a.js"));
  EXPECT_TRUE(IsSafeRelativePath("uploads/2026/12/04/photo.jpg"));
  EXPECT_TRUE(IsSafeRelativePath("照片/张三.jpg"));
  EXPECT_TRUE(IsSafeRelativePath("a..b/c"));  // dots inside a name are fine
}

TEST(SafePath, RefusesAbsoluteAndDoubledSlashes) {
  for (const char* path : {"/etc/passwd", "//etc/passwd", "/", "a//b", "a/", "", "assets//x.js"}) {
    EXPECT_FALSE(IsSafeRelativePath(path)) << path;
  }
}

TEST(SafePath, RefusesParentAndCurrentSegments) {
  for (const char* path : {"..", "../x", "a/../../x", "a/..", ".", "./x", "a/./b"}) {
    EXPECT_FALSE(IsSafeRelativePath(path)) << path;
  }
}

TEST(SafePath, RefusesEncodedBackslashAndControlForms) {
  for (const std::string& path : std::vector<std::string>{
           std::string("%2F%2Fetc/passwd"), std::string("%2e%2e/x"), std::string("a\\..\\b"),
           std::string("\\etc\\passwd"), std::string("C:/Windows"), std::string("a\nb"),
           std::string("a\rb"), std::string("a\x7f"), std::string("a\0b", 3),
           std::string("a\tb")}) {
    EXPECT_FALSE(IsSafeRelativePath(path)) << path;
  }
}

}  // namespace
}  // namespace examphoto
