#include "storage/audit_log_repository.h"

namespace examphoto {

void AuditLogRepository::Append(const AuditEntry& e) {
  c_.Execute(
      "INSERT INTO audit_log (happened_at, actor, role, action, candidate_id, reason, detail, "
      "client_ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {e.happened_at, e.actor, e.role, e.action,
       e.candidate_id ? SqlParam(*e.candidate_id) : SqlParam(nullptr), e.reason,
       e.detail.empty() ? std::string_view("{}") : std::string_view(e.detail), e.client_ip});
}

std::vector<AuditEntry> AuditLogRepository::Search(const AuditQuery& query) {
  // Only the filters asked for are in the statement, so each combination is one index range
  // (newest first, keyset on id) and PostgreSQL never has to guess an untyped NULL.
  std::vector<SqlParam> params;
  std::string where;
  auto add = [&](const char* condition, SqlParam value) {
    params.push_back(value);
    where += std::string(where.empty() ? " WHERE " : " AND ") + condition + " $" +
             std::to_string(params.size());
  };
  if (!query.actor.empty()) add("actor =", std::string_view(query.actor));
  if (!query.action.empty()) add("action =", std::string_view(query.action));
  if (query.candidate_id) add("candidate_id =", *query.candidate_id);
  if (query.before_id) add("id <", *query.before_id);
  params.emplace_back(int64_t{query.limit});
  SqlRows rows = c_.Query(
      "SELECT id, happened_at, actor, role, action, candidate_id, reason, detail, client_ip "
      "FROM audit_log" +
          where + " ORDER BY id DESC LIMIT $" + std::to_string(params.size()),
      params);
  std::vector<AuditEntry> out;
  out.reserve(rows.size());
  for (const SqlRow& r : rows) {
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.OptionalInt(5), r.Text(6),
                   r.Text(7), r.Text(8)});
  }
  return out;
}

}  // namespace examphoto
