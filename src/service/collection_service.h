// The candidate's collection, step by step (seed guide 三 to 七): ID card sides, identity
// confirmation against the roster, portrait upload and check, retake, submit, consent.
// Every step reads the state, asks the domain state machine whether it is allowed, and
// writes the new state with its event in one transaction; image work happens before the
// transaction so that no lock is held while a photo is processed. Uploads and results are
// kept as history for the office.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "domain/candidate.h"
#include "domain/clock.h"
#include "domain/config_section.h"
#include "service/collection_ports.h"
#include "storage/blob_store.h"
#include "storage/collection_repository.h"
#include "storage/database.h"
#include "storage/photo_attempt_repository.h"

namespace examphoto {

struct CollectionSnapshot {
  Candidate candidate;
  CollectionRecord record;
  std::optional<PhotoAttemptRecord> attempt;  // the current photo attempt, if any
};

struct IdCardUploadResult {
  bool accepted = false;
  CardSideReading reading;
  CollectionSnapshot snapshot;
};

struct PhotoUploadResult {
  PhotoAttemptRecord attempt;
  CollectionSnapshot snapshot;
};

// How much one candidate may upload (security finding F12): every upload takes an image
// worker and its bytes are stored, so the attempts are limited per hour and per China day
// (429 upload.too_many with Retry-After), and of each slot (the card's two sides, the photo)
// only the newest uploads keep their raw bytes.
struct UploadLimits {
  int64_t per_hour = 40;       // card sides and photos together
  int64_t per_day = 150;       // per China calendar day
  int64_t kept_per_slot = 10;  // newest uploads per slot that keep their raw bytes
  // Keys upload.per_hour, upload.per_day, upload.kept_per_slot.
  static Result<UploadLimits> FromConfig(const ConfigSection& section);
};

class CollectionService {
 public:
  CollectionService(Database& database, BlobStore& blobs, const Clock& clock,
                    const IdCardReaderPort* id_cards, const PortraitCheckerPort* portraits,
                    UploadLimits limits = {});

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
  // Counts one upload against the candidate's limits; an error when over one of them.
  Status CountUpload(int64_t candidate_id);

  Result<CollectionSnapshot> Transition(
      int64_t candidate_id, CollectionEvent event,
      const std::function<void(CollectionRecord&, Connection&)>& mutate, EventNote note);

  Database& database_;
  BlobStore& blobs_;
  const Clock& clock_;
  const IdCardReaderPort* id_cards_;
  const PortraitCheckerPort* portraits_;
  UploadLimits limits_;
};

// The reading of a side as the collection keeps it, with the reader's verdicts against
// `holder` (the roster entry it was checked against).
CardSideRecord ToCardSideRecord(const CardSideReading& reading, bool accepted,
                                const RegisteredHolder& holder);

}  // namespace examphoto
