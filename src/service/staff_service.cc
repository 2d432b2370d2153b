#include "service/staff_service.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <cctype>

#include "domain/log_text.h"
#include "domain/messages.h"
#include "service/secrets.h"

namespace examphoto {
namespace {

std::optional<StaffRole> ParseRole(std::string_view role) {
  if (role == "admin") return StaffRole::kAdmin;
  if (role == "operator") return StaffRole::kOperator;
  if (role == "viewer") return StaffRole::kViewer;
  return std::nullopt;
}

}  // namespace

StaffService::StaffService(Database& database, const Clock& clock, int64_t session_ttl_seconds)
    : database_(database),
      clock_(clock),
      session_ttl_seconds_(session_ttl_seconds),
      staff_(database),
      logins_(database) {}

Status StaffService::CreateAccount(std::string_view username, std::string_view password,
                                   std::string_view role) {
  bool username_ok = username.size() >= 3 && username.size() <= 32;
  for (char c : username) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      username_ok = false;
    }
  }
  if (!username_ok) return MakeError(ErrorKind::kInvalidInput, "staff.username");
  if (password.size() < 10 || password.size() > 200) {
    return MakeError(ErrorKind::kInvalidInput, "staff.password_too_short");
  }
  if (!ParseRole(role)) return MakeError(ErrorKind::kInvalidInput, "staff.role");
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return MakeError(ErrorKind::kInternal, "internal.error", "argon2id out of memory");
  }
  StaffAccount account{0, std::string(username), hash, std::string(role), false};
  if (!staff_.Create(account, clock_.NowMillis())) {
    return MakeError(ErrorKind::kConflict, "staff.exists");
  }
  spdlog::info("staff.account_created username={} role={}", username, role);
  return Ok();
}

namespace {

// An Argon2id hash with the same parameters as every account's, of a password nobody knows:
// verifying against it when the account is missing or disabled costs what a real check
// costs, so the answer's timing does not tell whether a username exists (F3).
const std::string& DummyPasswordHash() {
  static const std::string hash = [] {
    const std::string password = NewSecretKey();
    char text[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(text, password.data(), password.size(),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
      return std::string();
    }
    return std::string(text);
  }();
  return hash;
}

}  // namespace

Result<StaffSession> StaffService::Login(std::string_view username, std::string_view password,
                                         std::string_view client_ip) {
  const int64_t now = clock_.NowMillis();
  const int64_t window = 15 * 60 * 1000;
  // Usernames are at most 32 characters; a longer one cannot be an account (and is not worth
  // a database look-up or a rate-limit row).
  auto account = username.size() <= 32 ? staff_.FindByUsername(username) : std::nullopt;
  // Ten failed tries per quarter hour per account and twenty per address slow a password
  // guesser to a crawl while a person who mistypes is not locked out for long. Only failures
  // count (a success takes its hit back), and the address this account last logged in from
  // has a budget of its own, so a guesser elsewhere cannot lock the clerk out (F5). The hit
  // is counted before the password check, so parallel guesses cannot all slip under.
  const std::string address_bucket = "staff-ip:" + std::string(client_ip);
  const bool usual_address =
      account && logins_.LastSessionAddress("staff", account->id) == std::string(client_ip);
  const std::string account_bucket =
      (usual_address ? "staff-user-usual:" : "staff-user:") + std::string(username.substr(0, 32));
  const int64_t address_hits = logins_.HitRateLimit(address_bucket, now, window);
  const int64_t account_hits = logins_.HitRateLimit(account_bucket, now, window);
  if (address_hits > 20 || account_hits > 10) {
    Error error = MakeError(ErrorKind::kRateLimited, "staff.login_limit");
    error.retry_after_seconds = static_cast<int>((window - now % window) / 1000);
    return error;
  }
  const bool usable = account && !account->disabled;
  const std::string& hash = usable ? account->password_hash : DummyPasswordHash();
  const bool password_ok =
      crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  if (!usable || !password_ok) {
    // Only an existing account's name is logged (its syntax was checked when it was made):
    // what someone typed into the username box may be a password (F4).
    if (account) {
      spdlog::info("staff.login_failed username={} reason={} ip={}", account->username,
                   account->disabled ? "disabled" : "password", LogValue(client_ip));
    } else {
      spdlog::info("staff.login_failed account=unknown ip={}", LogValue(client_ip));
    }
    return MakeError(ErrorKind::kUnauthenticated, "staff.credentials");
  }
  logins_.ForgetRateLimitHit(address_bucket, now, window);
  logins_.ForgetRateLimitHit(account_bucket, now, window);
  StaffSession session;
  session.token = NewSessionToken();
  session.expires_at = now + session_ttl_seconds_ * 1000;
  logins_.InsertSession(HashToken(session.token), "staff", account->id, now, session.expires_at,
                        client_ip);
  session.account = std::move(*account);
  spdlog::info("staff.login username={} ip={}", session.account.username, LogValue(client_ip));
  return session;
}

void StaffService::Logout(std::string_view token) {
  logins_.RevokeSession(HashToken(token), clock_.NowMillis());
}

Result<StaffAccount> StaffService::Authorize(std::string_view token, StaffRole minimum) {
  if (token.empty()) return MakeError(ErrorKind::kUnauthenticated, "staff.session_required");
  auto session = logins_.FindSession(HashToken(token), clock_.NowMillis());
  if (!session) return MakeError(ErrorKind::kUnauthenticated, "staff.session_required");
  if (session->subject_kind != "staff") {
    return MakeError(ErrorKind::kForbidden, "staff.candidate_token");
  }
  auto account = staff_.FindById(session->subject_id);
  if (!account || account->disabled) {
    return MakeError(ErrorKind::kUnauthenticated, "staff.session_required");
  }
  auto role = ParseRole(account->role);
  if (!role || static_cast<int>(*role) < static_cast<int>(minimum)) {
    return MakeError(ErrorKind::kForbidden, "staff.role_insufficient");
  }
  return *account;
}

}  // namespace examphoto
