// The collection of each candidate (`collections`: the state machine's current state and
// what the screens need) and its append-only history (`collection_events`); the one owner
// of both tables. Records are typed; their JSON columns are read and written here only
// (record_json.h). Works on the connection or transaction it is given.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/candidate.h"
#include "domain/collection_data.h"
#include "domain/collection_state.h"
#include "storage/database.h"
#include "storage/photo_attempt_repository.h"

namespace examphoto {

struct CollectionRecord {
  int64_t candidate_id = 0;
  CollectionState state = CollectionState::kIdCardPending;
  int64_t version = 0;
  std::optional<CardSideRecord> portrait_side;  // the accepted sides' readings
  std::optional<CardSideRecord> emblem_side;
  std::optional<IdentityMismatch> mismatch;
  std::optional<int64_t> photo_attempt_id;  // the current photo attempt
  std::optional<VerificationResult> verification;
  int64_t updated_at = 0;
};

// One entry of the history.
struct CollectionEventRecord {
  int64_t id = 0;
  int64_t candidate_id = 0;
  int64_t happened_at = 0;
  std::string actor;  // "candidate", "verifier", "staff:<username>"
  std::string event;  // ToString(CollectionEvent), or "office_correct_record"
  std::string from_state;
  std::string to_state;
  EventNote note;
};

// Everything GET /me shows, read in one query.
struct CollectionView {
  Candidate candidate;
  std::optional<CollectionRecord> record;  // nullopt before the first step
  std::optional<PhotoAttemptRecord> attempt;
};

// A verified candidate's accepted photo, for the export.
struct VerifiedPhoto {
  int64_t candidate_id = 0;
  std::string registration_no;
  std::string id_number;
  std::string photo_key;
};

// Collection events that reached a state on one China calendar day (china_time.h).
struct DailyArrivals {
  int64_t day = 0;  // ChinaDayNumber
  CollectionState state = CollectionState::kIdCardPending;
  int64_t count = 0;
};

class CollectionRepository {
 public:
  explicit CollectionRepository(Connection& connection) : c_(connection) {}

  // The candidate, the collection and its current photo attempt in one round trip; nullopt
  // when there is no such candidate.
  std::optional<CollectionView> LoadView(int64_t candidate_id);
  std::optional<CollectionRecord> Find(int64_t candidate_id);
  // The candidate's collection; creates it in kIdCardPending the first time.
  CollectionRecord GetOrCreate(int64_t candidate_id, int64_t now);
  // Within a write transaction: reads the row and keeps it locked until commit.
  std::optional<CollectionRecord> LockForUpdate(int64_t candidate_id);
  void Save(const CollectionRecord& record, int64_t now);

  void AppendEvent(const CollectionEventRecord& event);
  // Newest first.
  std::vector<CollectionEventRecord> History(int64_t candidate_id, int64_t limit);

  // Collections per state (states without one are absent).
  std::map<CollectionState, int64_t> CountByState();
  // Per China day since `since`, the events that reached one of `states`.
  std::vector<DailyArrivals> CountArrivalsPerDay(const std::vector<CollectionState>& states,
                                                 int64_t since);
  // Verified candidates after `after_candidate_id` in id order, of `exam_session` ("" = all).
  std::vector<VerifiedPhoto> VerifiedPhotosAfter(int64_t after_candidate_id,
                                                 std::string_view exam_session, int64_t limit);

 private:
  Connection& c_;
};

}  // namespace examphoto
