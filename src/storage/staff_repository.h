// Exam office staff accounts: username, Argon2id password hash, role.
#pragma once

#include <optional>
#include <string>

#include "storage/database.h"

namespace examphoto {

struct StaffAccount {
  int64_t id = 0;
  std::string username;
  std::string password_hash;
  std::string role;  // "admin", "operator" or "viewer"
  bool disabled = false;
};

class StaffRepository {
 public:
  explicit StaffRepository(Database& database) : database_(database) {}
  std::optional<StaffAccount> FindByUsername(std::string_view username);
  std::optional<StaffAccount> FindById(int64_t id);
  // Creates an account; false when the username is taken.
  bool Create(const StaffAccount& account, int64_t now);

 private:
  Database& database_;
};

}  // namespace examphoto
