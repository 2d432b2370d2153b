// The office's audit log: who (staff account and role) did what (viewed ID data, corrected a
// record, reset, decided a photo, exported) to whom, why, when and from which address.
// Append-only: this class has no update or delete, and the database refuses both (triggers
// in migration 0004).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace examphoto {

// The staff member behind a request, as the audit log records them.
struct StaffActor {
  std::string username;
  std::string role;
  std::string client_ip;
};

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

class AuditLog {
 public:
  // Within the caller's transaction, so that a change and its audit row commit together.
  static void Append(Connection& c, const StaffActor& actor, std::string_view action,
                     std::optional<int64_t> candidate_id, std::string_view reason,
                     std::string_view detail, int64_t now);
  static std::vector<AuditEntry> Search(Connection& c, const AuditQuery& query);
};

}  // namespace examphoto
