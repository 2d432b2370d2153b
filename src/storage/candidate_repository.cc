#include "storage/candidate_repository.h"

namespace examphoto {
namespace {

constexpr std::string_view kColumns =
    "id, registration_no, name, id_number, phone, exam_session FROM candidates";

std::optional<Candidate> FirstCandidate(const SqlRows& rows) {
  if (rows.empty()) return std::nullopt;
  const SqlRow& r = rows.front();
  return Candidate{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)};
}

std::optional<Candidate> FindBy(Connection& c, std::string_view column, SqlParam value) {
  static const std::string by_id = "SELECT " + std::string(kColumns) + " WHERE id = $1";
  static const std::string by_phone = "SELECT " + std::string(kColumns) + " WHERE phone = $1";
  static const std::string by_no =
      "SELECT " + std::string(kColumns) + " WHERE registration_no = $1";
  static const std::string by_idn = "SELECT " + std::string(kColumns) + " WHERE id_number = $1";
  const std::string& sql = column == "id"      ? by_id
                           : column == "phone" ? by_phone
                           : column == "no"    ? by_no
                                               : by_idn;
  return FirstCandidate(c.Query(sql, {value}));
}

}  // namespace

std::optional<Candidate> CandidateRepository::FindById(int64_t id) {
  auto c = database_.Acquire();
  return FindBy(*c, "id", id);
}

std::optional<Candidate> CandidateRepository::FindByPhone(std::string_view phone) {
  auto c = database_.Acquire();
  return FindBy(*c, "phone", phone);
}

int64_t CandidateRepository::Count() {
  auto c = database_.Acquire();
  return c->Query("SELECT COUNT(*) FROM candidates").front().Int(0);
}

std::optional<Candidate> CandidateRepository::FindByRegistrationNo(Connection& c,
                                                                   std::string_view no) {
  return FindBy(c, "no", no);
}
std::optional<Candidate> CandidateRepository::FindByIdNumber(Connection& c,
                                                             std::string_view id_number) {
  return FindBy(c, "idn", id_number);
}
std::optional<Candidate> CandidateRepository::FindByPhone(Connection& c, std::string_view phone) {
  return FindBy(c, "phone", phone);
}
std::optional<Candidate> CandidateRepository::FindById(Connection& c, int64_t id) {
  return FindBy(c, "id", id);
}

int64_t CandidateRepository::Insert(Connection& c, const Candidate& k, int64_t now) {
  return c
      .Query(
          "INSERT INTO candidates (registration_no, name, id_number, phone, exam_session, "
          "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
          {k.registration_no, k.name, k.id_number, k.phone, k.exam_session, now})
      .front()
      .Int(0);
}

void CandidateRepository::Update(Connection& c, const Candidate& k, int64_t now) {
  c.Execute(
      "UPDATE candidates SET registration_no = $2, name = $3, id_number = $4, phone = $5, "
      "exam_session = $6, updated_at = $7 WHERE id = $1",
      {k.id, k.registration_no, k.name, k.id_number, k.phone, k.exam_session, now});
}

}  // namespace examphoto
