// Reading the roster file that the office exports from its registration system or saves
// from Excel: CSV (RFC 4180 quoting) in UTF-8 (with or without BOM) or GBK/GB18030, the
// encoding Excel uses for "CSV" on Chinese Windows. Pure: bytes in, rows out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/candidate.h"
#include "domain/result.h"

namespace examphoto {

struct RosterCsvRow {
  int line = 0;  // 1-based line in the file where the row starts
  std::vector<std::string> cells;
};

// Converts to UTF-8. Errors: roster.file_empty, roster.encoding.
Result<std::string> DecodeRosterText(std::string_view bytes);

// Splits CSV text into rows of cells (quoted cells may hold commas, quotes and newlines).
// Blank lines are skipped.
std::vector<RosterCsvRow> ParseCsv(std::string_view text);

struct RosterTable {
  std::vector<Candidate> candidates;
  std::vector<int> lines;            // file line of each candidate
  std::vector<int> malformed_lines;  // rows with the wrong number of cells
};

// Finds the columns by their header names (Chinese or English, any order) and maps the
// rows. Error roster.header names the missing columns.
Result<RosterTable> ReadRosterTable(std::string_view bytes);

}  // namespace examphoto
