#include "storage/encrypting_blob_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace examphoto {
namespace {

BlobKey KeyFromText(const std::string& text) { return ParseBlobKey(text).value(); }

class EncryptingBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("examphoto-sealed-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::unique_ptr<EncryptingBlobStore> Open(const BlobKey& current, std::vector<BlobKey> older = {},
                                            bool allow_plaintext = true) {
    return std::make_unique<EncryptingBlobStore>(std::make_unique<FileBlobStore>(root_), current,
                                                 std::move(older), allow_plaintext);
  }
  std::string RawFile(const std::string& key) {
    std::ifstream in(root_ / key, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  void WriteRawFile(const std::string& key, const std::string& bytes) {
    std::filesystem::create_directories((root_ / key).parent_path());
    std::ofstream(root_ / key, std::ios::binary | std::ios::trunc) << bytes;
  }

  std::filesystem::path root_;
  const BlobKey key_a_ = KeyFromText(NewBlobKeyText("2026a"));
  const BlobKey key_b_ = KeyFromText(NewBlobKeyText("2026b"));
};

TEST_F(EncryptingBlobStoreTest, RoundTripsBytesAndStoresNoPlaintext) {
  auto store = Open(key_a_);
  const std::string photo = "\xff\xd8\xff\xe0 JFIF 110105199003071239 " + std::string(5000, 'x');
  store->Put("photo/1", photo);
  EXPECT_EQ(*store->Get("photo/1"), photo);
  const std::string raw = RawFile("photo/1");
  EXPECT_TRUE(EncryptingBlobStore::IsSealed(raw));
  EXPECT_EQ(EncryptingBlobStore::SealedKeyId(raw), "2026a");
  EXPECT_EQ(raw.find("110105199003071239"), std::string::npos);
  EXPECT_EQ(raw.find("JFIF"), std::string::npos);
  EXPECT_FALSE(store->Get("photo/absent"));
  store->Put("photo/empty", "");
  EXPECT_EQ(*store->Get("photo/empty"), "");
}

TEST_F(EncryptingBlobStoreTest, DetectsTamperingWithAnyByte) {
  // As the service runs it: blobs in clear are refused (a forged header byte cannot pass a
  // blob off as "stored before encryption").
  auto store = Open(key_a_, {}, /*allow_plaintext=*/false);
  store->Put("card/1", "the card image");
  const std::string raw = RawFile("card/1");
  for (size_t at : {size_t{0}, size_t{5}, raw.size() / 2, raw.size() - 1}) {
    std::string changed = raw;
    changed[at] = static_cast<char>(changed[at] ^ 0x01);
    WriteRawFile("card/1", changed);
    EXPECT_THROW(store->Get("card/1"), DatabaseError) << "byte " << at;
  }
  WriteRawFile("card/1", raw.substr(0, raw.size() - 3));
  EXPECT_THROW(store->Get("card/1"), DatabaseError);
}

TEST_F(EncryptingBlobStoreTest, RefusesABlobCopiedUnderAnotherKey) {
  auto store = Open(key_a_);
  store->Put("photo/mine", "candidate one");
  WriteRawFile("photo/theirs", RawFile("photo/mine"));
  EXPECT_THROW(store->Get("photo/theirs"), DatabaseError);
}

TEST_F(EncryptingBlobStoreTest, RefusesBlobsSealedWithAnUnlistedKey) {
  Open(key_a_)->Put("photo/1", "sealed with a");
  EXPECT_THROW(Open(key_b_)->Get("photo/1"), DatabaseError);
}

TEST_F(EncryptingBlobStoreTest, RotatesToTheNewKeyKeepingOldBlobsReadable) {
  auto before = Open(key_a_);
  before->Put("photo/1", "first");
  before->Put("photo/2", "second");
  WriteRawFile("upload/legacy", "stored before encryption was switched on");

  // The operator makes key b current and lists a as old: everything still reads.
  auto during = Open(key_b_, {key_a_});
  EXPECT_EQ(*during->Get("photo/1"), "first");
  EXPECT_EQ(*during->Get("upload/legacy"), "stored before encryption was switched on");
  during->Put("photo/3", "third");
  EXPECT_EQ(EncryptingBlobStore::SealedKeyId(RawFile("photo/3")), "2026b");

  RotationReport report = during->Rotate();
  EXPECT_EQ(report.examined, 4u);
  EXPECT_EQ(report.resealed, 3u);  // photo/1, photo/2 and the legacy plaintext
  EXPECT_EQ(report.unreadable, 0u);
  EXPECT_EQ(during->Rotate().resealed, 0u);  // nothing left to do

  // Key a may now be dropped from the configuration.
  auto after = Open(key_b_, {}, /*allow_plaintext=*/false);
  EXPECT_EQ(*after->Get("photo/1"), "first");
  EXPECT_EQ(*after->Get("photo/2"), "second");
  EXPECT_EQ(*after->Get("photo/3"), "third");
  EXPECT_EQ(*after->Get("upload/legacy"), "stored before encryption was switched on");
  for (const char* key : {"photo/1", "photo/2", "photo/3", "upload/legacy"}) {
    EXPECT_EQ(EncryptingBlobStore::SealedKeyId(RawFile(key)), "2026b") << key;
  }
}

TEST_F(EncryptingBlobStoreTest, RefusesPlaintextWhenAskedTo) {
  WriteRawFile("upload/legacy", "clear");
  EXPECT_THROW(Open(key_a_, {}, false)->Get("upload/legacy"), DatabaseError);
}

TEST(BlobKeyText, ParsesIdAndHexAndRefusesTheRest) {
  const std::string text = NewBlobKeyText("k1");
  auto key = ParseBlobKey(text);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->id, "k1");
  EXPECT_EQ(key->bytes.size(), 32u);
  EXPECT_FALSE(ParseBlobKey("k1").ok());
  EXPECT_FALSE(ParseBlobKey("k1:abcd").ok());
  EXPECT_FALSE(ParseBlobKey("bad id:" + std::string(64, 'a')).ok());
  EXPECT_FALSE(ParseBlobKey("k1:" + std::string(64, 'g')).ok());
  auto list = ParseBlobKeyList(NewBlobKeyText("a") + ", " + NewBlobKeyText("b"));
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 2u);
  EXPECT_TRUE(ParseBlobKeyList("").ok());
}

}  // namespace
}  // namespace examphoto
