// `examphoto check-data`: a consistency check of the database and the blob store, run after
// a crash or a restore. It finds what a half-finished write could leave: a row naming a blob
// that is not there, a collection in a state its rows do not support, a verification job
// whose lease ran out with nobody to finish it, temporary files of writes that never ended.
// Read-only unless asked to repair (then only stale temporary files are removed).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "storage/blob_store.h"
#include "storage/database.h"

namespace examphoto {

struct DataFinding {
  std::string kind;    // missing_blob, bad_state, missing_job, duplicate_job, stuck_job, bad_job,
                       // stale_temp_file; notices: unreferenced_blob
  std::string detail;  // names rows by id and blobs by key; never personal data
};

struct DataCheckReport {
  std::vector<DataFinding> problems;
  std::vector<DataFinding> notices;  // harmless (e.g. a blob whose row was never written)
  int64_t collections = 0;
  int64_t blob_references = 0;
  int64_t blobs = 0;
  int64_t jobs = 0;
  int64_t repaired = 0;
  bool ok() const { return problems.empty(); }
};

struct DataCheckOptions {
  // A running job whose lease ended longer ago than this has no live worker.
  std::chrono::seconds job_grace{120};
  // A temporary blob file older than this belongs to a write that never finished.
  std::chrono::seconds temp_file_age{600};
  bool repair = false;  // remove stale temporary files
};

// `files` is the file store under `blobs` when blobs are files (for temporary files), else null.
DataCheckReport CheckData(Database& database, BlobStore& blobs, const FileBlobStore* files,
                          int64_t now_millis, const DataCheckOptions& options = {});

}  // namespace examphoto
