#include "service/audit_log.h"

namespace examphoto {

int64_t AuditLog::Append(Connection& c, const StaffActor& actor, std::string_view action,
                         std::optional<int64_t> candidate_id, std::string_view reason,
                         std::string_view detail, int64_t now) {
  return AuditLogRepository(c).Append({0, now, actor.username, actor.role, std::string(action),
                                       candidate_id, std::string(reason), std::string(detail),
                                       actor.client_ip});
}

}  // namespace examphoto
