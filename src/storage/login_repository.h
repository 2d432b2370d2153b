// What login stores, and the one owner of its tables: SMS codes (hashed, `sms_codes`),
// sessions of candidates and staff (token hashes, `sessions`), consents to the agreements
// (`consents`), and the fixed-window counters behind rate limits (`rate_limits`). Counters
// live in the database so that limits hold across several server instances. Works on the
// connection or transaction it is given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.h"

namespace examphoto {

struct StoredSmsCode {
  int64_t id = 0;
  std::string code_hash;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  int64_t attempts = 0;  // verification attempts made with this code, right or wrong
  std::optional<int64_t> consumed_at;
};

// Rows removed by one clean-up (LoginRepository::DeleteExpired).
struct ExpiredLoginRows {
  int64_t sms_codes = 0;
  int64_t sessions = 0;
  int64_t rate_limits = 0;
};

struct StoredSession {
  std::string subject_kind;  // "candidate" or "staff"
  int64_t subject_id = 0;
  int64_t expires_at = 0;
};

class LoginRepository {
 public:
  explicit LoginRepository(Connection& connection) : c_(connection) {}

  int64_t InsertSmsCode(std::string_view phone, std::string_view code_hash, int64_t now,
                        int64_t expires_at);
  std::optional<StoredSmsCode> LatestSmsCode(std::string_view phone);
  int64_t CountSmsCodesSince(std::string_view phone, int64_t since);
  // Counts one verification attempt before the comparison and returns the new count, so
  // that concurrent guesses cannot all slip under the limit.
  int64_t CountAttempt(int64_t code_id);
  // Removes a code that could not be delivered, so that it does not block a resend.
  void DeleteSmsCode(int64_t code_id);
  // Marks the code used; false if it was already used (a concurrent login won).
  bool ConsumeSmsCode(int64_t code_id, int64_t now);

  void InsertSession(std::string_view token_hash, std::string_view subject_kind, int64_t subject_id,
                     int64_t now, int64_t expires_at, std::string_view client_ip);
  // The session if it exists, is not revoked and has not expired at `now`.
  std::optional<StoredSession> FindSession(std::string_view token_hash, int64_t now);
  void RevokeSession(std::string_view token_hash, int64_t now);
  // Ends every live session of one subject (a candidate whose phone changed, a staff account
  // that was disabled); returns how many.
  int64_t RevokeSessionsOf(std::string_view subject_kind, int64_t subject_id, int64_t now);

  void RecordConsent(int64_t candidate_id, std::string_view document, std::string_view version,
                     int64_t now, std::string_view client_ip);

  // Counts one hit in the window of `window_millis` that contains `now`; returns the hits
  // in that window including this one.
  int64_t HitRateLimit(std::string_view bucket, int64_t now, int64_t window_millis);
  // Takes back one hit counted in the same window (an attempt that turned out not to count,
  // such as a login that succeeded).
  void ForgetRateLimitHit(std::string_view bucket, int64_t now, int64_t window_millis);

  // The address of the newest session opened by this subject, if any.
  std::optional<std::string> LastSessionAddress(std::string_view subject_kind, int64_t subject_id);

  // Removes what can no longer matter at `now`: SMS codes from before yesterday (China time;
  // today's count the daily limit, the latest one the resend interval), sessions that ended
  // (expired or revoked) more than a day ago, and rate-limit windows older than a day (the
  // longest window is an hour).
  ExpiredLoginRows DeleteExpired(int64_t now);

 private:
  Connection& c_;
};

}  // namespace examphoto
