#include "service/collection_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "domain/china_time.h"
#include "domain/identity_match.h"
#include "domain/messages.h"
#include "service/database_failure.h"
#include "storage/id_card_upload_repository.h"
#include "storage/login_repository.h"
#include "storage/pending_blobs.h"
#include "storage/upload_retention.h"
#include "storage/verification_job_queue.h"

namespace examphoto {
namespace {

Error StateError(CollectionState state, CollectionEvent event) {
  auto result = ApplyEvent(state, event);
  if (!result.ok()) return result.error();
  return MakeError(ErrorKind::kConflict, "collection.invalid_transition");
}

}  // namespace

CardSideRecord ToCardSideRecord(const CardSideReading& reading, bool accepted) {
  return {accepted, reading.fields, reading.confidence, reading.issues};
}

CardSideRecord ToCardSideRecord(const CardSideReading& reading, bool accepted,
                                const RegisteredHolder& holder) {
  CardSideRecord record{accepted, reading.fields, reading.confidence, reading.issues};
  if (!reading.registration.empty()) {
    // The verdicts, and the roster values they were reached against (the office may
    // correct the roster afterwards).
    record.registration = reading.registration;
    record.checked_name = holder.name;
    record.checked_id_number = holder.id_number;
  }
  record.boxes = reading.field_boxes;
  return record;
}

Result<UploadLimits> UploadLimits::FromConfig(const ConfigSection& section) {
  UploadLimits limits;
  for (const Status& read :
       {section.Read("per_hour", limits.per_hour, 1, kConfigMaxCount),
        section.Read("per_day", limits.per_day, 1, kConfigMaxCount),
        section.Read("kept_per_slot", limits.kept_per_slot, 1, kConfigMaxCount)}) {
    if (!read.ok()) return read.error();
  }
  return limits;
}

CollectionService::CollectionService(Database& database, BlobStore& blobs, const Clock& clock,
                                     const IdCardReaderPort* id_cards,
                                     const PortraitCheckerPort* portraits, UploadLimits limits)
    : database_(database),
      blobs_(blobs),
      clock_(clock),
      id_cards_(id_cards),
      portraits_(portraits),
      limits_(limits) {}

Status CollectionService::CountUpload(int64_t candidate_id) {
  PooledConnection c = database_.Acquire();
  LoginRepository counters(*c);
  const int64_t now = clock_.NowMillis();
  const int64_t hour = int64_t{3600} * 1000;
  const std::string id = std::to_string(candidate_id);
  int64_t wait_millis = 0;
  if (counters.HitRateLimit("upload-hour:" + id, now, hour) > limits_.per_hour) {
    wait_millis = hour - now % hour;
  }
  // The day is China's (a candidate's day does not end at 08:00): counted on China's clock,
  // so that the fixed windows start at China's midnight.
  const int64_t day_start = ChinaDayStart(now);
  if (counters.HitRateLimit("upload-day:" + id, now + kChinaUtcOffsetMillis, kDayMillis) >
      limits_.per_day) {
    wait_millis = std::max(wait_millis, day_start + kDayMillis - now);
  }
  if (wait_millis == 0) return Ok();
  Error error = MakeError(ErrorKind::kRateLimited, "upload.too_many");
  error.retry_after_seconds = static_cast<int>((wait_millis + 999) / 1000);
  error.hint =
      FormatMessage(error.hint, "minutes", std::to_string((error.retry_after_seconds + 59) / 60));
  spdlog::info("upload.limited candidate={} retry_after={}", candidate_id,
               error.retry_after_seconds);
  return error;
}

Result<CollectionSnapshot> CollectionService::Get(int64_t candidate_id) {
  return GuardStorage("collection.get", [&]() -> Result<CollectionSnapshot> {
    PooledConnection c = database_.Acquire();
    CollectionRepository collections(*c);
    auto view = collections.LoadView(candidate_id);
    if (!view) return MakeError(ErrorKind::kUnauthenticated, "auth.session_required");
    CollectionSnapshot snapshot;
    snapshot.candidate = std::move(view->candidate);
    snapshot.record = view->record ? std::move(*view->record)
                                   : collections.GetOrCreate(candidate_id, clock_.NowMillis());
    snapshot.attempt = std::move(view->attempt);
    return snapshot;
  });
}

Result<CollectionSnapshot> CollectionService::Transition(
    int64_t candidate_id, CollectionEvent event,
    const std::function<void(CollectionRecord&, Connection&)>& mutate, EventNote note) {
  auto current = Get(candidate_id);  // creates the row if this is the first step
  if (!current.ok()) return current.error();
  const int64_t now = clock_.NowMillis();
  Status moved = InWriteTransaction(database_, [&](Connection& c) -> Status {
    CollectionRepository collections(c);
    auto record = collections.LockForUpdate(candidate_id);
    if (!record) return MakeError(ErrorKind::kNotFound, "request.not_found");
    auto next = ApplyEvent(record->state, event);
    if (!next.ok()) return next.error();
    const CollectionState from = record->state;
    record->state = *next;
    if (mutate) mutate(*record, c);
    collections.Save(*record, now);
    collections.AppendEvent({0, candidate_id, now, "candidate", std::string(ToString(event)),
                             std::string(ToString(from)), std::string(ToString(record->state)),
                             note});
    return Ok();
  });
  if (!moved.ok()) return moved.error();
  return Get(candidate_id);
}

Result<IdCardUploadResult> CollectionService::UploadIdCardSide(int64_t candidate_id, CardSide side,
                                                               std::string_view bytes) {
  return GuardStorage("collection.upload_id_card", [&]() -> Result<IdCardUploadResult> {
    auto current = Get(candidate_id);
    if (!current.ok()) return current.error();
    if (!CanUploadIdCard(current->record.state)) {
      return StateError(current->record.state, CollectionEvent::kIdCardCompleted);
    }
    if (!id_cards_)
      return MakeError(ErrorKind::kUnavailable, "service.unavailable", "no ID card reader");
    if (Status counted = CountUpload(candidate_id); !counted.ok()) return counted.error();
    const RegisteredHolder holder{current->candidate.name, current->candidate.id_number};
    auto read = id_cards_->Read(bytes, side, holder);
    if (!read.ok()) return read.error();
    IdCardUploadResult result;
    result.reading = std::move(*read);
    const CardSideReading& reading = result.reading;
    result.accepted = reading.issues.empty() && reading.side == ToString(side);

    PendingBlobs written(blobs_);
    IdCardUploadRecord upload;
    upload.candidate_id = candidate_id;
    upload.side = side;
    upload.created_at = clock_.NowMillis();
    upload.reading = ToCardSideRecord(reading, result.accepted, holder);
    upload.image_key = written.Put("idcard-upload", bytes);
    if (!reading.card_jpeg.empty()) upload.card_key = written.Put("idcard-card", reading.card_jpeg);
    if (!reading.portrait_jpeg.empty()) {
      upload.portrait_key = written.Put("idcard-portrait", reading.portrait_jpeg);
    }
    const UploadSlot slot =
        side == CardSide::kPortrait ? UploadSlot::kIdCardPortrait : UploadSlot::kIdCardEmblem;
    if (!result.accepted) {
      InWriteTransaction(database_,
                         [&](Connection& c) { IdCardUploadRepository(c).Insert(upload); });
      written.Keep();
      PruneOldUploads(database_, blobs_, candidate_id, slot, limits_.kept_per_slot);
      result.snapshot = *current;
      return result;
    }
    // Which event follows depends on whether the other side is already there.
    const bool other_present = side == CardSide::kPortrait
                                   ? current->record.emblem_side.has_value()
                                   : current->record.portrait_side.has_value();
    EventNote note;
    note.side = side;
    auto moved = Transition(
        candidate_id,
        other_present ? CollectionEvent::kIdCardCompleted : CollectionEvent::kIdCardIncomplete,
        [&](CollectionRecord& record, Connection& c) {
          IdCardUploadRepository(c).Insert(upload);
          (side == CardSide::kPortrait ? record.portrait_side : record.emblem_side) =
              upload.reading;
          record.mismatch.reset();
        },
        note);
    if (!moved.ok()) return moved.error();
    written.Keep();
    PruneOldUploads(database_, blobs_, candidate_id, slot, limits_.kept_per_slot);
    result.snapshot = std::move(*moved);
    return result;
  });
}

Result<CollectionSnapshot> CollectionService::ConfirmIdentity(int64_t candidate_id) {
  return GuardStorage("collection.confirm_identity", [&]() -> Result<CollectionSnapshot> {
    auto current = Get(candidate_id);
    if (!current.ok()) return current.error();
    static const CardSideRecord kNoSide;
    const CardSideRecord& card = current->record.portrait_side.value_or(kNoSide);
    const std::string& card_name = card.Field("name");
    const std::string& card_id = card.Field("id_number");
    const Candidate& registered = current->candidate;
    // The reader's verdicts hold while the roster is what they were reached against; they
    // match a rare name character the recogniser cannot spell, which a text comparison
    // cannot. After the office corrects the roster, the text decides, and a difference that
    // the old verdicts cannot confirm asks for the card again instead of blaming the roster.
    const bool has_verdicts = card.registration.count("name") > 0;
    const bool verdicts_current = has_verdicts && card.checked_name == registered.name &&
                                  card.checked_id_number == registered.id_number;
    std::vector<std::string> differing;
    if (verdicts_current) {
      for (const char* field : {"name", "id_number"}) {
        const auto verdict = card.registration.find(field);
        const std::string value = verdict == card.registration.end() ? "" : verdict->second;
        if (value == "mismatch") differing.emplace_back(field);
        if (value != "match" && value != "mismatch") {
          return MakeError(ErrorKind::kConflict, "idcard.registration_unsure");
        }
      }
    } else {
      differing =
          DifferingIdentityFields(card_name, card_id, registered.name, registered.id_number);
      if (!differing.empty() && has_verdicts) {
        return MakeError(ErrorKind::kConflict, "idcard.registration_changed");
      }
    }
    std::optional<IdentityMismatch> mismatch;
    if (!differing.empty()) {
      mismatch = IdentityMismatch{std::move(differing), card_name, card_id, registered.name,
                                  registered.id_number};
    }
    EventNote note;
    note.mismatch = mismatch;
    return Transition(
        candidate_id,
        mismatch ? CollectionEvent::kIdentityMismatched : CollectionEvent::kIdentityMatched,
        [&](CollectionRecord& record, Connection&) { record.mismatch = mismatch; }, note);
  });
}

Result<CollectionSnapshot> CollectionService::ReenterIdCard(int64_t candidate_id) {
  return GuardStorage("collection.reenter_id_card", [&]() -> Result<CollectionSnapshot> {
    return Transition(candidate_id, CollectionEvent::kReenterIdCard,
                      [](CollectionRecord& record, Connection&) {
                        record.portrait_side.reset();
                        record.emblem_side.reset();
                        record.mismatch.reset();
                      },
                      {});
  });
}

Result<std::string> CollectionService::CardImage(int64_t candidate_id, CardSide side) {
  return GuardStorage("collection.card_image", [&]() -> Result<std::string> {
    std::optional<std::string> key;
    {
      PooledConnection c = database_.Acquire();
      key = IdCardUploadRepository(*c).LatestAcceptedCardKey(candidate_id, side);
    }
    if (!key) return MakeError(ErrorKind::kNotFound, "request.not_found");
    auto bytes = blobs_.Get(*key);
    if (!bytes) return MakeError(ErrorKind::kNotFound, "request.not_found");
    return std::move(*bytes);
  });
}

Result<PhotoUploadResult> CollectionService::UploadPhoto(int64_t candidate_id,
                                                         std::string_view bytes) {
  return GuardStorage("collection.upload_photo", [&]() -> Result<PhotoUploadResult> {
    auto current = Get(candidate_id);
    if (!current.ok()) return current.error();
    if (!CanUploadPhoto(current->record.state)) {
      return StateError(current->record.state, CollectionEvent::kPhotoPassed);
    }
    if (!portraits_)
      return MakeError(ErrorKind::kUnavailable, "service.unavailable", "no portrait checker");
    if (Status counted = CountUpload(candidate_id); !counted.ok()) return counted.error();
    auto checked = portraits_->Check(bytes);
    if (!checked.ok()) return checked.error();
    const PortraitCheckOutcome& outcome = *checked;

    PendingBlobs written(blobs_);
    PhotoUploadResult result;
    PhotoAttemptRecord& attempt = result.attempt;
    attempt.candidate_id = candidate_id;
    attempt.created_at = clock_.NowMillis();
    attempt.passed = outcome.pass;
    attempt.report = {outcome.pass, outcome.issues, outcome.report_json};
    attempt.upload_key = written.Put("photo-upload", bytes);
    if (!outcome.finished_jpeg.empty())
      attempt.photo_key = written.Put("photo", outcome.finished_jpeg);
    auto moved = Transition(
        candidate_id, outcome.pass ? CollectionEvent::kPhotoPassed : CollectionEvent::kPhotoFailed,
        [&](CollectionRecord& record, Connection& c) {
          attempt.id = PhotoAttemptRepository(c).Insert(attempt);
          record.photo_attempt_id = attempt.id;
          record.verification.reset();
        },
        {});
    if (!moved.ok()) return moved.error();
    written.Keep();
    PruneOldUploads(database_, blobs_, candidate_id, UploadSlot::kPhoto, limits_.kept_per_slot);
    result.snapshot = std::move(*moved);
    return result;
  });
}

Result<CollectionSnapshot> CollectionService::RetakePhoto(int64_t candidate_id) {
  return GuardStorage("collection.retake_photo", [&]() -> Result<CollectionSnapshot> {
    return Transition(candidate_id, CollectionEvent::kRetakePhoto, nullptr, {});
  });
}

Result<CollectionSnapshot> CollectionService::SubmitPhoto(int64_t candidate_id) {
  return GuardStorage("collection.submit_photo", [&]() -> Result<CollectionSnapshot> {
    return Transition(candidate_id, CollectionEvent::kSubmitPhoto, nullptr, {});
  });
}

Result<CollectionSnapshot> CollectionService::ConsentAndSubmit(int64_t candidate_id) {
  return GuardStorage("collection.consent", [&]() -> Result<CollectionSnapshot> {
    const int64_t now = clock_.NowMillis();
    return Transition(candidate_id, CollectionEvent::kConsentAndSubmit,
                      [&](CollectionRecord& record, Connection& c) {
                        VerificationJobQueue(c).Enqueue(candidate_id, *record.photo_attempt_id,
                                                        now);
                        record.verification = VerificationResult{};
                      },
                      {});
  });
}

Result<std::string> CollectionService::PhotoImage(int64_t candidate_id, int64_t attempt_id) {
  return GuardStorage("collection.photo_image", [&]() -> Result<std::string> {
    std::optional<PhotoAttemptRecord> attempt;
    {
      PooledConnection c = database_.Acquire();
      attempt = PhotoAttemptRepository(*c).FindOwn(candidate_id, attempt_id);
    }
    if (!attempt || !attempt->photo_key)
      return MakeError(ErrorKind::kNotFound, "request.not_found");
    auto bytes = blobs_.Get(*attempt->photo_key);
    if (!bytes) return MakeError(ErrorKind::kNotFound, "request.not_found");
    return std::move(*bytes);
  });
}

}  // namespace examphoto
