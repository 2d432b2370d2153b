// The collection row of each candidate (the state machine's current state plus what the
// screens need: the ID card readings, the mismatch, the latest photo attempt, the
// verification outcome) and its append-only event history.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/candidate.h"
#include "domain/collection_state.h"
#include "storage/database.h"

namespace examphoto {

struct CollectionRecord {
  int64_t candidate_id = 0;
  CollectionState state = CollectionState::kIdCardPending;
  int64_t version = 0;
  std::string portrait_side;  // JSON of the portrait side's reading, "" when none
  std::string emblem_side;    // JSON of the emblem side's reading, "" when none
  std::string mismatch;       // JSON naming the differing fields, "" when none
  std::optional<int64_t> photo_attempt_id;
  std::string verification;  // JSON of the latest verification outcome, "" when none
  int64_t updated_at = 0;
};

// The latest photo attempt as stored (the report is JSON).
struct StoredPhotoAttempt {
  int64_t id = 0;
  bool passed = false;
  std::string report;
  bool has_photo = false;
};

// Everything GET /me shows, read in one query.
struct CollectionView {
  Candidate candidate;
  std::optional<CollectionRecord> record;  // nullopt before the first step
  std::optional<StoredPhotoAttempt> attempt;
};

class CollectionRepository {
 public:
  // The candidate, the collection and its current photo attempt in one round trip; nullopt
  // when there is no such candidate.
  std::optional<CollectionView> LoadView(int64_t candidate_id);

  explicit CollectionRepository(Database& database) : database_(database) {}

  // The candidate's collection; creates it in kIdCardPending the first time.
  CollectionRecord GetOrCreate(int64_t candidate_id, int64_t now);

  // Within a write transaction: reads the row and keeps it locked until commit.
  static std::optional<CollectionRecord> LockForUpdate(Connection& c, SqlDialect dialect,
                                                       int64_t candidate_id);
  static void Save(Connection& c, const CollectionRecord& record, int64_t now);
  static void AppendEvent(Connection& c, int64_t candidate_id, std::string_view actor,
                          std::string_view event, CollectionState from, CollectionState to,
                          std::string_view detail, int64_t now);

 private:
  Database& database_;
};

}  // namespace examphoto
