// Keeps only a candidate's latest uploads per slot (security finding F12): a logged-in
// candidate could otherwise fill the disk by uploading 15 MiB again and again. After each
// upload, the raw bytes of that slot's older uploads beyond the newest `keep` are removed,
// the way `examphoto purge` removes them: the row stays (the office's history and the
// readings), its key is marked "purged/<key>" first and the bytes removed after. The small
// derived images (card crop, printed portrait, finished photo) stay.
#pragma once

#include <cstdint>
#include <string_view>

#include "storage/blob_store.h"
#include "storage/database.h"

namespace examphoto {

enum class UploadSlot { kIdCardPortrait, kIdCardEmblem, kPhoto };

// Returns how many uploads' raw bytes were removed.
int64_t PruneOldUploads(Database& database, BlobStore& blobs, int64_t candidate_id, UploadSlot slot,
                        int64_t keep);

}  // namespace examphoto
