#include "storage/blob_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/test_database.h"

namespace examphoto {
namespace {

class FileBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ =
        std::filesystem::temp_directory_path() /
        ("examphoto-blobs-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::filesystem::path root_;
};

TEST_F(FileBlobStoreTest, StoresReplacesAndRemoves) {
  FileBlobStore store(root_);
  const std::string key = NewBlobKey("photo");
  EXPECT_FALSE(store.Get(key));
  store.Put(key, std::string("\x00\xff\x10", 3));
  EXPECT_EQ(*store.Get(key), std::string("\x00\xff\x10", 3));
  store.Put(key, "second");
  EXPECT_EQ(*store.Get(key), "second");
  store.Remove(key);
  EXPECT_FALSE(store.Get(key));
}

TEST_F(FileBlobStoreTest, LeavesNoTemporaryFilesBehind) {
  FileBlobStore store(root_);
  store.Put("card/abc", std::string(100000, 'x'));
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root_)) {
    if (entry.is_regular_file()) {
      ++files;
      EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos);
    }
  }
  EXPECT_EQ(files, 1);
}

TEST_F(FileBlobStoreTest, RefusesKeysThatEscapeTheRoot) {
  FileBlobStore store(root_);
  EXPECT_THROW(store.Put("../escape", "x"), DatabaseError);
  EXPECT_THROW(store.Put("/etc/passwd", "x"), DatabaseError);
  EXPECT_THROW(store.Get("a/../../b"), DatabaseError);
}

TEST(BlobKeys, AreRandomAndPrefixed) {
  const std::string a = NewBlobKey("upload");
  const std::string b = NewBlobKey("upload");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("upload/", 0), 0u);
  EXPECT_EQ(a.size(), std::string("upload/").size() + 32);
}

TEST(DatabaseBlobStore, StoresBinaryInTheDatabase) {
  testing::TestDatabase db;
  DatabaseBlobStore store(db.database(), [] { return int64_t{1}; });
  std::string bytes(300000, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 31);
  store.Put("photo/1", bytes);
  EXPECT_EQ(*store.Get("photo/1"), bytes);
  store.Put("photo/1", "v2");
  EXPECT_EQ(*store.Get("photo/1"), "v2");
  store.Remove("photo/1");
  EXPECT_FALSE(store.Get("photo/1"));
}

}  // namespace
}  // namespace examphoto
