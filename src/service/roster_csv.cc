#include "service/roster_csv.h"

#include <iconv.h>

#include <array>
#include <cerrno>
#include <map>

#include "domain/messages.h"
#include "domain/text.h"
#include "domain/utf8.h"

namespace examphoto {
namespace {

// GB18030 is a superset of GBK and GB2312, so it reads all three.
std::optional<std::string> Gb18030ToUtf8(std::string_view bytes) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  // iconv_open's documented failure value.
  const auto failed = reinterpret_cast<iconv_t>(-1);  // NOLINT(performance-no-int-to-ptr)
  if (cd == failed) return std::nullopt;
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in_ptr = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  const size_t rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
  iconv_close(cd);
  if (rc == static_cast<size_t>(-1)) return std::nullopt;
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace

Result<std::string> DecodeRosterText(std::string_view bytes) {
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (bytes.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return MakeError(ErrorKind::kInvalidInput, "roster.file_empty");
  }
  if (IsValidUtf8(bytes)) return std::string(bytes);
  if (auto converted = Gb18030ToUtf8(bytes)) return *converted;
  return MakeError(ErrorKind::kInvalidInput, "roster.encoding");
}

std::vector<RosterCsvRow> ParseCsv(std::string_view text) {
  std::vector<RosterCsvRow> rows;
  RosterCsvRow row;
  std::string cell;
  bool quoted = false;
  bool cell_started = false;
  int line = 1;
  row.line = 1;
  auto end_cell = [&] {
    row.cells.emplace_back(Trim(cell));
    cell.clear();
    cell_started = false;
  };
  auto end_row = [&] {
    end_cell();
    const bool blank = row.cells.size() == 1 && row.cells[0].empty();
    if (!blank) rows.push_back(std::move(row));
    row = RosterCsvRow{};
    row.line = line;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        cell.push_back(c);
      }
      continue;
    }
    if (c == '"' && !cell_started) {
      quoted = true;
      cell_started = true;
    } else if (c == ',') {
      end_cell();
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      end_row();
    } else {
      // Excel writes long numbers as ="110101..." to keep them from scientific notation.
      cell.push_back(c);
      if (c != ' ' && c != '\t') cell_started = true;
    }
  }
  if (!cell.empty() || !row.cells.empty()) end_row();
  return rows;
}

Result<RosterTable> ReadRosterTable(std::string_view bytes) {
  auto text = DecodeRosterText(bytes);
  if (!text.ok()) return text.error();
  std::vector<RosterCsvRow> rows = ParseCsv(*text);
  if (rows.empty()) return MakeError(ErrorKind::kInvalidInput, "roster.file_empty");

  struct Column {
    const char* field;
    std::array<const char*, 4> names;
  };
  static constexpr std::array<Column, 5> kColumns = {{
      {"registration_no", {"报名号", "准考证号", "registration_no", "registration number"}},
      {"name", {"姓名", "考生姓名", "name", "name"}},
      {"id_number", {"身份证号", "身份证号码", "id_number", "公民身份号码"}},
      {"phone", {"手机号", "手机号码", "phone", "mobile"}},
      {"exam_session", {"考试批次", "考试场次", "exam_session", "session"}},
  }};
  std::map<std::string, size_t> index;
  const auto& header = rows.front().cells;
  std::string missing;
  for (const auto& column : kColumns) {
    bool found = false;
    for (size_t i = 0; i < header.size() && !found; ++i) {
      for (const char* name : column.names) {
        if (header[i] == name) {
          index[column.field] = i;
          found = true;
          break;
        }
      }
    }
    if (!found) missing += (missing.empty() ? "" : "、") + std::string(column.names[0]);
  }
  if (!missing.empty()) {
    Error error = MakeError(ErrorKind::kInvalidInput, "roster.header");
    error.message = FormatMessage(error.message, "columns", missing);
    return error;
  }
  RosterTable table;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& cells = rows[r].cells;
    if (cells.size() < header.size()) {
      table.malformed_lines.push_back(rows[r].line);
      continue;
    }
    auto cell = [&](const char* field) {
      std::string value = cells[index.at(field)];
      if (value.size() >= 3 && value[0] == '=' && value[1] == '"' && value.back() == '"') {
        value = value.substr(2, value.size() - 3);
      }
      return value;
    };
    Candidate candidate;
    candidate.registration_no = cell("registration_no");
    candidate.name = cell("name");
    candidate.id_number = cell("id_number");
    candidate.phone = cell("phone");
    candidate.exam_session = cell("exam_session");
    table.candidates.push_back(std::move(candidate));
    table.lines.push_back(rows[r].line);
  }
  return table;
}

}  // namespace examphoto
