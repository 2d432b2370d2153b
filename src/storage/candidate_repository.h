// The roster: registration records in `candidates` (the one owner of that table). Reads are
// single indexed look-ups or keyset pages; the import writes a whole file in one
// transaction. Works on the connection or transaction it is given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/candidate.h"
#include "domain/collection_state.h"
#include "storage/database.h"

namespace examphoto {

// How the office looks a candidate up (CandidateRepository::Search).
struct CandidateQuery {
  enum class Field { kAll, kName, kRegistrationNo, kPhone, kIdNumber };
  Field field = Field::kAll;
  std::string text;  // a prefix for kName / kRegistrationNo, an exact value otherwise
  enum class Progress { kAny, kNotStarted, kInState };
  Progress progress = Progress::kAny;
  CollectionState state = CollectionState::kIdCardPending;  // with kInState
  // Keyset: rows after this one in the page's order (the sort key is the name or the
  // registration number for prefix searches, the id otherwise).
  std::optional<int64_t> after_id;
  std::string after_key;
  int limit = 50;
};

// A candidate with where their collection stands (nullopt: not started).
struct CandidateProgress {
  Candidate candidate;
  std::optional<CollectionState> state;
  std::optional<int64_t> updated_at;
};

class CandidateRepository {
 public:
  explicit CandidateRepository(Connection& connection) : c_(connection) {}

  std::optional<Candidate> FindById(int64_t id);
  std::optional<Candidate> FindByPhone(std::string_view phone);
  std::optional<Candidate> FindByRegistrationNo(std::string_view no);
  std::optional<Candidate> FindByIdNumber(std::string_view id_number);
  int64_t Count();
  // Every record, for the import's comparison of a file with what is stored.
  std::vector<Candidate> ListAll();

  // Inserts a new record; returns its id.
  int64_t Insert(const Candidate& candidate, int64_t now);
  // Updates the record with candidate.id.
  void Update(const Candidate& candidate, int64_t now);
  // Moves a record's ID number and phone aside onto placeholders, so that a batch of updates
  // may exchange values between records without meeting the unique indexes half-way.
  void ParkUniqueValues(int64_t id);

  // Within a write transaction. Imports take turns: on PostgreSQL two at once would insert
  // the same new registration numbers (SQLite's write lock already excludes them).
  void LockForImport();
  // Within a write transaction: the record with this phone stays locked until commit, so
  // two requests for one phone are serialised (SQLite's write lock already does it).
  void LockByPhone(std::string_view phone);

  // One page of the office's search, in the query's order; `limit` + 1 rows are read, so a
  // page longer than `limit` says there is more.
  std::vector<CandidateProgress> Search(const CandidateQuery& query);
  // The progress report's rows after `after_id`, in id order.
  std::vector<CandidateProgress> ProgressAfter(int64_t after_id, int64_t limit);

 private:
  Connection& c_;
};

// Who imported which roster file with what result (`roster_imports`).
struct RosterImportEntry {
  int64_t imported_at = 0;
  std::string actor;
  std::string file_name;
  std::string file_sha256;
  int64_t total_rows = 0;
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
};

class RosterImportLog {
 public:
  explicit RosterImportLog(Connection& connection) : c_(connection) {}
  void Record(const RosterImportEntry& entry);

 private:
  Connection& c_;
};

}  // namespace examphoto
