// Where images live (ID card captures, uploads, finished photos): an opaque key to bytes.
// Two stores: a folder on the local filesystem (single instance) and a table in the
// database (several instances share it). Keys are made by the caller from random ids.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.h"

namespace examphoto {

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // Stores bytes under key, replacing any previous value; durable when it returns.
  virtual void Put(std::string_view key, std::string_view bytes) = 0;
  virtual std::optional<std::string> Get(std::string_view key) = 0;
  virtual void Remove(std::string_view key) = 0;
  // Every stored key (for consistency checks, purges and key rotation); order unspecified.
  virtual std::vector<std::string> ListKeys() = 0;
};

// Files under a root folder. Writes go to a temporary file that is fsync'ed and renamed
// over the target, so a crash leaves either the old or the new content, never a torn file.
class FileBlobStore : public BlobStore {
 public:
  explicit FileBlobStore(std::filesystem::path root);
  void Put(std::string_view key, std::string_view bytes) override;
  std::optional<std::string> Get(std::string_view key) override;
  void Remove(std::string_view key) override;
  std::vector<std::string> ListKeys() override;
  // Temporary files left by writes that never finished (a crash between write and rename),
  // older than `min_age`. Their bytes were never visible under any key.
  std::vector<std::filesystem::path> StaleTemporaryFiles(std::chrono::seconds min_age) const;
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path PathFor(std::string_view key) const;
  std::filesystem::path root_;
};

class DatabaseBlobStore : public BlobStore {
 public:
  DatabaseBlobStore(Database& database, std::function<int64_t()> now)
      : database_(database), now_(std::move(now)) {}
  void Put(std::string_view key, std::string_view bytes) override;
  std::optional<std::string> Get(std::string_view key) override;
  void Remove(std::string_view key) override;
  std::vector<std::string> ListKeys() override;

 private:
  Database& database_;
  std::function<int64_t()> now_;
};

// Where blobs are kept and how they are sealed (section "blobs": store, dir, encryption_key,
// encryption_old_keys; see storage/encrypting_blob_store.h for the keys).
struct BlobStoreOptions {
  std::string store = "file";  // "file" (a folder, one instance) or "database" (several)
  std::filesystem::path dir;   // FromConfig's default: <data_dir>/blobs
  // "on": every blob is sealed, with encryption_key or else with the key in key_file (made
  // on first use); "off": blobs in clear (security finding F8: no longer the default).
  std::string encryption = "on";
  std::string encryption_key;       // "ID:HEX64"; empty: the key in key_file
  std::string encryption_old_keys;  // comma-separated keys that still open older blobs
  std::filesystem::path key_file;   // <data_dir>/blob.key
  static Result<BlobStoreOptions> FromConfig(const ConfigSection& section,
                                             const std::filesystem::path& data_dir);
};

// A key made of a prefix and 128 random bits, e.g. "photo/3f9c...".
std::string NewBlobKey(std::string_view prefix);

}  // namespace examphoto
