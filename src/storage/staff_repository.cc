#include "storage/staff_repository.h"

namespace examphoto {
namespace {

constexpr std::string_view kSelect =
    "SELECT id, username, password_hash, role, disabled_at, removed_at, created_at FROM "
    "staff_accounts";

StaffAccount ReadAccount(const SqlRow& r) {
  return StaffAccount{r.Int(0),     r.Text(1),    r.Text(2), r.Text(3),
                      !r.IsNull(4), !r.IsNull(5), r.Int(6)};
}

std::optional<StaffAccount> FirstAccount(const SqlRows& rows) {
  if (rows.empty()) return std::nullopt;
  return ReadAccount(rows.front());
}

}  // namespace

std::optional<StaffAccount> StaffRepository::FindByUsername(std::string_view username) {
  static const std::string sql = std::string(kSelect) + " WHERE username = $1";
  return FirstAccount(c_.Query(sql, {username}));
}

std::optional<StaffAccount> StaffRepository::FindById(int64_t id) {
  static const std::string sql = std::string(kSelect) + " WHERE id = $1";
  return FirstAccount(c_.Query(sql, {id}));
}

std::vector<StaffAccount> StaffRepository::ListCurrent() {
  static const std::string sql =
      std::string(kSelect) + " WHERE removed_at IS NULL ORDER BY username";
  std::vector<StaffAccount> out;
  for (const SqlRow& r : c_.Query(sql)) out.push_back(ReadAccount(r));
  return out;
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

void StaffRepository::SetDisabled(int64_t id, bool disabled, int64_t now) {
  c_.Execute("UPDATE staff_accounts SET disabled_at = $2 WHERE id = $1 AND removed_at IS NULL",
             {id, disabled ? SqlParam(now) : SqlParam(nullptr)});
}

void StaffRepository::MarkRemoved(int64_t id, int64_t now) {
  c_.Execute(
      "UPDATE staff_accounts SET removed_at = $2, disabled_at = COALESCE(disabled_at, $2), "
      "password_hash = '' WHERE id = $1",
      {id, now});
}

}  // namespace examphoto
