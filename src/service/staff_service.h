// Exam office staff: accounts with Argon2id password hashes and three roles (admin,
// operator, viewer), login with a per-IP and per-account limit, sessions in the same table
// as candidates' but of kind "staff", so neither can open the other's endpoints.
#pragma once

#include <string>

#include "domain/clock.h"
#include "domain/result.h"
#include "storage/database.h"
#include "storage/staff_repository.h"

namespace examphoto {

enum class StaffRole { kViewer = 0, kOperator = 1, kAdmin = 2 };

struct StaffSession {
  std::string token;
  int64_t expires_at = 0;
  StaffAccount account;
};

class StaffService {
 public:
  StaffService(Database& database, const Clock& clock, int64_t session_ttl_seconds = 8 * 3600);

  // Errors: staff.username, staff.password_too_short, staff.role, staff.exists.
  Status CreateAccount(std::string_view username, std::string_view password, std::string_view role);
  Result<StaffSession> Login(std::string_view username, std::string_view password,
                             std::string_view client_ip);
  void Logout(std::string_view token);
  // The staff account of a live session with at least `minimum` role.
  Result<StaffAccount> Authorize(std::string_view token, StaffRole minimum);

 private:
  Database& database_;
  const Clock& clock_;
  const int64_t session_ttl_seconds_;
};

}  // namespace examphoto
