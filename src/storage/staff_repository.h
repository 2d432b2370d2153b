// Exam office staff accounts (`staff_accounts`, its one owner): username, Argon2id password
// hash, role. Works on the connection or transaction it is given.
#pragma once

#include <cstdint>
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
  explicit StaffRepository(Connection& connection) : c_(connection) {}
  std::optional<StaffAccount> FindByUsername(std::string_view username);
  std::optional<StaffAccount> FindById(int64_t id);
  // Creates an account; false when the username is taken.
  bool Create(const StaffAccount& account, int64_t now);

 private:
  Connection& c_;
};

}  // namespace examphoto
