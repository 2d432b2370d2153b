// The http identity provider against the stand-in platform (tests/e2e/standins/
// identity-platform.mjs), a real local server started by the test: pass, fail, platform
// error, timeout, malformed answer, wrong secret.
#include "verification/http_identity_verifier.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "net/http_client.h"

namespace examphoto {
namespace {

class StandInPlatform {
 public:
  explicit StandInPlatform(const std::string& secret) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      execlp("node", "node", EXAMPHOTO_IDENTITY_STANDIN, "0", secret.c_str(), nullptr);
      _exit(127);
    }
    close(out[1]);
    FILE* reader = fdopen(out[0], "r");
    char line[128] = {};
    if (!fgets(line, sizeof line, reader) || sscanf(line, "LISTENING %d", &port_) != 1) {
      throw std::runtime_error("stand-in platform did not start (is node installed?)");
    }
    reader_ = reader;
  }
  ~StandInPlatform() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    if (reader_) fclose(reader_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/verify"; }
  void SetMode(const std::string& mode, int slow_ms = 3000) {
    HttpClientRequest request;
    request.url = "http://127.0.0.1:" + std::to_string(port_) + "/control";
    request.body = R"({"mode":")" + mode + R"(","slowMs":)" + std::to_string(slow_ms) + "}";
    ASSERT_TRUE(SendHttpRequest(request).ok());
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  FILE* reader_ = nullptr;
};

class HttpIdentityVerifierTest : public ::testing::Test {
 protected:
  Result<VerificationOutcome> Verify(
      const std::string& secret = "s3cret",
      std::chrono::milliseconds timeout = std::chrono::milliseconds(2000)) {
    HttpIdentityVerifier verifier({platform_.url(), secret, timeout});
    return verifier.Verify(
        {"张三", "11010519491231002X", std::string("\xff\xd8 jpeg \x00 bytes", 14), ""});
  }
  StandInPlatform platform_{"s3cret"};
};

TEST_F(HttpIdentityVerifierTest, PassIsAPass) {
  auto outcome = Verify();
  ASSERT_TRUE(outcome.ok()) << outcome.error().detail;
  EXPECT_EQ(outcome->status, VerificationOutcome::Status::kPassed) << outcome->detail;
  EXPECT_NEAR(outcome->score, 0.93, 1e-9);
}

TEST_F(HttpIdentityVerifierTest, FailIsAFail) {
  platform_.SetMode("fail");
  EXPECT_EQ(Verify()->status, VerificationOutcome::Status::kFailed);
}

TEST_F(HttpIdentityVerifierTest, PlatformErrorIsTransient) {
  platform_.SetMode("error");
  auto outcome = Verify();
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().kind, ErrorKind::kUnavailable);
  EXPECT_NE(outcome.error().detail.find("500"), std::string::npos);
}

TEST_F(HttpIdentityVerifierTest, TimeoutIsTransient) {
  platform_.SetMode("slow", 3000);
  const auto started = std::chrono::steady_clock::now();
  auto outcome = Verify("s3cret", std::chrono::milliseconds(300));
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.error().detail.find("net.timeout"), std::string::npos)
      << outcome.error().detail;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

TEST_F(HttpIdentityVerifierTest, MalformedAnswerIsTransient) {
  platform_.SetMode("malformed");
  EXPECT_FALSE(Verify().ok());
}

// The attempts of one job carry one request_id; the platform answers a repeat as it answered
// the first time instead of checking again (here: its mode changed to "fail" in between).
TEST_F(HttpIdentityVerifierTest, ARepeatedRequestIdIsAnsweredAsTheFirstTime) {
  HttpIdentityVerifier verifier({platform_.url(), "s3cret", std::chrono::milliseconds(2000)});
  VerificationRequest request{"张三", "11010519491231002X", "jpeg bytes", "",
                              "job-7-1764000000000"};
  EXPECT_EQ(verifier.Verify(request)->status, VerificationOutcome::Status::kPassed);
  platform_.SetMode("fail");
  EXPECT_EQ(verifier.Verify(request)->status, VerificationOutcome::Status::kPassed);
  request.request_id = "job-8-1764000000000";
  EXPECT_EQ(verifier.Verify(request)->status, VerificationOutcome::Status::kFailed);
}

TEST_F(HttpIdentityVerifierTest, AWrongSecretIsRefusedByThePlatform) {
  auto outcome = Verify("not-the-secret");
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.error().detail.find("401"), std::string::npos);
}

TEST(HttpIdentityVerifier, UnreachablePlatformIsTransient) {
  HttpIdentityVerifier verifier({"http://127.0.0.1:9/verify", "s", std::chrono::milliseconds(500)});
  EXPECT_EQ(verifier.Verify({"a", "b", "c", ""}).error().kind, ErrorKind::kUnavailable);
}

TEST(HttpIdentityVerifier, SignsTimestampAndBody) {
  // HMAC-SHA256("key", "1700000000\n{}") computed independently with openssl.
  EXPECT_EQ(SignIdentityRequest("key", "1700000000", "{}"),
            "dc69947da92a4b74a8dc1043568a9cd906a846272955d61394a6ff449c53eb36");
  EXPECT_NE(SignIdentityRequest("key", "1700000000", "{}"),
            SignIdentityRequest("key", "1700000001", "{}"));
}

}  // namespace
}  // namespace examphoto
