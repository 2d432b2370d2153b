#include "service/login_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "domain/address_block.h"
#include "domain/china_time.h"
#include "domain/messages.h"
#include "domain/personal_data.h"
#include "service/database_failure.h"
#include "service/secrets.h"
#include "storage/candidate_repository.h"
#include "storage/collection_repository.h"
#include "storage/login_repository.h"

namespace examphoto {
namespace {

constexpr int64_t kSecond = 1000;

}  // namespace

Result<LoginSettings> LoginSettings::FromConfig(const ConfigSection& root) {
  LoginSettings s;
  const ConfigSection login = root.Section("login");
  const ConfigSection agreements = root.Section("agreements");
  for (const Status& read :
       {login.Read("code_ttl_seconds", s.code_ttl_seconds, 1, kConfigMaxSeconds),
        login.Read("resend_interval_seconds", s.resend_interval_seconds, 0, kConfigMaxSeconds),
        login.Read("codes_per_phone_per_day", s.codes_per_phone_per_day, 1, kConfigMaxCount),
        login.Read("attempts_per_code", s.attempts_per_code, 1, kConfigMaxCount),
        login.Read("codes_per_ip_per_hour", s.codes_per_ip_per_hour, 1, kConfigMaxCount),
        login.Read("logins_per_ip_per_minute", s.logins_per_ip_per_minute, 1, kConfigMaxCount),
        login.Read("codes_per_hour", s.codes_per_hour, 1, kConfigMaxCount),
        login.Read("logins_per_minute", s.logins_per_minute, 1, kConfigMaxCount),
        login.Read("session_ttl_seconds", s.session_ttl_seconds, 1, kConfigMaxSeconds),
        agreements.Read("user_version", s.user_agreement_version),
        agreements.Read("privacy_version", s.privacy_agreement_version)}) {
    if (!read.ok()) return read.error();
  }
  return s;
}

LoginService::LoginService(Database& database, SmsGateway& sms, const Clock& clock,
                           std::string secret_key, LoginSettings settings)
    : database_(database),
      sms_(sms),
      clock_(clock),
      secret_key_(std::move(secret_key)),
      settings_(std::move(settings)) {}

Error LoginService::RateLimited(std::string_view code, int64_t retry_after_seconds) const {
  Error error = MakeError(ErrorKind::kRateLimited, code);
  error.retry_after_seconds = static_cast<int>(std::max<int64_t>(1, retry_after_seconds));
  error.message =
      FormatMessage(error.message, "seconds", std::to_string(error.retry_after_seconds));
  return error;
}

Result<SmsCodeSent> LoginService::SendCode(std::string_view phone_input,
                                           std::string_view client_ip) {
  return GuardStorage("login.send_code", [&]() -> Result<SmsCodeSent> {
    const std::string phone = NormalizePhone(phone_input);
    if (!IsValidMobilePhone(phone)) return MakeError(ErrorKind::kInvalidInput, "phone.format");
    const int64_t now = clock_.NowMillis();
    const int64_t hour = 3600 * kSecond;
    {
      PooledConnection c = database_.Acquire();
      LoginRepository counters(*c);
      if (counters.HitRateLimit("sms-ip:" + AddressBlock(client_ip), now, hour) >
          settings_.codes_per_ip_per_hour) {
        return RateLimited("sms.ip_limit", (hour - now % hour) / kSecond);
      }
      if (counters.HitRateLimit("sms-all", now, hour) > settings_.codes_per_hour) {
        spdlog::warn("sms.global_limit codes_per_hour={}", settings_.codes_per_hour);
        return RateLimited("sms.global_limit", (hour - now % hour) / kSecond);
      }
      // The one place that tells whether a phone is on the roster, as the guide wants: it
      // costs an SMS to the candidate for every roster phone tried, and the limits above
      // hold it.
      if (!CandidateRepository(*c).FindByPhone(phone)) {
        return MakeError(ErrorKind::kNotFound, "auth.phone_not_registered", MaskPhone(phone));
      }
    }

    const std::string code = NewNumericCode(settings_.code_digits);
    const int64_t expires_at = now + settings_.code_ttl_seconds * kSecond;
    // The limits are checked and the code stored in one write transaction, so two concurrent
    // requests for the same phone cannot both pass the resend interval.
    auto stored = InWriteTransaction(database_, [&](Connection& c) -> Result<int64_t> {
      CandidateRepository(c).LockByPhone(phone);
      LoginRepository logins(c);
      if (auto latest = logins.LatestSmsCode(phone)) {
        const int64_t wait = latest->created_at + settings_.resend_interval_seconds * kSecond - now;
        if (wait > 0) return RateLimited("sms.resend_too_soon", (wait + kSecond - 1) / kSecond);
      }
      const int64_t day_start = ChinaDayStart(now);
      if (logins.CountSmsCodesSince(phone, day_start) >= settings_.codes_per_phone_per_day) {
        return RateLimited("sms.daily_limit", (day_start + kDayMillis - now) / kSecond);
      }
      return logins.InsertSmsCode(phone, KeyedHash(secret_key_, phone + ":" + code), now,
                                  expires_at);
    });
    if (!stored.ok()) return stored.error();

    SmsMessage message;
    message.phone = phone;
    message.code = code;
    message.sent_at = now;
    message.text = FormatMessage(LookupMessage("sms.text").message, "code", code);
    message.text =
        FormatMessage(message.text, "minutes", std::to_string(settings_.code_ttl_seconds / 60));
    Status sent = sms_.Send(message);
    if (!sent.ok()) {
      PooledConnection c = database_.Acquire();
      LoginRepository(*c).DeleteSmsCode(*stored);
      spdlog::warn("sms.send_failed phone={} detail={}", MaskPhone(phone), sent.error().detail);
      return sent.error();
    }
    spdlog::info("sms.code_sent phone={}", MaskPhone(phone));
    return SmsCodeSent{settings_.resend_interval_seconds, settings_.code_ttl_seconds};
  });
}

Result<LoginSuccess> LoginService::Login(std::string_view phone_input, std::string_view code,
                                         const AgreementVersions& accepted,
                                         std::string_view client_ip) {
  return GuardStorage("login.login", [&]() -> Result<LoginSuccess> {
    const std::string phone = NormalizePhone(phone_input);
    if (!IsValidMobilePhone(phone)) return MakeError(ErrorKind::kInvalidInput, "phone.format");
    if (accepted.user.empty() || accepted.privacy.empty()) {
      return MakeError(ErrorKind::kInvalidInput, "auth.agreement_required");
    }
    if (accepted.user != settings_.user_agreement_version ||
        accepted.privacy != settings_.privacy_agreement_version) {
      return MakeError(ErrorKind::kConflict, "auth.agreement_outdated");
    }
    const int64_t now = clock_.NowMillis();
    const int64_t minute = 60 * kSecond;
    PooledConnection c = database_.Acquire();
    LoginRepository logins(*c);
    if (logins.HitRateLimit("login-ip:" + AddressBlock(client_ip), now, minute) >
        settings_.logins_per_ip_per_minute) {
      return RateLimited("sms.login_ip_limit", (minute - now % minute) / kSecond);
    }
    if (logins.HitRateLimit("login-all", now, minute) > settings_.logins_per_minute) {
      spdlog::warn("auth.global_limit logins_per_minute={}", settings_.logins_per_minute);
      return RateLimited("sms.global_limit", (minute - now % minute) / kSecond);
    }
    // A phone that is not on the roster is answered exactly like a roster phone with no code
    // waiting, after the same look-ups: logging in must not tell who is a candidate (F2).
    auto candidate = CandidateRepository(*c).FindByPhone(phone);
    auto latest = logins.LatestSmsCode(phone);
    if (!candidate || !latest || latest->consumed_at || latest->expires_at <= now) {
      return MakeError(ErrorKind::kUnauthenticated, "sms.code_expired");
    }
    if (latest->attempts >= settings_.attempts_per_code) {
      return MakeError(ErrorKind::kUnauthenticated, "sms.code_attempts_exceeded");
    }
    // Count the attempt before comparing: concurrent guesses each take one of the five.
    const int64_t attempt = logins.CountAttempt(latest->id);
    if (attempt > settings_.attempts_per_code) {
      return MakeError(ErrorKind::kUnauthenticated, "sms.code_attempts_exceeded");
    }
    const std::string presented = KeyedHash(secret_key_, phone + ":" + std::string(code));
    if (!ConstantTimeEquals(presented, latest->code_hash)) {
      spdlog::info("auth.code_wrong phone={} attempt={}", MaskPhone(phone), attempt);
      if (attempt >= settings_.attempts_per_code) {
        return MakeError(ErrorKind::kUnauthenticated, "sms.code_attempts_exceeded");
      }
      Error wrong = MakeError(ErrorKind::kUnauthenticated, "sms.code_wrong");
      wrong.message = FormatMessage(wrong.message, "remaining",
                                    std::to_string(settings_.attempts_per_code - attempt));
      return wrong;
    }
    if (!logins.ConsumeSmsCode(latest->id, now)) {
      return MakeError(ErrorKind::kUnauthenticated, "sms.code_expired");
    }
    logins.RecordConsent(candidate->id, "user", accepted.user, now, client_ip);
    logins.RecordConsent(candidate->id, "privacy", accepted.privacy, now, client_ip);
    LoginSuccess success;
    success.token = NewSessionToken();
    success.expires_at = now + settings_.session_ttl_seconds * kSecond;
    logins.InsertSession(HashToken(success.token), "candidate", candidate->id, now,
                         success.expires_at, client_ip);
    success.state = CollectionRepository(*c).GetOrCreate(candidate->id, now).state;
    success.candidate = std::move(*candidate);
    spdlog::info("auth.login phone={}", MaskPhone(phone));
    return success;
  });
}

Status LoginService::Logout(std::string_view token) {
  return GuardStorage("login.logout", [&]() -> Status {
    PooledConnection c = database_.Acquire();
    LoginRepository(*c).RevokeSession(HashToken(token), clock_.NowMillis());
    return Ok();
  });
}

Result<AuthenticatedSubject> LoginService::Authenticate(std::string_view token) {
  return GuardStorage("login.authenticate", [&]() -> Result<AuthenticatedSubject> {
    if (token.empty() || token.size() > 200) {
      return MakeError(ErrorKind::kUnauthenticated, "auth.session_required");
    }
    PooledConnection c = database_.Acquire();
    auto session = LoginRepository(*c).FindSession(HashToken(token), clock_.NowMillis());
    if (!session) return MakeError(ErrorKind::kUnauthenticated, "auth.session_required");
    return AuthenticatedSubject{session->subject_kind, session->subject_id};
  });
}

}  // namespace examphoto
