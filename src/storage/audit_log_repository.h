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
  // Filled by Search: the candidate's registration number and name as they are now ("" for
  // an entry without a candidate).
  std::string registration_no;
  std::string candidate_name;
};

struct AuditQuery {
  std::string actor;   // "" for any
  std::string action;  // "" for any
  std::optional<int64_t> candidate_id;
  std::optional<int64_t> from;       // happened_at >= from (epoch ms)
  std::optional<int64_t> until;      // happened_at < until (epoch ms)
  std::optional<int64_t> before_id;  // keyset: newest first, rows with id < before_id
  int limit = 50;
};

class AuditLogRepository {
 public:
  explicit AuditLogRepository(Connection& connection) : c_(connection) {}
  // Stores the entry (its id is ignored) and returns the new row's id.
  int64_t Append(const AuditEntry& entry);
  std::vector<AuditEntry> Search(const AuditQuery& query);
  // Whether entry `id` records `actor` opening candidate `candidate_id`'s file at or after
  // `since`: images fetched for that file are covered by its entry.
  bool CoversFileView(int64_t id, std::string_view actor, int64_t candidate_id, int64_t since);

 private:
  Connection& c_;
};

}  // namespace examphoto
