#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "domain/messages.h"
#include "service/collection_service.h"
#include "service/roster_import_service.h"
#include "service/verification_worker.h"
#include "storage/candidate_repository.h"
#include "support/test_database.h"

namespace examphoto {
namespace {

using testing::FakeClock;
using testing::TestDatabase;

// Fakes that stand for the image cores: they read instructions from the upload's bytes, so
// each test says what the "photo" shows.
class ScriptedIdCards : public IdCardReaderPort {
 public:
  Result<CardSideReading> Read(std::string_view bytes, CardSide expected,
                               const RegisteredHolder& holder) const override {
    if (bytes == "not an image") return MakeError(ErrorKind::kUnsupported, "image.not_an_image");
    CardSideReading reading;
    reading.side = bytes.find("emblem") != std::string_view::npos ? "emblem" : "portrait";
    if (bytes.find("blurred") != std::string_view::npos) {
      reading.issues.push_back({"idcard.blurred", "模糊", "重拍"});
    }
    if (reading.side != ToString(expected)) reading.issues.push_back({"idcard.wrong_side", "", ""});
    if (reading.side == "portrait") {
      reading.fields["name"] = bytes.find("name=李四") != std::string_view::npos ? "李四" : "张三";
      reading.fields["id_number"] = "11010519491231002X";
      reading.portrait_jpeg = "portrait-of-" + reading.fields["name"];
      // "name:match" and the like: the reader's verdict against the roster entry it got.
      for (const char* field : {"name", "id_number"}) {
        for (const char* verdict : {"match", "mismatch"}) {
          if (bytes.find(std::string(field) + ":" + verdict) != std::string_view::npos) {
            reading.registration[field] = verdict;
          }
        }
      }
      last_holder = holder;
    } else {
      reading.fields["authority"] = "北京市公安局";
    }
    reading.card_jpeg = "card";
    return reading;
  }
  mutable RegisteredHolder last_holder;
};

class ScriptedPortraits : public PortraitCheckerPort {
 public:
  Result<PortraitCheckOutcome> Check(std::string_view bytes) const override {
    PortraitCheckOutcome outcome;
    outcome.pass = bytes.find("good") != std::string_view::npos;
    if (!outcome.pass) outcome.issues.push_back({"photo.too_dark", "太暗", "光线充足处重拍"});
    outcome.finished_jpeg = "finished:" + std::string(bytes);
    return outcome;
  }
};

class ScriptedVerifier : public IdentityVerifierPort {
 public:
  Result<VerificationOutcome> Verify(const VerificationRequest& request) const override {
    ++calls;
    last_request = request;
    if (transient_failures_left > 0) {
      --transient_failures_left;
      return MakeError(ErrorKind::kUnavailable, "verification.unavailable", "platform timeout");
    }
    VerificationOutcome outcome;
    outcome.status = request.photo_jpeg.find("impostor") != std::string::npos
                         ? VerificationOutcome::Status::kFailed
                         : VerificationOutcome::Status::kPassed;
    outcome.score = 0.9;
    return outcome;
  }
  mutable std::atomic<int> calls{0};
  mutable int transient_failures_left = 0;
  mutable VerificationRequest last_request;
};

class CollectionFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RosterImportService roster(db_.database(), clock_);
    ASSERT_TRUE(roster
                    .Import("报名号,姓名,身份证号,手机号,考试批次\n"
                            "R1,张三,11010519491231002X,13900000001,S\n"
                            "R2,王五,110105199003071239,13900000002,S\n",
                            "r.csv", "test", false)
                    ->applied);
    PooledConnection c = db_.database().Acquire();
    candidate_ = CandidateRepository(*c).FindByPhone("13900000001")->id;
    other_ = CandidateRepository(*c).FindByPhone("13900000002")->id;
  }
  void TearDown() override { std::filesystem::remove_all(blob_dir_); }

  void UploadBothSides(int64_t who, const std::string& portrait = "portrait") {
    ASSERT_TRUE(service_.UploadIdCardSide(who, CardSide::kPortrait, portrait)->accepted);
    ASSERT_TRUE(service_.UploadIdCardSide(who, CardSide::kEmblem, "emblem")->accepted);
  }
  CollectionState State(int64_t who) { return service_.Get(who)->record.state; }

  TestDatabase db_;
  FakeClock clock_;
  std::filesystem::path blob_dir_ =
      std::filesystem::temp_directory_path() /
      ("examphoto-flow-" + std::to_string(::getpid()) + "-" +
       ::testing::UnitTest::GetInstance()->current_test_info()->name());
  FileBlobStore blobs_{blob_dir_};
  ScriptedIdCards id_cards_;
  ScriptedPortraits portraits_;
  ScriptedVerifier verifier_;
  CollectionService service_{db_.database(), blobs_, clock_, &id_cards_, &portraits_};
  VerificationWorkerOptions worker_options_{
      .threads = 1, .lease_seconds = 60, .max_attempts = 3, .first_backoff_seconds = 2};
  VerificationWorker worker_{db_.database(), blobs_, clock_, verifier_, worker_options_};
  int64_t candidate_ = 0;
  int64_t other_ = 0;
};

TEST_F(CollectionFlowTest, WalksTheGuideToVerified) {
  EXPECT_EQ(State(candidate_), CollectionState::kIdCardPending);
  auto portrait = service_.UploadIdCardSide(candidate_, CardSide::kPortrait, "portrait");
  ASSERT_TRUE(portrait.ok());
  EXPECT_EQ(portrait->snapshot.record.state, CollectionState::kIdCardPending);  // one side only
  ASSERT_TRUE(service_.UploadIdCardSide(candidate_, CardSide::kEmblem, "emblem")->accepted);
  EXPECT_EQ(State(candidate_), CollectionState::kIdCardUploaded);
  EXPECT_EQ(service_.ConfirmIdentity(candidate_)->record.state,
            CollectionState::kIdentityConfirmed);
  auto photo = service_.UploadPhoto(candidate_, "good photo");
  ASSERT_TRUE(photo.ok());
  EXPECT_TRUE(photo->attempt.passed);
  EXPECT_EQ(*service_.PhotoImage(candidate_, photo->attempt.id), "finished:good photo");
  EXPECT_EQ(service_.SubmitPhoto(candidate_)->record.state, CollectionState::kAwaitingConsent);
  EXPECT_EQ(service_.ConsentAndSubmit(candidate_)->record.state, CollectionState::kVerifying);
  EXPECT_TRUE(worker_.RunOnce());
  EXPECT_FALSE(worker_.RunOnce());
  auto done = service_.Get(candidate_);
  EXPECT_EQ(done->record.state, CollectionState::kVerified);
  ASSERT_TRUE(done->record.verification);
  EXPECT_EQ(done->record.verification->status, VerificationResult::Status::kPassed);
  EXPECT_EQ(done->record.verification->code, "verification.passed");
  EXPECT_EQ(verifier_.last_request.name, "张三");
  EXPECT_EQ(verifier_.last_request.photo_jpeg, "finished:good photo");
  EXPECT_EQ(verifier_.last_request.card_portrait_jpeg, "portrait-of-张三");
  // Locked once verified.
  EXPECT_EQ(service_.UploadPhoto(candidate_, "good again").error().code, "collection.locked");
}

TEST_F(CollectionFlowTest, RefusesAWrongOrBlurredSideWithoutMovingTheState) {
  auto wrong = service_.UploadIdCardSide(candidate_, CardSide::kPortrait, "emblem");
  ASSERT_TRUE(wrong.ok());
  EXPECT_FALSE(wrong->accepted);
  auto blurred = service_.UploadIdCardSide(candidate_, CardSide::kPortrait, "portrait blurred");
  ASSERT_TRUE(blurred.ok());
  EXPECT_FALSE(blurred->accepted);
  EXPECT_EQ(blurred->reading.issues[0].code, "idcard.blurred");
  EXPECT_EQ(State(candidate_), CollectionState::kIdCardPending);
  EXPECT_FALSE(service_.Get(candidate_)->record.portrait_side.has_value());
  EXPECT_EQ(service_.UploadIdCardSide(candidate_, CardSide::kPortrait, "not an image").error().code,
            "image.not_an_image");
  auto c = db_.database().Acquire();
  EXPECT_EQ(c->Query("SELECT COUNT(*) FROM id_card_uploads WHERE accepted = 0")[0].Int(0), 2);
}

TEST_F(CollectionFlowTest, MismatchNamesTheFieldsAndBlocksUntilReentered) {
  UploadBothSides(candidate_, "portrait name=李四");
  auto confirmed = service_.ConfirmIdentity(candidate_);
  ASSERT_TRUE(confirmed.ok());
  EXPECT_EQ(confirmed->record.state, CollectionState::kIdentityMismatch);
  ASSERT_TRUE(confirmed->record.mismatch);
  EXPECT_EQ(confirmed->record.mismatch->fields, std::vector<std::string>{"name"});
  EXPECT_EQ(confirmed->record.mismatch->card_name, "李四");
  EXPECT_EQ(confirmed->record.mismatch->registered_name, "张三");
  EXPECT_EQ(service_.UploadPhoto(candidate_, "good").error().code, "collection.invalid_transition");
  EXPECT_EQ(service_.ReenterIdCard(candidate_)->record.state, CollectionState::kIdCardPending);
  UploadBothSides(candidate_);
  EXPECT_EQ(service_.ConfirmIdentity(candidate_)->record.state,
            CollectionState::kIdentityConfirmed);
}

TEST_F(CollectionFlowTest, TheReadersVerdictDecidesWhereTheTextCannot) {
  // The card holds a name character the recogniser cannot spell: its free reading (张三 in
  // the fake) differs from the roster, but the alignment matched the roster's name.
  UploadBothSides(candidate_, "portrait name:match id_number:match");
  EXPECT_EQ(id_cards_.last_holder.id_number, service_.Get(candidate_)->candidate.id_number);
  const auto stored = service_.Get(candidate_)->record.portrait_side;
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->registration.at("name"), "match");
  EXPECT_EQ(stored->checked_name, "张三");
  EXPECT_EQ(service_.ConfirmIdentity(candidate_)->record.state,
            CollectionState::kIdentityConfirmed);
}

TEST_F(CollectionFlowTest, AConfidentMismatchVerdictOpensTheMismatch) {
  UploadBothSides(candidate_, "portrait name:mismatch id_number:match");
  auto confirmed = service_.ConfirmIdentity(candidate_);
  ASSERT_TRUE(confirmed.ok());
  EXPECT_EQ(confirmed->record.state, CollectionState::kIdentityMismatch);
  ASSERT_TRUE(confirmed->record.mismatch);
  EXPECT_EQ(confirmed->record.mismatch->fields, std::vector<std::string>{"name"});
}

TEST_F(CollectionFlowTest, AVerdictAgainstAnOlderRosterEntryAsksForTheCardAgain) {
  UploadBothSides(candidate_, "portrait name=李四 name:mismatch id_number:match");
  ASSERT_EQ(service_.ConfirmIdentity(candidate_)->record.state, CollectionState::kIdentityMismatch);
  // The office corrects the roster to something the free reading does not show.
  auto c = db_.database().Acquire();
  c->Execute("UPDATE candidates SET name = '王翀' WHERE id = $1", {candidate_});
  EXPECT_EQ(service_.ConfirmIdentity(candidate_).error().code, "idcard.registration_changed");
  // Corrected to what the card reads: the text agrees.
  c->Execute("UPDATE candidates SET name = '李四' WHERE id = $1", {candidate_});
  EXPECT_EQ(service_.ConfirmIdentity(candidate_)->record.state,
            CollectionState::kIdentityConfirmed);
}

TEST_F(CollectionFlowTest, RejectedPhotoCanBeRetakenAndAttemptsAreKept) {
  UploadBothSides(candidate_);
  ASSERT_TRUE(service_.ConfirmIdentity(candidate_).ok());
  auto bad = service_.UploadPhoto(candidate_, "dark");
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE(bad->attempt.passed);
  EXPECT_EQ(bad->snapshot.record.state, CollectionState::kPhotoRejected);
  EXPECT_EQ(service_.SubmitPhoto(candidate_).error().kind, ErrorKind::kConflict);
  EXPECT_EQ(service_.RetakePhoto(candidate_)->record.state, CollectionState::kIdentityConfirmed);
  auto good = service_.UploadPhoto(candidate_, "good");
  EXPECT_EQ(good->snapshot.record.state, CollectionState::kPhotoAccepted);
  const auto& latest = good->snapshot.attempt;
  ASSERT_TRUE(latest);
  EXPECT_TRUE(latest->passed);
  auto c = db_.database().Acquire();
  EXPECT_EQ(c->Query("SELECT COUNT(*) FROM photo_attempts")[0].Int(0), 2);
  EXPECT_GE(c->Query("SELECT COUNT(*) FROM collection_events")[0].Int(0), 6);
}

// Security finding F12: uploads are counted per candidate before any image work, and of
// each slot only the newest keep their raw bytes.
TEST_F(CollectionFlowTest, UploadsBeyondTheHourlyLimitAreRefusedUntilTheNextHour) {
  CollectionService limited{
      db_.database(), blobs_,
      clock_,         &id_cards_,
      &portraits_,    UploadLimits{.per_hour = 3, .per_day = 100, .kept_per_slot = 10}};
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(limited.UploadIdCardSide(candidate_, CardSide::kPortrait, "portrait blurred").ok());
  }
  auto refused = limited.UploadIdCardSide(candidate_, CardSide::kPortrait, "portrait");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "upload.too_many");
  EXPECT_EQ(refused.error().kind, ErrorKind::kRateLimited);
  EXPECT_GT(refused.error().retry_after_seconds, 0);
  EXPECT_EQ(refused.error().hint.find("{minutes}"), std::string::npos);
  // Another candidate has a budget of their own; the next hour brings a new one.
  EXPECT_TRUE(limited.UploadIdCardSide(other_, CardSide::kPortrait, "portrait").ok());
  clock_.Advance(3600 * 1000);
  EXPECT_TRUE(limited.UploadIdCardSide(candidate_, CardSide::kPortrait, "portrait").ok());
}

TEST_F(CollectionFlowTest, OnlyTheNewestUploadsOfASlotKeepTheirBytes) {
  CollectionService keeping{
      db_.database(), blobs_,
      clock_,         &id_cards_,
      &portraits_,    UploadLimits{.per_hour = 100, .per_day = 100, .kept_per_slot = 2}};
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(keeping.UploadIdCardSide(candidate_, CardSide::kPortrait, "portrait blurred").ok());
    clock_.Advance(1000);
  }
  ASSERT_TRUE(keeping.UploadIdCardSide(candidate_, CardSide::kEmblem, "emblem blurred").ok());
  auto c = db_.database().Acquire();
  const auto rows = c->Query("SELECT side, image_key FROM id_card_uploads ORDER BY id", {});
  ASSERT_EQ(rows.size(), 5u);
  for (size_t i = 0; i < 4; ++i) {
    const bool purged = rows[i].Text(1).rfind("purged/", 0) == 0;
    EXPECT_EQ(purged, i < 2) << i;
    if (purged) EXPECT_FALSE(blobs_.Get(rows[i].Text(1).substr(7)));
  }
  EXPECT_EQ(rows[4].Text(1).rfind("purged/", 0), std::string::npos);  // the other slot
}

// A blob store on a disk that fills up: the first `room` writes succeed, the next fails the
// way a full disk does (DatabaseError kStorageFull, which the service answers as a 503 Error).
class FillingBlobStore : public BlobStore {
 public:
  FillingBlobStore(BlobStore& inner, int room) : inner_(inner), room_(room) {}
  void Put(std::string_view key, std::string_view bytes) override {
    if (room_-- <= 0) {
      throw DatabaseError(DatabaseError::Kind::kStorageFull, "write: No space left on device");
    }
    inner_.Put(key, bytes);
  }
  std::optional<std::string> Get(std::string_view key) override { return inner_.Get(key); }
  void Remove(std::string_view key) override { inner_.Remove(key); }
  std::vector<std::string> ListKeys() override { return inner_.ListKeys(); }

 private:
  BlobStore& inner_;
  int room_;
};

int KeysStartingWith(BlobStore& blobs, std::string_view prefix) {
  int count = 0;
  for (const auto& key : blobs.ListKeys()) count += key.rfind(prefix, 0) == 0 ? 1 : 0;
  return count;
}

TEST_F(CollectionFlowTest, ADiskFillingUpHalfWayThroughAPhotoLeavesNoBlobNorAttempt) {
  UploadBothSides(candidate_);
  ASSERT_TRUE(service_.ConfirmIdentity(candidate_).ok());
  FillingBlobStore full(blobs_, 1);  // the upload is written, the finished photo is not
  CollectionService on_full_disk{db_.database(), full, clock_, &id_cards_, &portraits_};
  auto refused = on_full_disk.UploadPhoto(candidate_, "good photo");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(refused.error().code, "service.storage_full");
  EXPECT_EQ(refused.error().retry_after_seconds, 60);
  EXPECT_EQ(KeysStartingWith(blobs_, "photo"), 0);
  EXPECT_EQ(State(candidate_), CollectionState::kIdentityConfirmed);
  auto c = db_.database().Acquire();
  EXPECT_EQ(c->Query("SELECT COUNT(*) FROM photo_attempts")[0].Int(0), 0);
  // Space again: the same upload goes through.
  EXPECT_TRUE(service_.UploadPhoto(candidate_, "good photo")->attempt.passed);
  EXPECT_EQ(KeysStartingWith(blobs_, "photo"), 2);
}

TEST_F(CollectionFlowTest, ADiskFillingUpHalfWayThroughACardSideLeavesNoBlobNorUpload) {
  FillingBlobStore full(blobs_, 2);  // capture and card written, card portrait not
  CollectionService on_full_disk{db_.database(), full, clock_, &id_cards_, &portraits_};
  EXPECT_EQ(on_full_disk.UploadIdCardSide(candidate_, CardSide::kPortrait, "portrait").error().code,
            "service.storage_full");
  EXPECT_EQ(KeysStartingWith(blobs_, "idcard"), 0);
  EXPECT_FALSE(service_.Get(candidate_)->record.portrait_side.has_value());
  auto c = db_.database().Acquire();
  EXPECT_EQ(c->Query("SELECT COUNT(*) FROM id_card_uploads")[0].Int(0), 0);
}

TEST_F(CollectionFlowTest, ACandidateCannotSeeAnotherCandidatesPhoto) {
  UploadBothSides(candidate_);
  ASSERT_TRUE(service_.ConfirmIdentity(candidate_).ok());
  auto photo = service_.UploadPhoto(candidate_, "good");
  EXPECT_EQ(service_.PhotoImage(other_, photo->attempt.id).error().code, "request.not_found");
}

class VerificationJobTest : public CollectionFlowTest {
 protected:
  void ReachVerifying(const std::string& photo) {
    UploadBothSides(candidate_);
    ASSERT_TRUE(service_.ConfirmIdentity(candidate_).ok());
    ASSERT_TRUE(service_.UploadPhoto(candidate_, photo).ok());
    ASSERT_TRUE(service_.SubmitPhoto(candidate_).ok());
    ASSERT_TRUE(service_.ConsentAndSubmit(candidate_).ok());
  }
  std::string JobColumn(const char* column) {
    auto c = db_.database().Acquire();
    return c->Query(std::string("SELECT ") + column + " FROM verification_jobs")[0].TextOr(0, "");
  }
};

TEST_F(VerificationJobTest, FailedVerificationLeadsToRetake) {
  ReachVerifying("good impostor");
  ASSERT_TRUE(worker_.RunOnce());
  EXPECT_EQ(State(candidate_), CollectionState::kVerificationFailed);
  EXPECT_EQ(JobColumn("outcome"), "failed");
  EXPECT_EQ(service_.RetakePhoto(candidate_)->record.state, CollectionState::kIdentityConfirmed);
}

TEST_F(VerificationJobTest, TransientErrorsAreRetriedWithBackoff) {
  ReachVerifying("good");
  verifier_.transient_failures_left = 1;
  ASSERT_TRUE(worker_.RunOnce());
  const std::string first_request_id = verifier_.last_request.request_id;
  EXPECT_FALSE(first_request_id.empty());
  EXPECT_EQ(State(candidate_), CollectionState::kVerifying);
  EXPECT_EQ(JobColumn("status"), "queued");
  EXPECT_FALSE(worker_.RunOnce());  // backing off
  clock_.AdvanceSeconds(2);
  ASSERT_TRUE(worker_.RunOnce());
  EXPECT_EQ(State(candidate_), CollectionState::kVerified);
  EXPECT_EQ(JobColumn("attempts"), "2");
  // The retry is the same request for the platform, which then checks only once.
  EXPECT_EQ(verifier_.last_request.request_id, first_request_id);
}

TEST_F(VerificationJobTest, GivesUpAfterTheLastAttemptAndSaysSo) {
  ReachVerifying("good");
  verifier_.transient_failures_left = 100;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(worker_.RunOnce()) << i;
    clock_.AdvanceSeconds(600);
  }
  EXPECT_EQ(State(candidate_), CollectionState::kVerificationFailed);
  EXPECT_EQ(JobColumn("outcome"), "error");
  EXPECT_EQ(service_.Get(candidate_)->record.verification->code, "verification.unavailable");
}

TEST_F(VerificationJobTest, AJobLeftRunningByACrashedWorkerIsRunAgainAfterItsLease) {
  ReachVerifying("good");
  {
    // A worker that claimed the job and died: status running, lease not yet over.
    auto c = db_.database().Acquire();
    c->Execute(
        "UPDATE verification_jobs SET status = 'running', locked_by = 'dead', "
        "locked_until = $1, attempts = 1",
        {clock_.NowMillis() + 60'000});
  }
  EXPECT_FALSE(worker_.RunOnce());
  clock_.AdvanceSeconds(61);
  ASSERT_TRUE(worker_.RunOnce());
  EXPECT_EQ(State(candidate_), CollectionState::kVerified);
  EXPECT_EQ(verifier_.calls.load(), 1);
}

TEST_F(VerificationJobTest, TwoWorkersNeverRunOneJobTwice) {
  ReachVerifying("good");
  VerificationWorker second(db_.database(), blobs_, clock_, verifier_, worker_options_);
  std::atomic<int> ran{0};
  std::thread a([&] { ran += worker_.RunOnce(); });
  std::thread b([&] { ran += second.RunOnce(); });
  a.join();
  b.join();
  EXPECT_EQ(ran.load(), 1);
  EXPECT_EQ(verifier_.calls.load(), 1);
  EXPECT_EQ(State(candidate_), CollectionState::kVerified);
}

}  // namespace
}  // namespace examphoto
