// The clean-up of the login tables (security F17: sessions, SMS codes and rate-limit windows
// were never removed): what can no longer matter goes, what a limit or a session still
// needs stays.
#include <gtest/gtest.h>

#include "domain/china_time.h"
#include "storage/expired_rows_sweeper.h"
#include "storage/login_repository.h"
#include "support/test_database.h"

namespace examphoto {
namespace {

using testing::FakeClock;
using testing::TestDatabase;

constexpr int64_t kHour = 3600 * 1000;

class ExpiredRowsTest : public ::testing::Test {
 protected:
  int64_t Count(const char* table) {
    auto c = db_.database().Acquire();
    return c->Query(std::string("SELECT COUNT(*) FROM ") + table)[0].Int(0);
  }

  TestDatabase db_;
  FakeClock clock_;
  const int64_t now_ = clock_.NowMillis();
  const int64_t today_ = ChinaDayStart(now_);
};

TEST_F(ExpiredRowsTest, RemovesWhatNoLimitOrSessionStillNeeds) {
  {
    auto c = db_.database().Acquire();
    LoginRepository logins(*c);
    // Codes: two days ago (goes), yesterday (stays: still counted as the day's neighbour),
    // today (stays: the daily limit counts it).
    logins.InsertSmsCode("13900000001", "h1", today_ - 2 * kDayMillis,
                         today_ - 2 * kDayMillis + 300'000);
    logins.InsertSmsCode("13900000001", "h2", today_ - kDayMillis + kHour,
                         today_ - kDayMillis + kHour + 300'000);
    logins.InsertSmsCode("13900000001", "h3", now_ - 1000, now_ + 299'000);
    // Sessions: expired two days ago (goes), revoked two days ago (goes), revoked an hour ago
    // (stays a while), live (stays).
    logins.InsertSession("s-expired", "candidate", 1, now_ - 5 * kDayMillis, now_ - 2 * kDayMillis,
                         "ip");
    logins.InsertSession("s-revoked", "candidate", 1, now_ - 3 * kDayMillis, now_ + kDayMillis,
                         "ip");
    logins.RevokeSession("s-revoked", now_ - 2 * kDayMillis);
    logins.InsertSession("s-recent", "staff", 2, now_ - 2 * kHour, now_ + kHour, "ip");
    logins.RevokeSession("s-recent", now_ - kHour);
    logins.InsertSession("s-live", "candidate", 3, now_ - kHour, now_ + kDayMillis, "ip");
    // Rate-limit windows: two days old (goes), this hour's (stays).
    logins.HitRateLimit("sms-ip:old", now_ - 2 * kDayMillis, kHour);
    logins.HitRateLimit("sms-ip:now", now_, kHour);
  }
  ExpiredRowsSweeper sweeper(db_.database(), clock_, std::chrono::seconds(3600));
  const ExpiredLoginRows removed = sweeper.RunOnce();
  EXPECT_EQ(removed.sms_codes, 1);
  EXPECT_EQ(removed.sessions, 2);
  EXPECT_EQ(removed.rate_limits, 1);
  EXPECT_EQ(Count("sms_codes"), 2);
  EXPECT_EQ(Count("sessions"), 2);
  EXPECT_EQ(Count("rate_limits"), 1);
  auto c = db_.database().Acquire();
  LoginRepository logins(*c);
  EXPECT_TRUE(logins.FindSession("s-live", now_));
  EXPECT_EQ(logins.CountSmsCodesSince("13900000001", today_), 1);  // the daily limit's count
  EXPECT_EQ(logins.HitRateLimit("sms-ip:now", now_, kHour), 2);    // the window goes on
  // A second run finds nothing more.
  EXPECT_EQ(sweeper.RunOnce().sessions, 0);
}

TEST_F(ExpiredRowsTest, TheThreadStartsAndStopsAndAZeroIntervalTurnsItOff) {
  ExpiredRowsSweeper off(db_.database(), clock_, std::chrono::seconds(0));
  off.Start();
  off.Stop();
  ExpiredRowsSweeper sweeper(db_.database(), clock_, std::chrono::seconds(3600));
  sweeper.Start();
  sweeper.Stop();  // returns although the next run is an hour away
  sweeper.Stop();
}

}  // namespace
}  // namespace examphoto
