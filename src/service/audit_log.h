// The office's audit log as the services write it: who (staff account and role) did what
// (viewed ID data, corrected a record, reset, decided a photo, exported) to whom, why, when
// and from which address. The rows are kept by storage (storage/audit_log_repository.h),
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
  static void Append(Connection& c, const StaffActor& actor, std::string_view action,
                     std::optional<int64_t> candidate_id, std::string_view reason,
                     std::string_view detail, int64_t now);
};

}  // namespace examphoto
