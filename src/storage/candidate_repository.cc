#include "storage/candidate_repository.h"

#include <deque>

namespace examphoto {
namespace {

constexpr std::string_view kSelect =
    "SELECT id, registration_no, name, id_number, phone, exam_session FROM candidates";

// The largest code point in UTF-8: "prefix" <= s < "prefix" + this, bytewise, is a prefix match.
constexpr std::string_view kMaxCodePoint = "\xf4\x8f\xbf\xbf";

Candidate ReadCandidate(const SqlRow& r, size_t first = 0) {
  return {r.Int(first),      r.Text(first + 1), r.Text(first + 2),
          r.Text(first + 3), r.Text(first + 4), r.Text(first + 5)};
}

std::optional<Candidate> First(const SqlRows& rows) {
  if (rows.empty()) return std::nullopt;
  return ReadCandidate(rows.front());
}

CandidateProgress ReadProgress(const SqlRow& r) {
  CandidateProgress row{ReadCandidate(r), std::nullopt, r.OptionalInt(7)};
  if (!r.IsNull(6)) row.state = ParseCollectionState(r.Text(6));
  return row;
}

}  // namespace

std::optional<Candidate> CandidateRepository::FindById(int64_t id) {
  static const std::string sql = std::string(kSelect) + " WHERE id = $1";
  return First(c_.Query(sql, {id}));
}

std::optional<Candidate> CandidateRepository::FindByPhone(std::string_view phone) {
  static const std::string sql = std::string(kSelect) + " WHERE phone = $1";
  return First(c_.Query(sql, {phone}));
}

std::optional<Candidate> CandidateRepository::FindByRegistrationNo(std::string_view no) {
  static const std::string sql = std::string(kSelect) + " WHERE registration_no = $1";
  return First(c_.Query(sql, {no}));
}

std::optional<Candidate> CandidateRepository::FindByIdNumber(std::string_view id_number) {
  static const std::string sql = std::string(kSelect) + " WHERE id_number = $1";
  return First(c_.Query(sql, {id_number}));
}

int64_t CandidateRepository::Count() {
  return c_.Query("SELECT COUNT(*) FROM candidates").front().Int(0);
}

std::vector<Candidate> CandidateRepository::ListAll() {
  std::vector<Candidate> out;
  for (const SqlRow& r : c_.Query(kSelect)) out.push_back(ReadCandidate(r));
  return out;
}

int64_t CandidateRepository::Insert(const Candidate& k, int64_t now) {
  return c_
      .Query(
          "INSERT INTO candidates (registration_no, name, id_number, phone, exam_session, "
          "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
          {k.registration_no, k.name, k.id_number, k.phone, k.exam_session, now})
      .front()
      .Int(0);
}

void CandidateRepository::Update(const Candidate& k, int64_t now) {
  c_.Execute(
      "UPDATE candidates SET registration_no = $2, name = $3, id_number = $4, phone = $5, "
      "exam_session = $6, updated_at = $7 WHERE id = $1",
      {k.id, k.registration_no, k.name, k.id_number, k.phone, k.exam_session, now});
}

void CandidateRepository::ParkUniqueValues(int64_t id) {
  // "~" never starts a valid ID number or phone, and the id keeps each placeholder unique.
  c_.Execute("UPDATE candidates SET id_number = $2, phone = $3 WHERE id = $1",
             {id, "~" + std::to_string(id) + "~id", "~" + std::to_string(id) + "~ph"});
}

void CandidateRepository::LockForImport() {
  if (c_.dialect() == SqlDialect::kPostgres) {
    // Logins read the table meanwhile; only other writers wait.
    c_.Execute("LOCK TABLE candidates IN SHARE ROW EXCLUSIVE MODE");
  }
}

void CandidateRepository::LockByPhone(std::string_view phone) {
  if (c_.dialect() == SqlDialect::kPostgres) {
    c_.Query("SELECT id FROM candidates WHERE phone = $1 FOR UPDATE", {phone});
  }
}

std::vector<CandidateProgress> CandidateRepository::Search(const CandidateQuery& query) {
  using Field = CandidateQuery::Field;
  const bool postgres = c_.dialect() == SqlDialect::kPostgres;
  // PostgreSQL compares these columns bytewise through the "C" collation indexes of
  // migration 0004, so that a range scan is exactly the prefix; SQLite does by default.
  const std::string collate = postgres ? " COLLATE \"C\"" : "";
  std::deque<std::string> texts;  // keeps bound strings alive
  std::vector<SqlParam> params;
  auto bind = [&](std::string value) {
    texts.push_back(std::move(value));
    params.emplace_back(std::string_view(texts.back()));
    return "$" + std::to_string(params.size());
  };
  auto bind_int = [&](int64_t value) {
    params.emplace_back(value);
    return "$" + std::to_string(params.size());
  };

  const bool by_state = query.progress == CandidateQuery::Progress::kInState;
  std::string sql =
      "SELECT c.id, c.registration_no, c.name, c.id_number, c.phone, c.exam_session, k.state, "
      "k.updated_at FROM candidates c ";
  sql += by_state ? "JOIN collections k ON k.candidate_id = c.id "
                  : "LEFT JOIN collections k ON k.candidate_id = c.id ";
  std::vector<std::string> where;
  std::string order;
  if (query.field == Field::kName || query.field == Field::kRegistrationNo) {
    const std::string column =
        std::string(query.field == Field::kName ? "c.name" : "c.registration_no") + collate;
    where.push_back(column + " >= " + bind(query.text));
    where.push_back(column + " < " + bind(query.text + std::string(kMaxCodePoint)));
    if (query.after_id) {
      where.push_back("(" + column + ", c.id) > (" + bind(query.after_key) + ", " +
                      bind_int(*query.after_id) + ")");
    }
    order = column + ", c.id";
  } else {
    if (query.field == Field::kPhone) where.push_back("c.phone = " + bind(query.text));
    if (query.field == Field::kIdNumber) where.push_back("c.id_number = " + bind(query.text));
    // With a state filter the (state, candidate_id) index gives candidate order directly.
    const std::string id_column = by_state ? "k.candidate_id" : "c.id";
    if (query.after_id) where.push_back(id_column + " > " + bind_int(*query.after_id));
    order = id_column;
  }
  if (by_state) where.push_back("k.state = " + bind(std::string(ToString(query.state))));
  if (query.progress == CandidateQuery::Progress::kNotStarted) {
    where.push_back("k.candidate_id IS NULL");
  }
  for (size_t i = 0; i < where.size(); ++i) sql += (i ? " AND " : "WHERE ") + where[i];
  sql += " ORDER BY " + order + " LIMIT " + bind_int(query.limit + 1);

  std::vector<CandidateProgress> out;
  for (const SqlRow& r : c_.Query(sql, params)) out.push_back(ReadProgress(r));
  return out;
}

std::vector<CandidateProgress> CandidateRepository::ProgressAfter(int64_t after_id, int64_t limit) {
  std::vector<CandidateProgress> out;
  for (const SqlRow& r :
       c_.Query("SELECT c.id, c.registration_no, c.name, c.id_number, c.phone, c.exam_session, "
                "k.state, k.updated_at FROM candidates c LEFT JOIN collections k ON "
                "k.candidate_id = c.id WHERE c.id > $1 ORDER BY c.id LIMIT $2",
                {after_id, limit})) {
    out.push_back(ReadProgress(r));
  }
  return out;
}

void RosterImportLog::Record(const RosterImportEntry& e) {
  c_.Execute(
      "INSERT INTO roster_imports (imported_at, actor, file_name, file_sha256, total_rows, "
      "inserted, updated, unchanged) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {e.imported_at, e.actor, e.file_name, e.file_sha256, e.total_rows, e.inserted, e.updated,
       e.unchanged});
}

}  // namespace examphoto
