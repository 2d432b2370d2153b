#include "storage/data_checker.h"

#include <filesystem>
#include <map>
#include <set>
#include <string_view>
#include <unordered_set>

#include "domain/collection_state.h"

namespace examphoto {
namespace {

constexpr std::string_view kPurgedPrefix = "purged/";

bool IsPurged(std::string_view key) { return key.substr(0, kPurgedPrefix.size()) == kPurgedPrefix; }

// States in which the collection rests on a photo attempt that passed the check.
bool NeedsAcceptedPhoto(CollectionState state) {
  return state == CollectionState::kPhotoAccepted || state == CollectionState::kAwaitingConsent ||
         state == CollectionState::kVerifying || state == CollectionState::kVerified ||
         state == CollectionState::kVerificationFailed;
}

}  // namespace

DataCheckReport CheckData(Database& database, BlobStore& blobs, const FileBlobStore* files,
                          int64_t now_millis, const DataCheckOptions& options) {
  DataCheckReport report;
  auto problem = [&report](std::string kind, std::string detail) {
    report.problems.push_back({std::move(kind), std::move(detail)});
  };

  // Keys first, rows second: a blob written after the listing belongs to a row written
  // after it too, so an upload in flight is never reported missing.
  const std::vector<std::string> listed = blobs.ListKeys();
  const std::unordered_set<std::string> stored(listed.begin(), listed.end());
  report.blobs = static_cast<int64_t>(stored.size());
  std::unordered_set<std::string> referenced;

  auto c = database.Acquire();
  auto check_key = [&](const char* table, int64_t id, const char* column, const SqlRow& row,
                       size_t i) {
    if (row.IsNull(i)) return;
    const std::string& key = row.Text(i);
    if (key.empty() || IsPurged(key)) return;
    ++report.blob_references;
    referenced.insert(key);
    if (!stored.count(key)) {
      problem("missing_blob",
              std::string(table) + " id=" + std::to_string(id) + " " + column + "=" + key);
    }
  };
  for (const auto& row :
       c->Query("SELECT id, image_key, card_key, portrait_key FROM id_card_uploads")) {
    check_key("id_card_uploads", row.Int(0), "image_key", row, 1);
    check_key("id_card_uploads", row.Int(0), "card_key", row, 2);
    check_key("id_card_uploads", row.Int(0), "portrait_key", row, 3);
  }
  struct Attempt {
    int64_t candidate_id;
    bool passed;
    bool has_photo;
  };
  std::map<int64_t, Attempt> attempts;
  for (const auto& row :
       c->Query("SELECT id, candidate_id, passed, upload_key, photo_key FROM photo_attempts")) {
    check_key("photo_attempts", row.Int(0), "upload_key", row, 3);
    check_key("photo_attempts", row.Int(0), "photo_key", row, 4);
    attempts[row.Int(0)] = {row.Int(1), row.Int(2) != 0, !row.IsNull(4) && !row.Text(4).empty()};
  }

  // Jobs: known statuses, leases, at most one active job per candidate.
  std::map<int64_t, int> active_jobs;                // candidate → active job count
  std::set<std::pair<int64_t, int64_t>> active_for;  // (candidate, attempt) with an active job
  const int64_t grace =
      std::chrono::duration_cast<std::chrono::milliseconds>(options.job_grace).count();
  for (const auto& row : c->Query("SELECT id, candidate_id, photo_attempt_id, status, "
                                  "locked_until, outcome FROM verification_jobs")) {
    ++report.jobs;
    const int64_t id = row.Int(0);
    const std::string& status = row.Text(3);
    const std::string job = "verification_jobs id=" + std::to_string(id);
    if (status == "queued" || status == "running") {
      ++active_jobs[row.Int(1)];
      active_for.insert({row.Int(1), row.Int(2)});
      if (status == "running") {
        const auto until = row.OptionalInt(4);
        if (!until) {
          problem("bad_job", job + " is running without a lease");
        } else if (*until + grace < now_millis) {
          problem("stuck_job", job + " lease ended " +
                                   std::to_string((now_millis - *until) / 1000) +
                                   " s ago and no worker took it back");
        }
      }
    } else if (status == "done") {
      if (row.IsNull(5)) problem("bad_job", job + " is done without an outcome");
    } else {
      problem("bad_job", std::string(job).append(" has unknown status ").append(status));
    }
    if (!attempts.count(row.Int(2)))
      problem("bad_job", job + " names a photo attempt that does not exist");
  }
  for (const auto& [candidate, count] : active_jobs) {
    if (count > 1) {
      problem("duplicate_job", "candidate id=" + std::to_string(candidate) + " has " +
                                   std::to_string(count) + " verification jobs queued or running");
    }
  }

  // Collections: a known state, and the rows each state rests on.
  for (const auto& row : c->Query("SELECT candidate_id, state, photo_attempt_id, portrait_side, "
                                  "emblem_side FROM collections")) {
    ++report.collections;
    const int64_t candidate = row.Int(0);
    const std::string where = "collections candidate_id=" + std::to_string(candidate);
    const auto state = ParseCollectionState(row.Text(1));
    if (!state) {
      problem("bad_state", where + " has unknown state " + row.Text(1));
      continue;
    }
    const bool card_done = *state != CollectionState::kIdCardPending;
    if (card_done && (row.IsNull(3) || row.IsNull(4))) {
      problem("bad_state", where + " is " + row.Text(1) + " without both ID card sides");
    }
    if (NeedsAcceptedPhoto(*state)) {
      const auto attempt_id = row.OptionalInt(2);
      auto attempt = attempt_id ? attempts.find(*attempt_id) : attempts.end();
      if (attempt == attempts.end()) {
        problem("bad_state", where + " is " + row.Text(1) + " without its photo attempt");
      } else if (attempt->second.candidate_id != candidate || !attempt->second.passed ||
                 !attempt->second.has_photo) {
        problem("bad_state", where + " is " + row.Text(1) +
                                 " on photo attempt id=" + std::to_string(*attempt_id) +
                                 " that is not its own accepted photo");
      } else if (*state == CollectionState::kVerifying &&
                 !active_for.count({candidate, *attempt_id})) {
        problem("missing_job", where +
                                   " is verifying but no job is queued or running for attempt id=" +
                                   std::to_string(*attempt_id));
      }
    }
  }

  for (const auto& key : stored) {
    // Only the collection's own kinds of blob (idcard-*, photo*): other areas keep theirs.
    if (!referenced.count(key) && (key.rfind("idcard-", 0) == 0 || key.rfind("photo", 0) == 0)) {
      report.notices.push_back({"unreferenced_blob", key});
    }
  }
  if (files) {
    for (const auto& path : files->StaleTemporaryFiles(options.temp_file_age)) {
      if (options.repair) {
        std::error_code ignored;
        if (std::filesystem::remove(path, ignored)) {
          ++report.repaired;
          continue;
        }
      }
      problem("stale_temp_file", path.string());
    }
  }
  return report;
}

}  // namespace examphoto
