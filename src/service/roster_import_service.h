// Imports the office's roster file: every row validated (domain/roster_rules.h), checked
// for duplicates inside the file and against the stored records, then written in one
// transaction — all or nothing. Rows matched by registration number are updated when they
// differ, so re-importing the same file changes nothing and an updated file updates records.
#pragma once

#include <string>
#include <vector>

#include "domain/clock.h"
#include "domain/result.h"
#include "domain/roster_rules.h"
#include "storage/database.h"

namespace examphoto {

struct RosterImportReport {
  bool applied = false;  // false: nothing was changed (problems, or a dry run)
  int64_t total_rows = 0;
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  std::vector<RosterRowProblem> problems;  // sorted by row
};

class RosterImportService {
 public:
  RosterImportService(Database& database, const Clock& clock)
      : database_(database), clock_(clock) {}

  // File-level failures (empty, unreadable encoding, wrong header) are errors; row problems
  // are in the report, with applied = false.
  Result<RosterImportReport> Import(std::string_view bytes, std::string_view file_name,
                                    std::string_view actor, bool dry_run);

 private:
  Database& database_;
  const Clock& clock_;
};

}  // namespace examphoto
