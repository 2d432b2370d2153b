#include "domain/roster_rules.h"

#include <cctype>
#include <map>

#include "domain/messages.h"
#include "domain/personal_data.h"
#include "domain/text.h"
#include "domain/utf8.h"

namespace examphoto {
namespace {

RosterRowProblem Problem(int row, std::string column, const std::string& code) {
  return {row, std::move(column), code, LookupMessage(code).message};
}

}  // namespace

std::string FieldLabel(const std::string& column) { return CatalogueText("text.field." + column); }

std::vector<RosterRowProblem> ValidateRosterRow(int row, Candidate& c, const CalendarDate& today) {
  std::vector<RosterRowProblem> problems;
  c.registration_no = std::string(Trim(c.registration_no));
  c.name = std::string(Trim(c.name));
  c.id_number = std::string(Trim(c.id_number));
  c.phone = NormalizePhone(Trim(c.phone));
  c.exam_session = std::string(Trim(c.exam_session));

  bool registration_ok = !c.registration_no.empty() && c.registration_no.size() <= 32;
  for (char ch : c.registration_no) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-') registration_ok = false;
  }
  if (!registration_ok)
    problems.push_back(Problem(row, "registration_no", "roster.row.registration_no"));
  const size_t name_length = Utf8Length(c.name);
  if (name_length == 0 || name_length > 30) {
    problems.push_back(Problem(row, "name", "roster.row.name"));
  } else if (HasInvisibleControls(c.name)) {
    problems.push_back(Problem(row, "name", "roster.row.name_characters"));
  }
  auto id = ValidateIdNumber(c.id_number, today);
  if (id.ok()) {
    c.id_number = id->normalized;
  } else {
    problems.push_back({row, "id_number", id.error().code, id.error().message});
  }
  if (!IsValidMobilePhone(c.phone)) problems.push_back(Problem(row, "phone", "phone.format"));
  if (c.exam_session.empty() || Utf8Length(c.exam_session) > 40) {
    problems.push_back(Problem(row, "exam_session", "roster.row.session"));
  } else if (HasInvisibleControls(c.exam_session)) {
    problems.push_back(Problem(row, "exam_session", "roster.row.session_characters"));
  }
  return problems;
}

std::vector<RosterRowProblem> FindDuplicateRows(const std::vector<Candidate>& rows,
                                                const std::vector<int>& row_numbers) {
  std::vector<RosterRowProblem> problems;
  std::map<std::string, int> seen_registration, seen_id, seen_phone;
  auto check = [&](std::map<std::string, int>& seen, const std::string& key, int row,
                   const std::string& column) {
    if (key.empty()) return;
    auto [it, inserted] = seen.emplace(key, row);
    if (!inserted) {
      const std::string message =
          CatalogueText("roster.row.duplicate_in_file",
                        {{"row", std::to_string(it->second)}, {"field", FieldLabel(column)}});
      problems.push_back({row, column, "roster.row.duplicate_in_file", message});
    }
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    check(seen_registration, rows[i].registration_no, row_numbers[i], "registration_no");
    check(seen_id, rows[i].id_number, row_numbers[i], "id_number");
    check(seen_phone, rows[i].phone, row_numbers[i], "phone");
  }
  return problems;
}

}  // namespace examphoto
