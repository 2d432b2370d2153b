#include "storage/login_repository.h"

#include "domain/china_time.h"

namespace examphoto {

int64_t LoginRepository::InsertSmsCode(std::string_view phone, std::string_view code_hash,
                                       int64_t now, int64_t expires_at) {
  return c_
      .Query(
          "INSERT INTO sms_codes (phone, code_hash, created_at, expires_at) VALUES ($1, $2, $3, "
          "$4) RETURNING id",
          {phone, code_hash, now, expires_at})
      .front()
      .Int(0);
}

std::optional<StoredSmsCode> LoginRepository::LatestSmsCode(std::string_view phone) {
  auto rows = c_.Query(
      "SELECT id, code_hash, created_at, expires_at, attempts, consumed_at FROM sms_codes "
      "WHERE phone = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
      {phone});
  if (rows.empty()) return std::nullopt;
  const SqlRow& r = rows.front();
  return StoredSmsCode{r.Int(0), r.Text(1), r.Int(2), r.Int(3), r.Int(4), r.OptionalInt(5)};
}

int64_t LoginRepository::CountSmsCodesSince(std::string_view phone, int64_t since) {
  return c_
      .Query("SELECT COUNT(*) FROM sms_codes WHERE phone = $1 AND created_at >= $2", {phone, since})
      .front()
      .Int(0);
}

int64_t LoginRepository::CountAttempt(int64_t code_id) {
  return c_
      .Query("UPDATE sms_codes SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts",
             {code_id})
      .front()
      .Int(0);
}

void LoginRepository::DeleteSmsCode(int64_t code_id) {
  c_.Execute("DELETE FROM sms_codes WHERE id = $1", {code_id});
}

bool LoginRepository::ConsumeSmsCode(int64_t code_id, int64_t now) {
  return c_.Execute("UPDATE sms_codes SET consumed_at = $2 WHERE id = $1 AND consumed_at IS NULL",
                    {code_id, now}) == 1;
}

void LoginRepository::InsertSession(std::string_view token_hash, std::string_view subject_kind,
                                    int64_t subject_id, int64_t now, int64_t expires_at,
                                    std::string_view client_ip) {
  c_.Execute(
      "INSERT INTO sessions (token_hash, subject_kind, subject_id, created_at, expires_at, "
      "client_ip) VALUES ($1, $2, $3, $4, $5, $6)",
      {token_hash, subject_kind, subject_id, now, expires_at, client_ip});
}

std::optional<StoredSession> LoginRepository::FindSession(std::string_view token_hash,
                                                          int64_t now) {
  auto rows = c_.Query(
      "SELECT subject_kind, subject_id, expires_at FROM sessions WHERE token_hash = $1 "
      "AND revoked_at IS NULL AND expires_at > $2",
      {token_hash, now});
  if (rows.empty()) return std::nullopt;
  return StoredSession{rows.front().Text(0), rows.front().Int(1), rows.front().Int(2)};
}

void LoginRepository::RevokeSession(std::string_view token_hash, int64_t now) {
  c_.Execute("UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL",
             {token_hash, now});
}

int64_t LoginRepository::RevokeSessionsOf(std::string_view subject_kind, int64_t subject_id,
                                          int64_t now) {
  return c_.Execute(
      "UPDATE sessions SET revoked_at = $3 WHERE subject_kind = $1 AND subject_id = $2 AND "
      "revoked_at IS NULL AND expires_at > $3",
      {subject_kind, subject_id, now});
}

void LoginRepository::RecordConsent(int64_t candidate_id, std::string_view document,
                                    std::string_view version, int64_t now,
                                    std::string_view client_ip) {
  c_.Execute(
      "INSERT INTO consents (candidate_id, document, version, accepted_at, client_ip) "
      "VALUES ($1, $2, $3, $4, $5)",
      {candidate_id, document, version, now, client_ip});
}

int64_t LoginRepository::HitRateLimit(std::string_view bucket, int64_t now, int64_t window_millis) {
  const int64_t window_start = now - (now % window_millis);
  return c_
      .Query(
          "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) "
          "ON CONFLICT (bucket) DO UPDATE SET "
          "hits = CASE WHEN rate_limits.window_start = excluded.window_start "
          "THEN rate_limits.hits + 1 ELSE 1 END, window_start = excluded.window_start "
          "RETURNING hits",
          {bucket, window_start})
      .front()
      .Int(0);
}

void LoginRepository::ForgetRateLimitHit(std::string_view bucket, int64_t now,
                                         int64_t window_millis) {
  const int64_t window_start = now - (now % window_millis);
  c_.Execute(
      "UPDATE rate_limits SET hits = hits - 1 WHERE bucket = $1 AND window_start = $2 AND hits > 0",
      {bucket, window_start});
}

std::optional<std::string> LoginRepository::LastSessionAddress(std::string_view subject_kind,
                                                               int64_t subject_id) {
  auto rows = c_.Query(
      "SELECT client_ip FROM sessions WHERE subject_kind = $1 AND subject_id = $2 "
      "ORDER BY created_at DESC LIMIT 1",
      {subject_kind, subject_id});
  if (rows.empty()) return std::nullopt;
  return rows.front().Text(0);
}

ExpiredLoginRows LoginRepository::DeleteExpired(int64_t now) {
  ExpiredLoginRows removed;
  const int64_t yesterday = ChinaDayStart(now) - kDayMillis;
  removed.sms_codes = c_.Execute("DELETE FROM sms_codes WHERE created_at < $1 AND expires_at < $2",
                                 {yesterday, now});
  const int64_t a_day_ago = now - kDayMillis;
  removed.sessions =
      c_.Execute("DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1", {a_day_ago});
  removed.rate_limits = c_.Execute("DELETE FROM rate_limits WHERE window_start < $1", {a_day_ago});
  return removed;
}

}  // namespace examphoto
