// The office's audit log as the services write it: who (staff account and role) did what to
// whom, why, when and from which address. Reads of personal data are recorded as well as
// changes (PIPL accountability; security finding F9): searches with what was searched for,
// each opened file, and images fetched outside a file; changes: corrections, resets, photo
// decisions, exports. The rows are kept by storage (storage/audit_log_repository.h),
// append-only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/audit_log_repository.h"
#include "storage/database.h"

namespace examphoto {

// The staff member behind a request, as the audit log records them.
struct StaffActor {
  std::string username;
  std::string role;
  std::string client_ip;
};

class AuditLog {
 public:
  // Within the caller's transaction, so that a change and its audit row commit together.
  // Returns the new row's id.
  static int64_t Append(Connection& c, const StaffActor& actor, std::string_view action,
                        std::optional<int64_t> candidate_id, std::string_view reason,
                        std::string_view detail, int64_t now);
};

}  // namespace examphoto
