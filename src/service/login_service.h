// Candidate login by SMS code (seed guide 二.(二)): send a code to a phone in the roster,
// check it, record consent to the two agreements, open a session. Every limit of the
// product lives here: 6-digit codes valid 5 minutes, a resend after 60 s, 10 codes a day
// per phone, 5 tries per code, per-IP limits. Thread-safe; state is in the database.
#pragma once

#include <cstdint>
#include <string>

#include "domain/candidate.h"
#include "domain/clock.h"
#include "domain/collection_state.h"
#include "domain/config_section.h"
#include "domain/result.h"
#include "sms/sms_gateway.h"
#include "storage/database.h"

namespace examphoto {

struct LoginSettings {
  int code_digits = 6;
  int64_t code_ttl_seconds = 300;
  int64_t resend_interval_seconds = 60;
  int64_t codes_per_phone_per_day = 10;
  int64_t attempts_per_code = 5;
  // Per address (IPv4) or per /64 (IPv6): AddressBlock.
  int64_t codes_per_ip_per_hour = 30;
  int64_t logins_per_ip_per_minute = 30;
  // For the whole service, all addresses together: a brake on mass enumeration from many
  // addresses. Generous: a province's busiest hour stays far below.
  int64_t codes_per_hour = 20000;
  int64_t logins_per_minute = 3000;
  int64_t session_ttl_seconds = int64_t{24} * 3600;
  std::string user_agreement_version = "2026-01";
  std::string privacy_agreement_version = "2026-01";
  // Sections "login" (code_ttl_seconds, resend_interval_seconds, codes_per_phone_per_day,
  // attempts_per_code, codes_per_ip_per_hour, logins_per_ip_per_minute, session_ttl_seconds)
  // and "agreements" (user_version, privacy_version) of `root`.
  static Result<LoginSettings> FromConfig(const ConfigSection& root);
};

struct SmsCodeSent {
  int64_t resend_after_seconds = 0;
  int64_t expires_in_seconds = 0;
};

struct AgreementVersions {
  std::string user;
  std::string privacy;
};

struct LoginSuccess {
  std::string token;  // shown once; only its hash is stored
  int64_t expires_at = 0;
  Candidate candidate;
  CollectionState state = CollectionState::kIdCardPending;
};

struct AuthenticatedSubject {
  std::string kind;  // "candidate" or "staff"
  int64_t id = 0;
};

class LoginService {
 public:
  LoginService(Database& database, SmsGateway& sms, const Clock& clock, std::string secret_key,
               LoginSettings settings);

  Result<SmsCodeSent> SendCode(std::string_view phone, std::string_view client_ip);
  Result<LoginSuccess> Login(std::string_view phone, std::string_view code,
                             const AgreementVersions& accepted, std::string_view client_ip);
  Status Logout(std::string_view token);
  // The subject of a live session; auth.session_required when none.
  Result<AuthenticatedSubject> Authenticate(std::string_view token);

  const LoginSettings& settings() const { return settings_; }

 private:
  Error RateLimited(std::string_view code, int64_t retry_after_seconds) const;

  Database& database_;
  SmsGateway& sms_;
  const Clock& clock_;
  const std::string secret_key_;
  const LoginSettings settings_;
};

}  // namespace examphoto
