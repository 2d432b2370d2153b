// Exam office staff accounts (`staff_accounts`, its one owner): username, Argon2id password
// hash, role, and whether the account is disabled or removed. A removed account keeps its
// row (without the hash) so its username is never taken again. Works on the connection or
// transaction it is given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace examphoto {

struct StaffAccount {
  int64_t id = 0;
  std::string username;
  std::string password_hash;
  std::string role;       // "admin", "operator" or "viewer"
  bool disabled = false;  // a removed account is disabled too
  bool removed = false;
  int64_t created_at = 0;
};

class StaffRepository {
 public:
  explicit StaffRepository(Connection& connection) : c_(connection) {}
  std::optional<StaffAccount> FindByUsername(std::string_view username);
  std::optional<StaffAccount> FindById(int64_t id);
  // Accounts that are not removed, by username.
  std::vector<StaffAccount> ListCurrent();
  // Creates an account; false when the username is taken (by a removed account too).
  bool Create(const StaffAccount& account, int64_t now);
  void SetDisabled(int64_t id, bool disabled, int64_t now);
  // Disables the account for good and forgets its password hash.
  void MarkRemoved(int64_t id, int64_t now);

 private:
  Connection& c_;
};

}  // namespace examphoto
