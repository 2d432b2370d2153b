// Validation of one roster row and of a whole roster file against itself: what makes a
// registration record acceptable before it may be written. Pure; the import service adds
// the checks against records already stored.
#pragma once

#include <string>
#include <vector>

#include "domain/candidate.h"
#include "domain/id_number.h"

namespace examphoto {

struct RosterRowProblem {
  int row = 0;          // 1-based line number in the file (the header is row 1)
  std::string column;   // "registration_no", "name", "id_number", "phone", "exam_session", ""
  std::string code;     // catalogue code
  std::string message;  // the catalogue text with its placeholders filled
};

// Normalises (trims, upper-case X, phone without +86) and validates one row. Names and
// sessions with control, bidirectional or zero-width characters are refused (they would
// display differently from what is stored, or break lines in exports and logs).
std::vector<RosterRowProblem> ValidateRosterRow(int row, Candidate& candidate,
                                                const CalendarDate& today);

// The column's name as the office reads it ("id_number" → 身份证号), from the catalogue.
std::string FieldLabel(const std::string& column);

// Finds rows that repeat a registration number, ID number or phone of an earlier row.
std::vector<RosterRowProblem> FindDuplicateRows(const std::vector<Candidate>& rows,
                                                const std::vector<int>& row_numbers);

}  // namespace examphoto
