// Where an outage of the database becomes an Error: once, at the services' boundary.
#include "service/database_failure.h"

#include <gtest/gtest.h>

#include "service/login_service.h"
#include "sms/sms_gateway.h"
#include "support/test_database.h"

namespace examphoto {
namespace {

TEST(DatabaseFailure, NamesWhatTheClientMayDo) {
  const Error full =
      DatabaseFailure(DatabaseError(DatabaseError::Kind::kStorageFull, "disk full"), "test");
  EXPECT_EQ(full.kind, ErrorKind::kUnavailable);
  EXPECT_EQ(full.code, "service.storage_full");
  EXPECT_EQ(full.retry_after_seconds, 60);
  for (auto kind : {DatabaseError::Kind::kUnavailable, DatabaseError::Kind::kSerialization}) {
    const Error away = DatabaseFailure(DatabaseError(kind, "connection refused"), "test");
    EXPECT_EQ(away.kind, ErrorKind::kUnavailable);
    EXPECT_EQ(away.code, "service.unavailable");
    EXPECT_EQ(away.retry_after_seconds, 5);
  }
  const Error other =
      DatabaseFailure(DatabaseError(DatabaseError::Kind::kOther, "syntax error at FROM"), "test");
  EXPECT_EQ(other.kind, ErrorKind::kInternal);
  EXPECT_EQ(other.code, "internal.error");
  // The engine's words are for the log only.
  EXPECT_EQ(other.message.find("syntax"), std::string::npos);
  EXPECT_NE(other.detail.find("syntax"), std::string::npos);
}

// A database whose connections are all gone.
class UnreachableDatabase : public Database {
 public:
  SqlDialect dialect() const override { return SqlDialect::kPostgres; }
  PooledConnection Acquire() override {
    throw DatabaseError(DatabaseError::Kind::kUnavailable, "could not connect to server");
  }
  std::string Describe() const override { return "unreachable"; }

 protected:
  void Release(std::unique_ptr<Connection>) override {}
};

TEST(DatabaseFailure, ServicesAnswerAnOutageAsAnErrorNotAnException) {
  UnreachableDatabase database;
  LogSmsGateway sms;
  testing::FakeClock clock;
  LoginService login(database, sms, clock, std::string(32, 'k'), LoginSettings{});
  auto sent = login.SendCode("13900000001", "127.0.0.1");
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, "service.unavailable");
  EXPECT_EQ(login.Authenticate("token").error().code, "service.unavailable");
  EXPECT_EQ(login.Logout("token").error().retry_after_seconds, 5);
  EXPECT_EQ(CheckDatabase(database).error().kind, ErrorKind::kUnavailable);
}

}  // namespace
}  // namespace examphoto
