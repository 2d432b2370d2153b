// check-data and purge on both engines, on rows written the way the collection flow writes
// them (raw SQL here: the storage layer is what is under test).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "storage/data_checker.h"
#include "storage/upload_purger.h"
#include "support/test_database.h"

namespace examphoto {
namespace {

using testing::TestDatabase;

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kNow = 1'800'000'000'000;

class DataMaintenanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("examphoto-maint-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    blobs_ = std::make_unique<FileBlobStore>(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  Connection& Sql() {
    if (!connection_) connection_.emplace(db_.database().Acquire());
    return **connection_;
  }
  void Release() { connection_.reset(); }

  int64_t AddCandidate(const std::string& n, const std::string& session) {
    Sql().Execute(
        "INSERT INTO candidates (registration_no, name, id_number, phone, exam_session, "
        "created_at, "
        "updated_at) VALUES ($1, '张三', $2, $3, $4, 0, 0)",
        {"R" + n, "1101051990030712" + n, "139000000" + n, session});
    return Sql().Query("SELECT id FROM candidates WHERE registration_no = $1", {"R" + n})[0].Int(0);
  }
  std::string Blob(const std::string& prefix) {
    std::string key = NewBlobKey(prefix);
    blobs_->Put(key, "bytes of " + prefix);
    return key;
  }
  int64_t AddCardUpload(int64_t candidate, int64_t created_at) {
    Sql().Execute(
        "INSERT INTO id_card_uploads (candidate_id, side, created_at, accepted, reading, "
        "image_key, "
        "card_key, portrait_key) VALUES ($1, 'portrait', $2, 1, '{}', $3, $4, $5)",
        {candidate, created_at, Blob("idcard-upload"), Blob("idcard-card"),
         Blob("idcard-portrait")});
    return Sql().Query("SELECT MAX(id) FROM id_card_uploads")[0].Int(0);
  }
  int64_t AddAttempt(int64_t candidate, int64_t created_at, bool passed) {
    Sql().Execute(
        "INSERT INTO photo_attempts (candidate_id, created_at, passed, report, upload_key, "
        "photo_key) "
        "VALUES ($1, $2, $3, '{}', $4, $5)",
        {candidate, created_at, int64_t{passed}, Blob("photo-upload"), Blob("photo")});
    return Sql().Query("SELECT MAX(id) FROM photo_attempts")[0].Int(0);
  }
  void SetCollection(int64_t candidate, const std::string& state, std::optional<int64_t> attempt) {
    Sql().Execute("DELETE FROM collections WHERE candidate_id = $1", {candidate});
    if (attempt) {
      Sql().Execute(
          "INSERT INTO collections (candidate_id, state, version, portrait_side, emblem_side, "
          "photo_attempt_id, updated_at) VALUES ($1, $2, 1, '{}', '{}', $3, 0)",
          {candidate, state, *attempt});
    } else {
      Sql().Execute(
          "INSERT INTO collections (candidate_id, state, version, portrait_side, emblem_side, "
          "updated_at) VALUES ($1, $2, 1, '{}', '{}', 0)",
          {candidate, state});
    }
  }
  void AddJob(int64_t candidate, int64_t attempt, const std::string& status,
              std::optional<int64_t> locked_until = std::nullopt) {
    if (locked_until) {
      Sql().Execute(
          "INSERT INTO verification_jobs (candidate_id, photo_attempt_id, status, run_after, "
          "locked_by, "
          "locked_until, created_at, updated_at) VALUES ($1, $2, $3, 0, 'w', $4, 0, 0)",
          {candidate, attempt, status, *locked_until});
    } else {
      Sql().Execute(
          "INSERT INTO verification_jobs (candidate_id, photo_attempt_id, status, run_after, "
          "outcome, "
          "created_at, updated_at) VALUES ($1, $2, $3, 0, $4, 0, 0)",
          {candidate, attempt, status, std::string(status == "done" ? "passed" : "")});
    }
  }
  DataCheckReport Check(DataCheckOptions options = {}) {
    Release();
    return CheckData(db_.database(), *blobs_, blobs_.get(), kNow, options);
  }
  static std::string Kinds(const DataCheckReport& report) {
    std::string kinds;
    for (const auto& p : report.problems) kinds += p.kind + " (" + p.detail + ")\n";
    return kinds;
  }

  TestDatabase db_;
  std::optional<PooledConnection> connection_;
  std::filesystem::path root_;
  std::unique_ptr<FileBlobStore> blobs_;
};

TEST_F(DataMaintenanceTest, FindsNothingInAConsistentStore) {
  const int64_t a = AddCandidate("01", "S1");
  AddCardUpload(a, kNow - 2 * kDay);
  const int64_t attempt = AddAttempt(a, kNow - kDay, true);
  SetCollection(a, "verifying", attempt);
  AddJob(a, attempt, "running", kNow + 30'000);
  const int64_t b = AddCandidate("02", "S1");
  const int64_t done = AddAttempt(b, kNow - kDay, true);
  SetCollection(b, "verified", done);
  AddJob(b, done, "done");
  DataCheckReport report = Check();
  EXPECT_TRUE(report.ok()) << Kinds(report);
  EXPECT_EQ(report.collections, 2);
  EXPECT_EQ(report.blob_references, 7);
  EXPECT_EQ(report.jobs, 2);
}

TEST_F(DataMaintenanceTest, ReportsAMissingBlob) {
  const int64_t a = AddCandidate("01", "S1");
  AddCardUpload(a, kNow);
  const std::string key = Sql().Query("SELECT card_key FROM id_card_uploads")[0].Text(0);
  blobs_->Remove(key);
  DataCheckReport report = Check();
  ASSERT_EQ(report.problems.size(), 1u) << Kinds(report);
  EXPECT_EQ(report.problems[0].kind, "missing_blob");
  EXPECT_NE(report.problems[0].detail.find(key), std::string::npos);
}

TEST_F(DataMaintenanceTest, ReportsCollectionsInStatesTheirRowsDoNotSupport) {
  const int64_t a = AddCandidate("01", "S1");
  const int64_t rejected = AddAttempt(a, kNow, false);
  SetCollection(a, "photo_accepted", rejected);  // accepted on a photo that failed
  const int64_t b = AddCandidate("02", "S1");
  const int64_t passed = AddAttempt(b, kNow, true);
  SetCollection(b, "verifying", passed);  // verifying with no job
  const int64_t c = AddCandidate("03", "S1");
  SetCollection(c, "no_such_state", std::nullopt);
  DataCheckReport report = Check();
  EXPECT_EQ(report.problems.size(), 3u) << Kinds(report);
  EXPECT_NE(Kinds(report).find("missing_job"), std::string::npos);
  EXPECT_NE(Kinds(report).find("unknown state"), std::string::npos);
}

TEST_F(DataMaintenanceTest, ReportsJobsStuckPastTheirLeaseAndDuplicates) {
  const int64_t a = AddCandidate("01", "S1");
  const int64_t attempt = AddAttempt(a, kNow, true);
  SetCollection(a, "verifying", attempt);
  AddJob(a, attempt, "running", kNow - 10 * 60'000);
  AddJob(a, attempt, "queued");
  DataCheckReport report = Check();
  EXPECT_NE(Kinds(report).find("stuck_job"), std::string::npos) << Kinds(report);
  EXPECT_NE(Kinds(report).find("duplicate_job"), std::string::npos) << Kinds(report);
  // A lease that ended a moment ago is a worker about to be replaced, not a problem.
  DataCheckOptions patient;
  patient.job_grace = std::chrono::hours(1);
  EXPECT_EQ(Kinds(Check(patient)).find("stuck_job"), std::string::npos);
}

TEST_F(DataMaintenanceTest, ReportsAndRepairsStaleTemporaryFiles) {
  std::filesystem::create_directories(root_ / "photo");
  const auto temp = root_ / "photo" / "abc.tmp-123-456";
  std::ofstream(temp) << "half a photo";
  std::filesystem::last_write_time(
      temp, std::filesystem::file_time_type::clock::now() - std::chrono::hours(1));
  DataCheckReport report = Check();
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].kind, "stale_temp_file");
  EXPECT_TRUE(blobs_->ListKeys().empty());  // never listed as a blob
  DataCheckOptions repair;
  repair.repair = true;
  report = Check(repair);
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.repaired, 1);
  EXPECT_FALSE(std::filesystem::exists(temp));
}

TEST_F(DataMaintenanceTest, PurgeRemovesOldRawUploadsAndKeepsTheAcceptedPhotoAndRecord) {
  const int64_t a = AddCandidate("01", "S1");
  AddCardUpload(a, kNow - 100 * kDay);
  const int64_t first = AddAttempt(a, kNow - 100 * kDay, false);
  const int64_t accepted = AddAttempt(a, kNow - 99 * kDay, true);
  SetCollection(a, "verified", accepted);
  AddJob(a, accepted, "done");
  const std::string kept_photo =
      Sql().Query("SELECT photo_key FROM photo_attempts WHERE id = $1", {accepted})[0].Text(0);
  const int64_t recent = AddCandidate("02", "S1");
  AddCardUpload(recent, kNow - 5 * kDay);  // inside the retention period
  const int64_t other_session = AddCandidate("03", "S2");
  AddCardUpload(other_session, kNow - 100 * kDay);
  const int64_t busy = AddCandidate("04", "S1");
  AddCardUpload(busy, kNow - 100 * kDay);
  const int64_t busy_attempt = AddAttempt(busy, kNow - 100 * kDay, true);
  SetCollection(busy, "verifying", busy_attempt);
  AddJob(busy, busy_attempt, "queued");
  Release();
  const size_t blobs_before = blobs_->ListKeys().size();

  PurgeOptions options{"S1", 30, /*dry_run=*/true};
  PurgeReport dry = PurgeUploads(db_.database(), *blobs_, kNow, options);
  EXPECT_EQ(dry.candidates, 3);
  EXPECT_EQ(dry.skipped_candidates, 1);
  EXPECT_EQ(dry.id_card_uploads, 1);
  EXPECT_EQ(dry.photo_uploads, 2);
  EXPECT_EQ(dry.photos, 1);
  EXPECT_EQ(dry.blobs_removed, 0);
  EXPECT_EQ(blobs_->ListKeys().size(), blobs_before);

  options.dry_run = false;
  PurgeReport done = PurgeUploads(db_.database(), *blobs_, kNow, options);
  EXPECT_EQ(done.id_card_uploads, 1);
  EXPECT_EQ(done.photo_uploads, 2);
  EXPECT_EQ(done.photos, 1);
  EXPECT_EQ(done.blobs_removed, 6);  // card capture, card, card portrait, 2 uploads, 1 photo
  EXPECT_EQ(blobs_->ListKeys().size(), blobs_before - 6);
  EXPECT_TRUE(blobs_->Get(kept_photo));
  auto rows = Sql().Query("SELECT COUNT(*) FROM photo_attempts WHERE candidate_id = $1", {a});
  EXPECT_EQ(rows[0].Int(0), 2);  // the record and its history stay
  EXPECT_EQ(
      Sql().Query("SELECT photo_key FROM photo_attempts WHERE id = $1", {first})[0].Text(0).rfind(
          "purged/", 0),
      0u);
  EXPECT_EQ(Sql().Query("SELECT state FROM collections WHERE candidate_id = $1", {a})[0].Text(0),
            "verified");

  // What is left is consistent, and a second run finds nothing more to do.
  EXPECT_TRUE(Check().ok()) << Kinds(Check());
  PurgeReport again = PurgeUploads(db_.database(), *blobs_, kNow, options);
  EXPECT_EQ(again.id_card_uploads + again.photo_uploads + again.photos, 0);
}

}  // namespace
}  // namespace examphoto
