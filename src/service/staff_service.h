// Exam office staff: accounts with Argon2id password hashes and three roles (admin,
// operator, viewer), login with a per-IP and per-account limit, sessions in the same table
// as candidates' but of kind "staff", so neither can open the other's endpoints. An
// administrator disables, enables or removes accounts; disabling or removing one ends its
// sessions at once (security F17).
#pragma once

#include <string>
#include <vector>

#include "domain/clock.h"
#include "domain/config_section.h"
#include "domain/result.h"
#include "service/audit_log.h"
#include "storage/database.h"
#include "storage/staff_repository.h"

namespace examphoto {

enum class StaffRole { kViewer = 0, kOperator = 1, kAdmin = 2 };

struct StaffOptions {
  int64_t session_ttl_seconds = int64_t{8} * 3600;  // an office working day
  // Section "staff": session_ttl_seconds.
  static Result<StaffOptions> FromConfig(const ConfigSection& section);
};

struct StaffSession {
  std::string token;
  int64_t expires_at = 0;
  StaffAccount account;
};

class StaffService {
 public:
  StaffService(Database& database, const Clock& clock, StaffOptions options = {});

  // Errors: staff.username, staff.password_too_short, staff.role, staff.exists.
  Status CreateAccount(std::string_view username, std::string_view password, std::string_view role);
  Result<StaffSession> Login(std::string_view username, std::string_view password,
                             std::string_view client_ip);
  Status Logout(std::string_view token);
  // The staff account of a live session with at least `minimum` role.
  Result<StaffAccount> Authorize(std::string_view token, StaffRole minimum);

  // Accounts that are not removed, by username.
  Result<std::vector<StaffAccount>> List();
  // What `by` does to another account, audited as disable_staff, enable_staff, remove_staff.
  // Errors: staff.not_found (unknown or removed), staff.cannot_change_self.
  Result<StaffAccount> Disable(const StaffActor& by, std::string_view username);
  Result<StaffAccount> Enable(const StaffActor& by, std::string_view username);
  Status Remove(const StaffActor& by, std::string_view username);

 private:
  Database& database_;
  const Clock& clock_;
  enum class Change { kDisable, kEnable, kRemove };
  Result<StaffAccount> ChangeAccount(const StaffActor& by, std::string_view username,
                                     Change change);

  const int64_t session_ttl_seconds_;
};

}  // namespace examphoto
