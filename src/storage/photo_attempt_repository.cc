#include "storage/photo_attempt_repository.h"

#include "domain/china_time.h"
#include "storage/record_json.h"

namespace examphoto {

std::string PhotoAttemptRepository::Columns(std::string_view prefix) {
  std::string out;
  for (std::string_view column :
       {"id", "candidate_id", "created_at", "passed", "report", "upload_key", "photo_key"}) {
    if (!out.empty()) out += ", ";
    out.append(prefix).append(column);
  }
  return out;
}

PhotoAttemptRecord PhotoAttemptRepository::ReadAttempt(const SqlRow& r, size_t first) {
  PhotoAttemptRecord attempt;
  attempt.id = r.Int(first);
  attempt.candidate_id = r.Int(first + 1);
  attempt.created_at = r.Int(first + 2);
  attempt.passed = r.Int(first + 3) != 0;
  attempt.report = record_json::ReadPhotoReport(r.Text(first + 4));
  attempt.upload_key = r.Text(first + 5);
  if (!r.IsNull(first + 6)) attempt.photo_key = r.Text(first + 6);
  return attempt;
}

int64_t PhotoAttemptRepository::Insert(const PhotoAttemptRecord& a) {
  return c_
      .Query(
          "INSERT INTO photo_attempts (candidate_id, created_at, passed, report, upload_key, "
          "photo_key) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
          {a.candidate_id, a.created_at, int64_t{a.passed}, record_json::WritePhotoReport(a.report),
           a.upload_key, a.photo_key ? SqlParam(*a.photo_key) : SqlParam(nullptr)})
      .front()
      .Int(0);
}

std::optional<PhotoAttemptRecord> PhotoAttemptRepository::Find(int64_t attempt_id) {
  static const std::string sql = "SELECT " + Columns("") + " FROM photo_attempts WHERE id = $1";
  auto rows = c_.Query(sql, {attempt_id});
  if (rows.empty()) return std::nullopt;
  return ReadAttempt(rows.front(), 0);
}

std::optional<PhotoAttemptRecord> PhotoAttemptRepository::FindOwn(int64_t candidate_id,
                                                                  int64_t attempt_id) {
  // The candidate id is part of the look-up: an attempt id of another candidate finds nothing.
  static const std::string sql =
      "SELECT " + Columns("") + " FROM photo_attempts WHERE id = $1 AND candidate_id = $2";
  auto rows = c_.Query(sql, {attempt_id, candidate_id});
  if (rows.empty()) return std::nullopt;
  return ReadAttempt(rows.front(), 0);
}

std::vector<PhotoAttemptRecord> PhotoAttemptRepository::ListForCandidate(int64_t candidate_id,
                                                                         int64_t limit) {
  static const std::string sql = "SELECT " + Columns("") +
                                 " FROM photo_attempts WHERE candidate_id = $1 "
                                 "ORDER BY created_at DESC, id DESC LIMIT $2";
  std::vector<PhotoAttemptRecord> out;
  for (const SqlRow& r : c_.Query(sql, {candidate_id, limit})) out.push_back(ReadAttempt(r, 0));
  return out;
}

std::vector<DailyAttempts> PhotoAttemptRepository::CountPerDay(int64_t since) {
  // Day numbers in China time, the same integer division in both engines (ChinaDayNumber).
  static const std::string day = "(created_at + " + std::to_string(kChinaUtcOffsetMillis) + ") / " +
                                 std::to_string(kDayMillis);
  static const std::string sql = "SELECT " + day +
                                 ", passed, COUNT(*) FROM photo_attempts WHERE created_at >= $1 "
                                 "GROUP BY " +
                                 day + ", passed";
  std::vector<DailyAttempts> out;
  for (const SqlRow& r : c_.Query(sql, {since})) out.push_back({r.Int(0), r.Int(1) != 0, r.Int(2)});
  return out;
}

std::vector<PhotoReport> PhotoAttemptRepository::FailedReportsSince(int64_t since) {
  std::vector<PhotoReport> out;
  for (const SqlRow& r : c_.Query(
           "SELECT report FROM photo_attempts WHERE passed = 0 AND created_at >= $1", {since})) {
    out.push_back(record_json::ReadPhotoReport(r.Text(0)));
  }
  return out;
}

}  // namespace examphoto
