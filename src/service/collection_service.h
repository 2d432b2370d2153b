// The candidate's collection, step by step (seed guide 三 to 七): ID card sides, identity
// confirmation against the roster, portrait upload and check, retake, submit, consent.
// Every step reads the state, asks the domain state machine whether it is allowed, and
// writes the new state with its event in one transaction; image work happens before the
// transaction so that no lock is held while a photo is processed. Uploads and results are
// kept as history for the office.
#pragma once

#include <string>

#include "domain/candidate.h"
#include "domain/clock.h"
#include "service/collection_ports.h"
#include "storage/blob_store.h"
#include "storage/collection_repository.h"
#include "storage/database.h"

namespace examphoto {

struct PhotoAttempt {
  int64_t id = 0;
  bool passed = false;
  std::vector<ReportedIssue> issues;
  bool has_photo = false;
};

struct CollectionSnapshot {
  Candidate candidate;
  CollectionRecord record;
  std::optional<PhotoAttempt> attempt;  // the current photo attempt, if any
};

struct IdCardUploadResult {
  bool accepted = false;
  CardSideReading reading;
  CollectionSnapshot snapshot;
};

struct PhotoUploadResult {
  PhotoAttempt attempt;
  CollectionSnapshot snapshot;
};

class CollectionService {
 public:
  CollectionService(Database& database, BlobStore& blobs, const Clock& clock,
                    const IdCardReaderPort* id_cards, const PortraitCheckerPort* portraits);

  Result<CollectionSnapshot> Get(int64_t candidate_id);
  // Errors: collection.* (state), idcard.* from the reader (422 with the issues).
  Result<IdCardUploadResult> UploadIdCardSide(int64_t candidate_id, CardSide side,
                                              std::string_view bytes);
  Result<CollectionSnapshot> ConfirmIdentity(int64_t candidate_id);
  Result<CollectionSnapshot> ReenterIdCard(int64_t candidate_id);
  Result<PhotoUploadResult> UploadPhoto(int64_t candidate_id, std::string_view bytes);
  Result<CollectionSnapshot> RetakePhoto(int64_t candidate_id);
  Result<CollectionSnapshot> SubmitPhoto(int64_t candidate_id);
  // 同意并提交: moves to verifying and queues a verification job in the same transaction.
  Result<CollectionSnapshot> ConsentAndSubmit(int64_t candidate_id);
  // The straightened card of the candidate's accepted upload of `side` (JPEG), which the
  // confirm page crops each field from.
  Result<std::string> CardImage(int64_t candidate_id, CardSide side);
  // The finished photo of one of the candidate's own attempts.
  Result<std::string> PhotoImage(int64_t candidate_id, int64_t attempt_id);

 private:
  // Applies `event` in a transaction; `mutate` may change the record further before save.
  Result<CollectionSnapshot> Transition(
      int64_t candidate_id, CollectionEvent event,
      const std::function<void(CollectionRecord&, Connection&)>& mutate, std::string_view detail);

  Database& database_;
  BlobStore& blobs_;
  const Clock& clock_;
  const IdCardReaderPort* id_cards_;
  const PortraitCheckerPort* portraits_;
};

// The reading of a side as stored in the collection row (and shown by GET /me).
std::string SideJson(const CardSideReading& reading, bool accepted, const RegisteredHolder& holder);
std::string IssuesJson(const std::vector<ReportedIssue>& issues);

}  // namespace examphoto
