// `examphoto purge`: after the retention period, deletes a season's raw uploads (every ID
// card capture with its straightened card and printed portrait, and every uploaded portrait)
// while keeping what the office must keep: the candidate's record, the collection with its
// readings and history, and the accepted standard photo. Rows stay; their blob keys are
// marked "purged/<key>" first and the bytes removed after, so a crash in between leaves
// nothing that a second run (or check-data) would not understand.
#pragma once

#include <cstdint>
#include <string>

#include "storage/blob_store.h"
#include "storage/database.h"

namespace examphoto {

struct PurgeOptions {
  std::string exam_session;  // candidates.exam_session
  int64_t older_than_days = 0;
  bool dry_run = false;
};

struct PurgeReport {
  int64_t candidates = 0;          // candidates of the session
  int64_t skipped_candidates = 0;  // a verification still runs: left alone this time
  int64_t id_card_uploads = 0;     // rows whose images go
  int64_t photo_uploads = 0;       // photo attempts whose upload goes
  int64_t photos = 0;              // finished photos of attempts that are not the kept one
  int64_t blobs_removed = 0;       // blob keys removed (0 in a dry run)
};

PurgeReport PurgeUploads(Database& database, BlobStore& blobs, int64_t now_millis,
                         const PurgeOptions& options);

}  // namespace examphoto
