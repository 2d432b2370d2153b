// Every portrait a candidate uploaded (`photo_attempts`, its one owner): the check's report,
// the upload's blob and the finished standard photo's blob. Works on the connection or
// transaction it is given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/collection_data.h"
#include "storage/database.h"

namespace examphoto {

struct PhotoAttemptRecord {
  int64_t id = 0;
  int64_t candidate_id = 0;
  int64_t created_at = 0;
  bool passed = false;
  PhotoReport report;
  std::string upload_key;
  std::optional<std::string> photo_key;  // the finished photo, when one could be made
};

// Photo attempts of one China calendar day (china_time.h), passed or not.
struct DailyAttempts {
  int64_t day = 0;  // ChinaDayNumber
  bool passed = false;
  int64_t count = 0;
};

class PhotoAttemptRepository {
 public:
  explicit PhotoAttemptRepository(Connection& connection) : c_(connection) {}

  // Stores the attempt (its id is ignored); returns the new id.
  int64_t Insert(const PhotoAttemptRecord& attempt);
  std::optional<PhotoAttemptRecord> Find(int64_t attempt_id);
  // The attempt only if it is the candidate's own.
  std::optional<PhotoAttemptRecord> FindOwn(int64_t candidate_id, int64_t attempt_id);
  // Newest first.
  std::vector<PhotoAttemptRecord> ListForCandidate(int64_t candidate_id, int64_t limit);
  std::vector<DailyAttempts> CountPerDay(int64_t since);
  // The reports of the attempts that failed since `since`.
  std::vector<PhotoReport> FailedReportsSince(int64_t since);

  // For queries of other repositories that join an attempt: its columns (with a table
  // alias prefix such as "pa.") and how to read them from a row starting at `first`.
  static std::string Columns(std::string_view prefix);
  static PhotoAttemptRecord ReadAttempt(const SqlRow& row, size_t first);

 private:
  Connection& c_;
};

}  // namespace examphoto
