#include "service/login_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "domain/messages.h"
#include "service/roster_import_service.h"
#include "support/test_database.h"

namespace examphoto {
namespace {

using testing::FakeClock;
using testing::TestDatabase;

class LoginServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RosterImportService roster(db_.database(), clock_);
    auto report = roster.Import(
        "报名号,姓名,身份证号,手机号,考试批次\n"
        "R1,张三,11010519491231002X,13900000001,2026-10\n"
        "R2,李四,110105199003071239,13900000002,2026-10\n",
        "roster.csv", "test", false);
    ASSERT_TRUE(report.ok());
    ASSERT_TRUE(report->applied);
  }

  std::string LatestCode(const std::string& phone) {
    for (const auto& m : sms_.Outbox(phone)) return m.code;
    return "";
  }

  const AgreementVersions kAgreed{"2026-01", "2026-01"};
  TestDatabase db_;
  FakeClock clock_;
  LogSmsGateway sms_;
  LoginService login_{db_.database(), sms_, clock_, "test-secret", LoginSettings{}};
};

TEST_F(LoginServiceTest, SendsASixDigitCodeAndLogsIn) {
  auto sent = login_.SendCode("13900000001", "10.0.0.1");
  ASSERT_TRUE(sent.ok()) << sent.error().code;
  EXPECT_EQ(sent->resend_after_seconds, 60);
  EXPECT_EQ(sent->expires_in_seconds, 300);
  const std::string code = LatestCode("13900000001");
  ASSERT_EQ(code.size(), 6u);
  EXPECT_NE(sms_.Outbox("13900000001")[0].text.find(code), std::string::npos);

  auto session = login_.Login("+86 139-0000-0001", code, kAgreed, "10.0.0.1");
  ASSERT_TRUE(session.ok()) << session.error().code;
  EXPECT_EQ(session->candidate.registration_no, "R1");
  EXPECT_EQ(session->state, CollectionState::kIdCardPending);
  auto subject = login_.Authenticate(session->token);
  ASSERT_TRUE(subject.ok());
  EXPECT_EQ(subject->kind, "candidate");
  EXPECT_EQ(subject->id, session->candidate.id);
}

TEST_F(LoginServiceTest, StoresNeitherTheCodeNorTheTokenInClear) {
  ASSERT_TRUE(login_.SendCode("13900000001", "ip").ok());
  const std::string code = LatestCode("13900000001");
  auto session = login_.Login("13900000001", code, kAgreed, "ip");
  ASSERT_TRUE(session.ok());
  auto c = db_.database().Acquire();
  EXPECT_NE(c->Query("SELECT code_hash FROM sms_codes")[0].Text(0).find(code), 0u);
  EXPECT_EQ(c->Query("SELECT COUNT(*) FROM sms_codes WHERE code_hash = $1", {code})[0].Int(0), 0);
  EXPECT_EQ(c->Query("SELECT COUNT(*) FROM sessions WHERE token_hash = $1",
                     {std::string_view(session->token)})[0]
                .Int(0),
            0);
  EXPECT_EQ(c->Query("SELECT COUNT(*) FROM consents")[0].Int(0), 2);
}

TEST_F(LoginServiceTest, RefusesPhonesOutsideTheRosterWithAClearMessage) {
  auto sent = login_.SendCode("13911112222", "ip");
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, "auth.phone_not_registered");
  EXPECT_EQ(sent.error().kind, ErrorKind::kNotFound);
  EXPECT_FALSE(sent.error().message.empty());
  EXPECT_EQ(login_.SendCode("12345", "ip").error().code, "phone.format");
  EXPECT_TRUE(sms_.Outbox("").empty());
}

TEST_F(LoginServiceTest, ResendOnlyAfterSixtySeconds) {
  ASSERT_TRUE(login_.SendCode("13900000001", "ip").ok());
  clock_.AdvanceSeconds(59);
  auto again = login_.SendCode("13900000001", "ip");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "sms.resend_too_soon");
  EXPECT_EQ(again.error().retry_after_seconds, 1);
  clock_.AdvanceSeconds(1);
  EXPECT_TRUE(login_.SendCode("13900000001", "ip").ok());
}

TEST_F(LoginServiceTest, AtMostTenCodesADayPerPhone) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(login_.SendCode("13900000001", "ip-" + std::to_string(i)).ok()) << i;
    clock_.AdvanceSeconds(61);
  }
  auto eleventh = login_.SendCode("13900000001", "ip-x");
  ASSERT_FALSE(eleventh.ok());
  EXPECT_EQ(eleventh.error().code, "sms.daily_limit");
  EXPECT_EQ(eleventh.error().kind, ErrorKind::kRateLimited);
  EXPECT_TRUE(login_.SendCode("13900000002", "ip-x").ok());  // another phone is not affected
}

TEST_F(LoginServiceTest, LimitsCodesPerAddress) {
  LoginSettings strict;
  strict.codes_per_ip_per_hour = 1;
  LoginService login(db_.database(), sms_, clock_, "secret", strict);
  ASSERT_TRUE(login.SendCode("13900000001", "1.2.3.4").ok());
  EXPECT_EQ(login.SendCode("13900000002", "1.2.3.4").error().code, "sms.ip_limit");
  EXPECT_TRUE(login.SendCode("13900000002", "5.6.7.8").ok());
}

TEST_F(LoginServiceTest, CodeExpiresAfterFiveMinutes) {
  ASSERT_TRUE(login_.SendCode("13900000001", "ip").ok());
  const std::string code = LatestCode("13900000001");
  clock_.AdvanceSeconds(300);
  auto late = login_.Login("13900000001", code, kAgreed, "ip");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, "sms.code_expired");
}

TEST_F(LoginServiceTest, AWrongCodeSaysHowManyTriesAreLeft) {
  ASSERT_TRUE(login_.SendCode("13900000001", "ip").ok());
  const std::string code = LatestCode("13900000001");
  const std::string wrong = code == "000000" ? "111111" : "000000";
  EXPECT_EQ(login_.Login("13900000001", wrong, kAgreed, "ip").error().message,
            "验证码不正确，还可再输入4次。");
  EXPECT_EQ(login_.Login("13900000001", wrong, kAgreed, "ip").error().message,
            "验证码不正确，还可再输入3次。");
}

TEST_F(LoginServiceTest, FiveWrongTriesKillTheCode) {
  ASSERT_TRUE(login_.SendCode("13900000001", "ip").ok());
  const std::string code = LatestCode("13900000001");
  const std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(login_.Login("13900000001", wrong, kAgreed, "ip").error().code, "sms.code_wrong");
  }
  EXPECT_EQ(login_.Login("13900000001", wrong, kAgreed, "ip").error().code,
            "sms.code_attempts_exceeded");
  EXPECT_EQ(login_.Login("13900000001", code, kAgreed, "ip").error().code,
            "sms.code_attempts_exceeded");
}

TEST_F(LoginServiceTest, ACodeWorksOnce) {
  ASSERT_TRUE(login_.SendCode("13900000001", "ip").ok());
  const std::string code = LatestCode("13900000001");
  ASSERT_TRUE(login_.Login("13900000001", code, kAgreed, "ip").ok());
  EXPECT_EQ(login_.Login("13900000001", code, kAgreed, "ip").error().code, "sms.code_expired");
}

TEST_F(LoginServiceTest, ACodeForOnePhoneDoesNotOpenAnother) {
  ASSERT_TRUE(login_.SendCode("13900000001", "ip").ok());
  const std::string code = LatestCode("13900000001");
  EXPECT_EQ(login_.Login("13900000002", code, kAgreed, "ip").error().code, "sms.code_expired");
}

TEST_F(LoginServiceTest, RequiresTheCurrentAgreements) {
  ASSERT_TRUE(login_.SendCode("13900000001", "ip").ok());
  const std::string code = LatestCode("13900000001");
  EXPECT_EQ(login_.Login("13900000001", code, {"", ""}, "ip").error().code,
            "auth.agreement_required");
  EXPECT_EQ(login_.Login("13900000001", code, {"2025-01", "2026-01"}, "ip").error().code,
            "auth.agreement_outdated");
  EXPECT_TRUE(login_.Login("13900000001", code, kAgreed, "ip").ok());
}

TEST_F(LoginServiceTest, SessionsExpireAndLogOut) {
  ASSERT_TRUE(login_.SendCode("13900000001", "ip").ok());
  auto session = login_.Login("13900000001", LatestCode("13900000001"), kAgreed, "ip");
  ASSERT_TRUE(session.ok());
  login_.Logout(session->token);
  EXPECT_EQ(login_.Authenticate(session->token).error().code, "auth.session_required");

  clock_.AdvanceSeconds(61);
  ASSERT_TRUE(login_.SendCode("13900000001", "ip").ok());
  auto second = login_.Login("13900000001", LatestCode("13900000001"), kAgreed, "ip");
  ASSERT_TRUE(second.ok());
  clock_.AdvanceSeconds(24 * 3600);
  EXPECT_FALSE(login_.Authenticate(second->token).ok());
  EXPECT_FALSE(login_.Authenticate("").ok());
  EXPECT_FALSE(login_.Authenticate("not-a-token").ok());
}

TEST_F(LoginServiceTest, ConcurrentSendsForOnePhoneSendOneCode) {
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      if (login_.SendCode("13900000001", "ip" + std::to_string(i)).ok()) ++accepted;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 1);
  EXPECT_EQ(sms_.Outbox("13900000001").size(), 1u);
}

class FailingGateway : public SmsGateway {
 public:
  Status Send(const SmsMessage&) override {
    return MakeError(ErrorKind::kUnavailable, "sms.send_failed", "provider down");
  }
};

TEST_F(LoginServiceTest, UndeliveredCodeDoesNotBlockAResend) {
  FailingGateway failing;
  LoginService broken(db_.database(), failing, clock_, "secret", LoginSettings{});
  auto sent = broken.SendCode("13900000001", "ip");
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, "sms.send_failed");
  EXPECT_TRUE(login_.SendCode("13900000001", "ip").ok());
}

}  // namespace
}  // namespace examphoto
