// The blobs one upload writes before its row commits. Unless Keep() is called once the row
// is committed, they are removed again when this goes out of scope, so a failure half-way
// (a full disk, the database gone, a state conflict) leaves no unreferenced files behind.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "storage/blob_store.h"

namespace examphoto {

class PendingBlobs {
 public:
  explicit PendingBlobs(BlobStore& blobs) : blobs_(blobs) {}
  PendingBlobs(const PendingBlobs&) = delete;
  PendingBlobs& operator=(const PendingBlobs&) = delete;
  ~PendingBlobs();

  // Stores bytes under a new key starting with prefix and returns the key.
  std::string Put(std::string_view prefix, std::string_view bytes);
  // The row that references the blobs is committed: they stay.
  void Keep() { kept_ = true; }

 private:
  BlobStore& blobs_;
  std::vector<std::string> written_;
  bool kept_ = false;
};

}  // namespace examphoto
