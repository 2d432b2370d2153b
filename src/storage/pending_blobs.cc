#include "storage/pending_blobs.h"

namespace examphoto {

PendingBlobs::~PendingBlobs() {
  if (kept_) return;
  for (const auto& key : written_) {
    // Best effort: what cannot be removed now is reported by check-data as unreferenced.
    try {
      blobs_.Remove(key);
    } catch (...) {
    }
  }
}

std::string PendingBlobs::Put(std::string_view prefix, std::string_view bytes) {
  std::string key = NewBlobKey(prefix);
  // Recorded before the write: a write that failed half-way may still have left a file.
  written_.push_back(key);
  blobs_.Put(key, bytes);
  return key;
}

}  // namespace examphoto
