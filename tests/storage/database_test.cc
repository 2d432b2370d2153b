#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "domain/messages.h"
#include "storage/collection_repository.h"
#include "storage/login_repository.h"
#include "storage/migrator.h"
#include "support/test_database.h"

namespace examphoto {
namespace {

using testing::TestDatabase;

TEST(Database, MigratingTwiceAppliesNothingTheSecondTime) {
  TestDatabase db;
  MigrationReport again = MigrateToLatest(db.database());
  EXPECT_TRUE(again.applied.empty());
  EXPECT_GE(again.schema_version, 2);
}

TEST(Database, RoundTripsNullsNumbersTextAndBinary) {
  TestDatabase db;
  auto c = db.database().Acquire();
  const std::string binary("\x00\x01\xff\x00 jpeg", 9);
  c->Execute("INSERT INTO blobs (blob_key, content, size, created_at) VALUES ($1, $2, $3, $4)",
             {std::string_view("k"), SqlBytes{binary}, int64_t{9}, int64_t{-5}});
  auto rows = c->Query("SELECT blob_key, content, size, created_at FROM blobs WHERE blob_key = $1",
                       {std::string_view("k")});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), "k");
  EXPECT_EQ(rows[0].Text(1), binary);
  EXPECT_EQ(rows[0].Int(2), 9);
  EXPECT_EQ(rows[0].Int(3), -5);
  auto nulls = c->Query("SELECT NULL, 'x'");
  EXPECT_TRUE(nulls[0].IsNull(0));
  EXPECT_EQ(nulls[0].TextOr(0, "fallback"), "fallback");
  EXPECT_THROW(nulls[0].Text(0), DatabaseError);
}

TEST(Database, ReportsUniqueViolationsAsSuch) {
  TestDatabase db;
  auto c = db.database().Acquire();
  const char* insert =
      "INSERT INTO blobs (blob_key, content, size, created_at) VALUES ($1, $2, 0, 0)";
  c->Execute(insert, {std::string_view("dup"), SqlBytes{""}});
  try {
    c->Execute(insert, {std::string_view("dup"), SqlBytes{""}});
    FAIL() << "expected a unique violation";
  } catch (const DatabaseError& e) {
    EXPECT_EQ(e.kind(), DatabaseError::Kind::kUniqueViolation) << e.what();
  }
}

TEST(Database, RollsBackAFailedTransactionWhole) {
  TestDatabase db;
  EXPECT_THROW(InWriteTransaction(db.database(),
                                  [](Connection& c) {
                                    c.Execute(
                                        "INSERT INTO rate_limits (bucket, window_start, hits) "
                                        "VALUES ('a', 0, 1)");
                                    throw std::runtime_error("abort");
                                  }),
               std::runtime_error);
  auto c = db.database().Acquire();
  EXPECT_EQ(c->Query("SELECT COUNT(*) FROM rate_limits")[0].Int(0), 0);
}

TEST(Database, RollsBackWhenTheBodyReturnsAnError) {
  TestDatabase db;
  Status refused = InWriteTransaction(db.database(), [](Connection& c) -> Status {
    c.Execute("INSERT INTO rate_limits (bucket, window_start, hits) VALUES ('a', 0, 1)");
    return MakeError(ErrorKind::kConflict, "collection.invalid_transition");
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "collection.invalid_transition");
  Result<int> counted = InWriteTransaction(db.database(), [](Connection& c) -> Result<int> {
    c.Execute("INSERT INTO rate_limits (bucket, window_start, hits) VALUES ('b', 0, 1)");
    return 7;
  });
  EXPECT_EQ(*counted, 7);
  auto c = db.database().Acquire();
  EXPECT_EQ(c->Query("SELECT bucket FROM rate_limits")[0].Text(0), "b");
  EXPECT_EQ(c->Query("SELECT COUNT(*) FROM rate_limits")[0].Int(0), 1);
}

TEST(Database, ConcurrentWritersAllLand) {
  TestDatabase db;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&db, t] {
      for (int i = 0; i < 25; ++i) {
        InWriteTransaction(db.database(), [&](Connection& c) {
          c.Execute("INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, 0, 1)",
                    {std::string_view("b" + std::to_string(t * 100 + i))});
        });
      }
    });
  }
  for (auto& t : threads) t.join();
  auto c = db.database().Acquire();
  EXPECT_EQ(c->Query("SELECT COUNT(*) FROM rate_limits")[0].Int(0), 100);
}

TEST(RateLimits, CountHitsPerWindowAndStartAgainInTheNext) {
  TestDatabase db;
  auto c = db.database().Acquire();
  LoginRepository logins(*c);
  const int64_t minute = 60'000;
  const int64_t start = 1'790'000'040'000;  // aligned to a minute
  EXPECT_EQ(logins.HitRateLimit("ip:1", start, minute), 1);
  EXPECT_EQ(logins.HitRateLimit("ip:1", start + 10'000, minute), 2);
  EXPECT_EQ(logins.HitRateLimit("ip:2", start + 10'000, minute), 1);
  EXPECT_EQ(logins.HitRateLimit("ip:1", start + minute, minute), 1);
}

TEST(Sessions, ExpireAndRevoke) {
  TestDatabase db;
  auto c = db.database().Acquire();
  LoginRepository logins(*c);
  logins.InsertSession("hash1", "candidate", 7, 1000, 5000, "127.0.0.1");
  ASSERT_TRUE(logins.FindSession("hash1", 4999));
  EXPECT_EQ(logins.FindSession("hash1", 4999)->subject_id, 7);
  EXPECT_FALSE(logins.FindSession("hash1", 5000));
  logins.RevokeSession("hash1", 2000);
  EXPECT_FALSE(logins.FindSession("hash1", 3000));
  EXPECT_FALSE(logins.FindSession("other", 3000));
}

TEST(Collections, StateHistoryAndTypedPartsPersist) {
  TestDatabase db;
  auto c = db.database().Acquire();
  c->Execute(
      "INSERT INTO candidates (registration_no, name, id_number, phone, exam_session, created_at, "
      "updated_at) VALUES ('R1', '张三', '11010519491231002X', '13900000001', 'S', 0, 0)");
  const int64_t id = c->Query("SELECT id FROM candidates")[0].Int(0);
  CollectionRecord record = CollectionRepository(*c).GetOrCreate(id, 100);
  EXPECT_EQ(record.state, CollectionState::kIdCardPending);
  EXPECT_EQ(CollectionRepository(*c).GetOrCreate(id, 200).version, record.version);

  const CardSideRecord side{true, {{"name", "张三"}}, {{"name", 0.93}}, {}};
  const IdentityMismatch mismatch{
      {"name"}, "张叁", "11010519491231002X", "张三", "11010519491231002X"};
  InWriteTransaction(db.database(), [&](Connection& tx) {
    CollectionRepository collections(tx);
    auto locked = collections.LockForUpdate(id);
    ASSERT_TRUE(locked);
    locked->state = CollectionState::kIdentityMismatch;
    locked->portrait_side = side;
    locked->mismatch = mismatch;
    locked->verification =
        VerificationResult{VerificationResult::Status::kFailed, "office.photo_rejected", true};
    collections.Save(*locked, 300);
    EventNote note;
    note.mismatch = mismatch;
    collections.AppendEvent({0, id, 300, "candidate", "identity_mismatched", "id_card_uploaded",
                             "identity_mismatch", note});
  });
  CollectionRecord saved = CollectionRepository(*c).GetOrCreate(id, 400);
  EXPECT_EQ(saved.state, CollectionState::kIdentityMismatch);
  EXPECT_EQ(saved.portrait_side, side);
  EXPECT_FALSE(saved.emblem_side);
  EXPECT_EQ(saved.mismatch, mismatch);
  EXPECT_EQ(saved.verification, (VerificationResult{VerificationResult::Status::kFailed,
                                                    "office.photo_rejected", true}));
  EXPECT_EQ(saved.version, record.version + 1);
  auto history = CollectionRepository(*c).History(id, 10);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].note.mismatch, mismatch);
  // The words of an outcome are not stored: they come from the catalogue when shown.
  EXPECT_EQ(c->Query("SELECT verification FROM collections")[0].Text(0).find("message"),
            std::string::npos);
}

}  // namespace
}  // namespace examphoto
