#include "service/staff_service.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <cctype>

#include "domain/log_text.h"
#include "domain/messages.h"
#include "service/database_failure.h"
#include "service/secrets.h"
#include "storage/login_repository.h"

namespace examphoto {
namespace {

std::optional<StaffRole> ParseRole(std::string_view role) {
  if (role == "admin") return StaffRole::kAdmin;
  if (role == "operator") return StaffRole::kOperator;
  if (role == "viewer") return StaffRole::kViewer;
  return std::nullopt;
}

}  // namespace

Result<StaffOptions> StaffOptions::FromConfig(const ConfigSection& section) {
  StaffOptions options;
  Status read =
      section.Read("session_ttl_seconds", options.session_ttl_seconds, 1, kConfigMaxSeconds);
  if (!read.ok()) return read.error();
  return options;
}

StaffService::StaffService(Database& database, const Clock& clock, StaffOptions options)
    : database_(database), clock_(clock), session_ttl_seconds_(options.session_ttl_seconds) {}

Status StaffService::CreateAccount(std::string_view username, std::string_view password,
                                   std::string_view role) {
  return GuardStorage("staff.create", [&]() -> Status {
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
    if (crypto_pwhash_str(hash, password.data(), password.size(),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
      return MakeError(ErrorKind::kInternal, "internal.error", "argon2id out of memory");
    }
    StaffAccount account{0, std::string(username), hash, std::string(role), false};
    PooledConnection c = database_.Acquire();
    if (!StaffRepository(*c).Create(account, clock_.NowMillis())) {
      return MakeError(ErrorKind::kConflict, "staff.exists");
    }
    spdlog::info("staff.account_created username={} role={}", username, role);
    return Ok();
  });
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
  return GuardStorage("staff.login", [&]() -> Result<StaffSession> {
    const int64_t now = clock_.NowMillis();
    const int64_t window = int64_t{15} * 60 * 1000;
    std::optional<StaffAccount> account;
    // Ten failed tries per quarter hour per account and twenty per address slow a password
    // guesser to a crawl while a person who mistypes is not locked out for long. Only
    // failures count (a success takes its hit back), and the address this account last
    // logged in from has a budget of its own, so a guesser elsewhere cannot lock the clerk
    // out (F5). The hit is counted before the password check, so parallel guesses cannot all
    // slip under.
    const std::string address_bucket = "staff-ip:" + std::string(client_ip);
    std::string account_bucket;
    {
      PooledConnection c = database_.Acquire();
      LoginRepository logins(*c);
      // Usernames are at most 32 characters; a longer one cannot be an account (and is not
      // worth a look-up).
      if (username.size() <= 32) account = StaffRepository(*c).FindByUsername(username);
      const bool usual_address =
          account && logins.LastSessionAddress("staff", account->id) == std::string(client_ip);
      account_bucket = (usual_address ? "staff-user-usual:" : "staff-user:") +
                       std::string(username.substr(0, 32));
      const int64_t address_hits = logins.HitRateLimit(address_bucket, now, window);
      const int64_t account_hits = logins.HitRateLimit(account_bucket, now, window);
      if (address_hits > 20 || account_hits > 10) {
        Error error = MakeError(ErrorKind::kRateLimited, "staff.login_limit");
        error.retry_after_seconds = static_cast<int>((window - now % window) / 1000);
        return error;
      }
    }
    // The connection goes back to the pool before the deliberately slow hash. A missing or
    // disabled account is checked against a dummy hash, so the time taken does not tell
    // whether the username exists (F3).
    const bool usable = account && !account->disabled;
    const std::string& hash = usable ? account->password_hash : DummyPasswordHash();
    const bool password_ok =
        crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
    if (!usable || !password_ok) {
      // Only an existing account's name is logged (its syntax was checked when it was
      // made): what someone typed into the username box may be a password (F4).
      if (account) {
        spdlog::info("staff.login_failed username={} reason={} ip={}", account->username,
                     account->disabled ? "disabled" : "password", LogValue(client_ip));
      } else {
        spdlog::info("staff.login_failed account=unknown ip={}", LogValue(client_ip));
      }
      return MakeError(ErrorKind::kUnauthenticated, "staff.credentials");
    }
    StaffSession session;
    session.token = NewSessionToken();
    session.expires_at = now + session_ttl_seconds_ * 1000;
    {
      PooledConnection c = database_.Acquire();
      LoginRepository logins(*c);
      logins.ForgetRateLimitHit(address_bucket, now, window);
      logins.ForgetRateLimitHit(account_bucket, now, window);
      logins.InsertSession(HashToken(session.token), "staff", account->id, now, session.expires_at,
                           client_ip);
    }
    session.account = std::move(*account);
    spdlog::info("staff.login username={} ip={}", session.account.username, LogValue(client_ip));
    return session;
  });
}

Status StaffService::Logout(std::string_view token) {
  return GuardStorage("staff.logout", [&]() -> Status {
    PooledConnection c = database_.Acquire();
    LoginRepository(*c).RevokeSession(HashToken(token), clock_.NowMillis());
    return Ok();
  });
}

Result<StaffAccount> StaffService::Authorize(std::string_view token, StaffRole minimum) {
  return GuardStorage("staff.authorize", [&]() -> Result<StaffAccount> {
    if (token.empty()) return MakeError(ErrorKind::kUnauthenticated, "staff.session_required");
    PooledConnection c = database_.Acquire();
    auto session = LoginRepository(*c).FindSession(HashToken(token), clock_.NowMillis());
    if (!session) return MakeError(ErrorKind::kUnauthenticated, "staff.session_required");
    if (session->subject_kind != "staff") {
      return MakeError(ErrorKind::kForbidden, "staff.candidate_token");
    }
    auto account = StaffRepository(*c).FindById(session->subject_id);
    if (!account || account->disabled) {
      return MakeError(ErrorKind::kUnauthenticated, "staff.session_required");
    }
    auto role = ParseRole(account->role);
    if (!role || static_cast<int>(*role) < static_cast<int>(minimum)) {
      return MakeError(ErrorKind::kForbidden, "staff.role_insufficient");
    }
    return *account;
  });
}

Result<std::vector<StaffAccount>> StaffService::List() {
  return GuardStorage("staff.list", [&]() -> Result<std::vector<StaffAccount>> {
    PooledConnection c = database_.Acquire();
    return StaffRepository(*c).ListCurrent();
  });
}

Result<StaffAccount> StaffService::Disable(const StaffActor& by, std::string_view username) {
  return ChangeAccount(by, username, Change::kDisable);
}

Result<StaffAccount> StaffService::Enable(const StaffActor& by, std::string_view username) {
  return ChangeAccount(by, username, Change::kEnable);
}

Status StaffService::Remove(const StaffActor& by, std::string_view username) {
  auto removed = ChangeAccount(by, username, Change::kRemove);
  if (!removed.ok()) return removed.error();
  return Ok();
}

Result<StaffAccount> StaffService::ChangeAccount(const StaffActor& by, std::string_view username,
                                                 Change change) {
  return GuardStorage("staff.change", [&]() -> Result<StaffAccount> {
    const int64_t now = clock_.NowMillis();
    auto changed = InWriteTransaction(database_, [&](Connection& c) -> Result<StaffAccount> {
      StaffRepository accounts(c);
      auto account = accounts.FindByUsername(username);
      if (!account || account->removed) return MakeError(ErrorKind::kNotFound, "staff.not_found");
      // An administrator locking themselves out would leave the office without one.
      if (account->username == by.username && change != Change::kEnable) {
        return MakeError(ErrorKind::kConflict, "staff.cannot_change_self");
      }
      const char* action = "enable_staff";
      if (change == Change::kEnable) {
        accounts.SetDisabled(account->id, false, now);
        account->disabled = false;
      } else {
        if (change == Change::kRemove) {
          accounts.MarkRemoved(account->id, now);
          account->removed = true;
          action = "remove_staff";
        } else {
          accounts.SetDisabled(account->id, true, now);
          action = "disable_staff";
        }
        account->disabled = true;
        LoginRepository(c).RevokeSessionsOf("staff", account->id, now);
      }
      AuditLog::Append(c, by, action, std::nullopt, "",
                       boost::json::serialize(boost::json::object{{"username", account->username},
                                                                  {"role", account->role}}),
                       now);
      return *account;
    });
    if (changed.ok()) {
      spdlog::info("staff.account_changed username={} by={} change={}", changed->username,
                   by.username,
                   change == Change::kEnable ? "enabled"
                   : changed->removed        ? "removed"
                                             : "disabled");
      changed->password_hash.clear();
    }
    return changed;
  });
}

}  // namespace examphoto
