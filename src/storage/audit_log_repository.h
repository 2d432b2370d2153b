// The office's audit log (`audit_log`, its one owner): who did what to whom, why, when and
// from which address. Append-only: this class has no update or delete, and the database
// refuses both (triggers in migration 0004). Works on the connection or transaction it is
// given: a change and its audit row commit together.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace examphoto {

struct AuditEntry {
  int64_t id = 0;
  int64_t happened_at = 0;
  std::string actor;
  std::string role;
  std::string action;
  std::optional<int64_t> candidate_id;
  std::string reason;
  std::string detail;  // JSON
  std::string client_ip;
};

struct AuditQuery {
  std::string actor;   // "" for any
  std::string action;  // "" for any
  std::optional<int64_t> candidate_id;
  std::optional<int64_t> before_id;  // keyset: newest first, rows with id < before_id
  int limit = 50;
};

class AuditLogRepository {
 public:
  explicit AuditLogRepository(Connection& connection) : c_(connection) {}
  // Stores the entry (its id is ignored).
  void Append(const AuditEntry& entry);
  std::vector<AuditEntry> Search(const AuditQuery& query);

 private:
  Connection& c_;
};

}  // namespace examphoto
