// The office's audit log: who (staff account and role) did what to whom, why, when and from
// which address. Reads of personal data are recorded as well as changes (PIPL
// accountability): searches with what was searched for, each opened dossier, and images
// fetched outside a dossier; changes: corrections, resets, photo decisions, exports.
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
  // The candidate's registration number and name as they are now ("" without a candidate).
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

class AuditLog {
 public:
  // Within the caller's transaction, so that a change and its audit row commit together.
  // Returns the new row's id.
  static int64_t Append(Connection& c, const StaffActor& actor, std::string_view action,
                        std::optional<int64_t> candidate_id, std::string_view reason,
                        std::string_view detail, int64_t now);
  static std::vector<AuditEntry> Search(Connection& c, const AuditQuery& query);
  // Whether entry `id` records `actor` opening candidate `candidate_id`'s dossier at or after
  // `since`: images fetched for that dossier are covered by its entry.
  static bool CoversDossierView(Connection& c, int64_t id, std::string_view actor,
                                int64_t candidate_id, int64_t since);
};

}  // namespace examphoto
