#include "storage/staff_repository.h"

namespace examphoto {
namespace {

std::optional<StaffAccount> FirstAccount(const SqlRows& rows) {
  if (rows.empty()) return std::nullopt;
  const SqlRow& r = rows.front();
  return StaffAccount{r.Int(0), r.Text(1), r.Text(2), r.Text(3), !r.IsNull(4)};
}

}  // namespace

std::optional<StaffAccount> StaffRepository::FindByUsername(std::string_view username) {
  return FirstAccount(
      c_.Query("SELECT id, username, password_hash, role, disabled_at FROM staff_accounts WHERE "
               "username = $1",
               {username}));
}

std::optional<StaffAccount> StaffRepository::FindById(int64_t id) {
  return FirstAccount(c_.Query(
      "SELECT id, username, password_hash, role, disabled_at FROM staff_accounts WHERE id = $1",
      {id}));
}

bool StaffRepository::Create(const StaffAccount& account, int64_t now) {
  try {
    c_.Execute(
        "INSERT INTO staff_accounts (username, password_hash, role, created_at) VALUES ($1, $2, "
        "$3, $4)",
        {account.username, account.password_hash, account.role, now});
    return true;
  } catch (const DatabaseError& e) {
    if (e.kind() == DatabaseError::Kind::kUniqueViolation) return false;
    throw;
  }
}

}  // namespace examphoto
