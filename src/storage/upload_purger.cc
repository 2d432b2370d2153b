#include "storage/upload_purger.h"

#include <set>
#include <string_view>
#include <vector>

namespace examphoto {
namespace {

constexpr std::string_view kPurgedPrefix = "purged/";

bool IsPurged(std::string_view key) { return key.substr(0, kPurgedPrefix.size()) == kPurgedPrefix; }

void Collect(const SqlRow& row, size_t i, std::vector<std::string>& keys) {
  if (row.IsNull(i) || row.Text(i).empty()) return;
  const std::string& key = row.Text(i);
  keys.push_back(IsPurged(key) ? key.substr(kPurgedPrefix.size()) : key);
}

}  // namespace

PurgeReport PurgeUploads(Database& database, BlobStore& blobs, int64_t now_millis,
                         const PurgeOptions& options) {
  PurgeReport report;
  const int64_t cutoff = now_millis - options.older_than_days * 86'400'000;
  std::vector<std::string> to_remove;

  auto purge = [&](Connection& c) {
    report = PurgeReport{};  // the transaction may be retried
    to_remove.clear();
    auto candidates = c.Query(
        "SELECT c.id, col.photo_attempt_id, "
        "(SELECT COUNT(*) FROM verification_jobs j WHERE j.candidate_id = c.id "
        " AND j.status IN ('queued', 'running')) "
        "FROM candidates c LEFT JOIN collections col ON col.candidate_id = c.id "
        "WHERE c.exam_session = $1 ORDER BY c.id",
        {options.exam_session});
    for (const auto& candidate : candidates) {
      ++report.candidates;
      const int64_t id = candidate.Int(0);
      // Its card portrait and photo are still needed by a verification in progress.
      if (candidate.Int(2) > 0) {
        ++report.skipped_candidates;
        continue;
      }
      const int64_t kept_attempt = candidate.OptionalInt(1).value_or(0);
      for (const auto& row :
           c.Query("SELECT id, image_key, card_key, portrait_key FROM id_card_uploads "
                   "WHERE candidate_id = $1 AND created_at < $2",
                   {id, cutoff})) {
        // Rows purged by an earlier run still have their bytes removed again (a crash may
        // have come between the mark and the removal); Remove is idempotent.
        Collect(row, 1, to_remove);
        Collect(row, 2, to_remove);
        Collect(row, 3, to_remove);
        if (IsPurged(row.Text(1))) continue;
        ++report.id_card_uploads;
        if (!options.dry_run) {
          c.Execute(
              "UPDATE id_card_uploads SET image_key = 'purged/' || image_key, "
              "card_key = CASE WHEN card_key IS NULL OR card_key = '' THEN card_key ELSE 'purged/' "
              "|| card_key END, "
              "portrait_key = CASE WHEN portrait_key IS NULL OR portrait_key = '' THEN "
              "portrait_key "
              "ELSE 'purged/' || portrait_key END WHERE id = $1",
              {row.Int(0)});
        }
      }
      for (const auto& row : c.Query("SELECT id, upload_key, photo_key FROM photo_attempts "
                                     "WHERE candidate_id = $1 AND created_at < $2",
                                     {id, cutoff})) {
        const bool kept = row.Int(0) == kept_attempt;
        Collect(row, 1, to_remove);
        if (!IsPurged(row.Text(1))) {
          ++report.photo_uploads;
          if (!options.dry_run) {
            c.Execute(
                "UPDATE photo_attempts SET upload_key = 'purged/' || upload_key WHERE id = $1",
                {row.Int(0)});
          }
        }
        if (kept || row.IsNull(2) || row.Text(2).empty()) continue;
        Collect(row, 2, to_remove);
        if (!IsPurged(row.Text(2))) {
          ++report.photos;
          if (!options.dry_run) {
            c.Execute("UPDATE photo_attempts SET photo_key = 'purged/' || photo_key WHERE id = $1",
                      {row.Int(0)});
          }
        }
      }
    }
  };
  if (options.dry_run) {
    auto c = database.Acquire();
    purge(*c);
    return report;
  }
  // Mark first (one transaction), remove after: a crash leaves bytes that no row names,
  // and the next run removes them.
  InWriteTransaction(database, purge);
  const std::set<std::string> unique(to_remove.begin(), to_remove.end());
  for (const std::string& key : unique) {
    blobs.Remove(key);
    ++report.blobs_removed;
  }
  return report;
}

}  // namespace examphoto
