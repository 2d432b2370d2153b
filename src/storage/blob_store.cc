#include "storage/blob_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "storage/encrypting_blob_store.h"

namespace examphoto {
namespace {

[[noreturn]] void ThrowIo(const std::string& what, int error = errno) {
  const auto kind = (error == ENOSPC || error == EDQUOT) ? DatabaseError::Kind::kStorageFull
                    : (error == EROFS || error == EIO)   ? DatabaseError::Kind::kUnavailable
                                                         : DatabaseError::Kind::kOther;
  throw DatabaseError(kind, what + ": " + std::strerror(error));
}

void WriteAll(int fd, std::string_view bytes, const std::string& path) {
  const char* data = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      ThrowIo("write " + path);
    }
    data += written;
    left -= static_cast<size_t>(written);
  }
}

bool IsSafeKey(std::string_view key) {
  if (key.empty() || key.size() > 200 || key.front() == '/') return false;
  if (key.find("..") != std::string_view::npos) return false;
  for (char c : key) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '-' || c == '_' ||
          c == '.')) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<BlobStoreOptions> BlobStoreOptions::FromConfig(const ConfigSection& section,
                                                      const std::filesystem::path& data_dir) {
  BlobStoreOptions options;
  std::string dir = (data_dir / "blobs").string();
  for (const Status& read :
       {section.ReadChoice("store", options.store, {"file", "database"}), section.Read("dir", dir),
        section.ReadChoice("encryption", options.encryption, {"on", "off"}),
        section.ReadSecret("encryption_key", options.encryption_key),
        section.ReadSecret("encryption_old_keys", options.encryption_old_keys)}) {
    if (!read.ok()) return read.error();
  }
  options.dir = dir;
  options.key_file = data_dir / "blob.key";
  // Several instances share a database store and must seal with one key: a key generated
  // into one instance's data folder would leave the others unable to read its blobs.
  if (options.store == "database" && options.encryption == "on" && options.encryption_key.empty()) {
    return section.Invalid("encryption_key",
                           "the same key on every instance sharing blobs.store = database "
                           "(examphoto blobs new-key --id 2026a), or blobs.encryption = off");
  }
  if (options.encryption_key.empty() && !options.encryption_old_keys.empty()) {
    return section.Invalid("encryption_key", "a current key when blobs.encryption_old_keys is set");
  }
  if (!options.encryption_key.empty() && !ParseBlobKey(options.encryption_key).ok()) {
    return section.Invalid("encryption_key", "ID:HEX64 (examphoto blobs new-key --id ID)");
  }
  if (!ParseBlobKeyList(options.encryption_old_keys).ok()) {
    return section.Invalid("encryption_old_keys", "ID:HEX64 keys separated by commas");
  }
  return options;
}

std::string NewBlobKey(std::string_view prefix) {
  unsigned char random[16];
  randombytes_buf(random, sizeof random);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, random, sizeof random);
  return std::string(prefix) + "/" + hex;
}

FileBlobStore::FileBlobStore(std::filesystem::path root) : root_(std::move(root)) {
  std::filesystem::create_directories(root_);
}

std::filesystem::path FileBlobStore::PathFor(std::string_view key) const {
  if (!IsSafeKey(key)) throw DatabaseError(DatabaseError::Kind::kOther, "unsafe blob key");
  return root_ / std::string(key);
}

void FileBlobStore::Put(std::string_view key, std::string_view bytes) {
  const std::filesystem::path target = PathFor(key);
  std::error_code made;
  std::filesystem::create_directories(target.parent_path(), made);
  if (made) ThrowIo("create " + target.parent_path().string(), made.value());
  const std::string temporary = target.string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                                std::to_string(randombytes_random());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) ThrowIo("open " + temporary);
  try {
    WriteAll(fd, bytes, temporary);
    if (::fsync(fd) != 0) ThrowIo("fsync " + temporary);
  } catch (...) {
    ::close(fd);
    ::unlink(temporary.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(temporary.c_str(), target.c_str()) != 0) {
    ::unlink(temporary.c_str());
    ThrowIo("rename " + temporary);
  }
  // The rename is durable only once the folder itself is synced.
  const int dir = ::open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

std::optional<std::string> FileBlobStore::Get(std::string_view key) {
  std::ifstream in(PathFor(key), std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  return std::move(content).str();
}

void FileBlobStore::Remove(std::string_view key) {
  std::error_code ignored;
  std::filesystem::remove(PathFor(key), ignored);
}

std::vector<std::string> FileBlobStore::ListKeys() {
  std::vector<std::string> keys;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(root_, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_regular_file()) continue;
    std::string key = std::filesystem::relative(it->path(), root_).generic_string();
    if (key.find(".tmp-") != std::string::npos || !IsSafeKey(key)) continue;
    keys.push_back(std::move(key));
  }
  return keys;
}

std::vector<std::filesystem::path> FileBlobStore::StaleTemporaryFiles(
    std::chrono::seconds min_age) const {
  std::vector<std::filesystem::path> stale;
  const auto cutoff = std::filesystem::file_time_type::clock::now() - min_age;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(root_, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_regular_file()) continue;
    if (it->path().filename().string().find(".tmp-") == std::string::npos) continue;
    std::error_code time_error;
    const auto written = std::filesystem::last_write_time(it->path(), time_error);
    if (!time_error && written <= cutoff) stale.push_back(it->path());
  }
  return stale;
}

void DatabaseBlobStore::Put(std::string_view key, std::string_view bytes) {
  auto c = database_.Acquire();
  c->Execute(
      "INSERT INTO blobs (blob_key, content, size, created_at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (blob_key) DO UPDATE SET content = excluded.content, size = excluded.size",
      {key, SqlBytes{bytes}, static_cast<int64_t>(bytes.size()), now_()});
}

std::optional<std::string> DatabaseBlobStore::Get(std::string_view key) {
  auto c = database_.Acquire();
  auto rows = c->Query("SELECT content FROM blobs WHERE blob_key = $1", {key});
  if (rows.empty()) return std::nullopt;
  return rows.front().Text(0);
}

void DatabaseBlobStore::Remove(std::string_view key) {
  auto c = database_.Acquire();
  c->Execute("DELETE FROM blobs WHERE blob_key = $1", {key});
}

std::vector<std::string> DatabaseBlobStore::ListKeys() {
  auto c = database_.Acquire();
  std::vector<std::string> keys;
  for (const auto& row : c->Query("SELECT blob_key FROM blobs", {})) keys.push_back(row.Text(0));
  return keys;
}

}  // namespace examphoto
