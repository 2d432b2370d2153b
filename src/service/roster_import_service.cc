#include "service/roster_import_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <unordered_map>

#include "domain/china_time.h"
#include "domain/messages.h"
#include "service/database_failure.h"
#include "service/roster_csv.h"
#include "service/secrets.h"
#include "storage/candidate_repository.h"
#include "storage/login_repository.h"

namespace examphoto {
namespace {

bool SameRecord(const Candidate& a, const Candidate& b) {
  return a.registration_no == b.registration_no && a.name == b.name && a.id_number == b.id_number &&
         a.phone == b.phone && a.exam_session == b.exam_session;
}

struct StoredRoster {
  std::vector<Candidate> records;
  std::unordered_map<std::string, size_t> by_registration, by_id_number, by_phone;
};

StoredRoster LoadRoster(CandidateRepository& candidates) {
  StoredRoster roster;
  roster.records = candidates.ListAll();
  for (size_t i = 0; i < roster.records.size(); ++i) {
    roster.by_registration[roster.records[i].registration_no] = i;
    roster.by_id_number[roster.records[i].id_number] = i;
    roster.by_phone[roster.records[i].phone] = i;
  }
  return roster;
}

}  // namespace

Result<RosterImportReport> RosterImportService::Import(std::string_view bytes,
                                                       std::string_view file_name,
                                                       std::string_view actor, bool dry_run) {
  return GuardStorage("roster.import", [&]() -> Result<RosterImportReport> {
    auto table = ReadRosterTable(bytes);
    if (!table.ok()) return table.error();
    const int64_t now = clock_.NowMillis();
    const CalendarDate today = ChinaDate(now);

    RosterImportReport report;
    report.total_rows =
        static_cast<int64_t>(table->candidates.size() + table->malformed_lines.size());
    for (int line : table->malformed_lines) {
      report.problems.push_back(
          {line, "", "roster.row.column_count", LookupMessage("roster.row.column_count").message});
    }
    for (size_t i = 0; i < table->candidates.size(); ++i) {
      auto problems = ValidateRosterRow(table->lines[i], table->candidates[i], today);
      report.problems.insert(report.problems.end(), problems.begin(), problems.end());
    }
    auto duplicates = FindDuplicateRows(table->candidates, table->lines);
    report.problems.insert(report.problems.end(), duplicates.begin(), duplicates.end());

    const std::vector<Candidate>& rows = table->candidates;
    InWriteTransaction(database_, [&](Connection& c) {
      CandidateRepository candidates(c);
      // Two imports at once would both insert the same new registration numbers and one would
      // fail on the unique index (a 500); imports are rare, so they take turns.
      candidates.LockForImport();
      StoredRoster stored = LoadRoster(candidates);
      std::unordered_map<std::string, size_t> file_by_registration;
      for (size_t i = 0; i < rows.size(); ++i) file_by_registration[rows[i].registration_no] = i;

      // A value (ID number or phone) held by another stored record is a conflict, unless the
      // file gives that record a new value too (two candidates exchanging phones).
      auto check_conflict = [&](size_t i, const std::unordered_map<std::string, size_t>& index,
                                const std::string& value, const std::string& column,
                                std::string Candidate::*field) {
        auto it = index.find(value);
        if (it == index.end()) return;
        const Candidate& holder = stored.records[it->second];
        if (holder.registration_no == rows[i].registration_no) return;
        auto in_file = file_by_registration.find(holder.registration_no);
        if (in_file != file_by_registration.end() && rows[in_file->second].*field != value) return;
        const std::string message =
            CatalogueText("roster.row.conflict_in_database",
                          {{"field", FieldLabel(column)}, {"other", holder.registration_no}});
        report.problems.push_back(
            {table->lines[i], column, "roster.row.conflict_in_database", message});
      };
      for (size_t i = 0; i < rows.size(); ++i) {
        check_conflict(i, stored.by_id_number, rows[i].id_number, "id_number",
                       &Candidate::id_number);
        check_conflict(i, stored.by_phone, rows[i].phone, "phone", &Candidate::phone);
      }
      std::stable_sort(report.problems.begin(), report.problems.end(),
                       [](const auto& a, const auto& b) { return a.row < b.row; });

      std::vector<Candidate> updates;
      std::vector<int64_t> phone_changed;  // candidates whose sessions end with the import
      std::vector<const Candidate*> inserts;
      for (const Candidate& row : rows) {
        auto it = stored.by_registration.find(row.registration_no);
        if (it == stored.by_registration.end()) {
          inserts.push_back(&row);
        } else if (SameRecord(stored.records[it->second], row)) {
          ++report.unchanged;
        } else {
          Candidate update = row;
          update.id = stored.records[it->second].id;
          if (update.phone != stored.records[it->second].phone) phone_changed.push_back(update.id);
          updates.push_back(std::move(update));
        }
      }
      report.inserted = static_cast<int64_t>(inserts.size());
      report.updated = static_cast<int64_t>(updates.size());
      if (!report.problems.empty() || dry_run) return;  // nothing written; commit is a no-op

      // Two passes so that values exchanged between records never collide on the unique
      // indexes: first park the changing records on placeholders, then write the real values.
      for (const Candidate& update : updates) candidates.ParkUniqueValues(update.id);
      for (const Candidate& update : updates) candidates.Update(update, now);
      for (const Candidate* insert : inserts) candidates.Insert(*insert, now);
      // Sessions opened with an old phone belong to whoever holds that phone now.
      LoginRepository sessions(c);
      for (int64_t id : phone_changed) sessions.RevokeSessionsOf("candidate", id, now);
      if (!inserts.empty() || !updates.empty()) {
        RosterImportLog(c).Record({now, std::string(actor), std::string(file_name),
                                   Sha256Hex(bytes), report.total_rows, report.inserted,
                                   report.updated, report.unchanged});
      }
      report.applied = true;
    });
    if (!report.problems.empty()) {
      report.applied = false;
      report.inserted = report.updated = report.unchanged = 0;
    }
    spdlog::info(
        "roster.import file={} rows={} inserted={} updated={} unchanged={} problems={} "
        "applied={}",
        file_name, report.total_rows, report.inserted, report.updated, report.unchanged,
        report.problems.size(), report.applied);
    return report;
  });
}

}  // namespace examphoto
