#include "storage/audit_log_repository.h"

namespace examphoto {

int64_t AuditLogRepository::Append(const AuditEntry& e) {
  return c_
      .Query(
          "INSERT INTO audit_log (happened_at, actor, role, action, candidate_id, reason, detail, "
          "client_ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
          {e.happened_at, e.actor, e.role, e.action,
           e.candidate_id ? SqlParam(*e.candidate_id) : SqlParam(nullptr), e.reason,
           e.detail.empty() ? std::string_view("{}") : std::string_view(e.detail), e.client_ip})
      .front()
      .Int(0);
}

bool AuditLogRepository::CoversFileView(int64_t id, std::string_view actor, int64_t candidate_id,
                                        int64_t since) {
  return !c_.Query(
                "SELECT id FROM audit_log WHERE id = $1 AND actor = $2 AND candidate_id = $3 "
                "AND action = 'view_candidate' AND happened_at >= $4",
                {id, actor, candidate_id, since})
              .empty();
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
  if (!query.actor.empty()) add("a.actor =", std::string_view(query.actor));
  if (!query.action.empty()) add("a.action =", std::string_view(query.action));
  if (query.candidate_id) add("a.candidate_id =", *query.candidate_id);
  if (query.from) add("a.happened_at >=", *query.from);
  if (query.until) add("a.happened_at <", *query.until);
  if (query.before_id) add("a.id <", *query.before_id);
  params.emplace_back(int64_t{query.limit});
  SqlRows rows = c_.Query(
      "SELECT a.id, a.happened_at, a.actor, a.role, a.action, a.candidate_id, a.reason, "
      "a.detail, a.client_ip, c.registration_no, c.name FROM audit_log a "
      "LEFT JOIN candidates c ON c.id = a.candidate_id" +
          where + " ORDER BY a.id DESC LIMIT $" + std::to_string(params.size()),
      params);
  std::vector<AuditEntry> out;
  out.reserve(rows.size());
  for (const SqlRow& r : rows) {
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.OptionalInt(5), r.Text(6),
                   r.Text(7), r.Text(8), r.TextOr(9, ""), r.TextOr(10, "")});
  }
  return out;
}

}  // namespace examphoto
