#include "service/collection_service.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "domain/identity_match.h"
#include "domain/messages.h"
#include "storage/candidate_repository.h"
#include "storage/pending_blobs.h"

namespace examphoto {

namespace json = boost::json;

namespace {

json::array IssuesArray(const std::vector<ReportedIssue>& issues) {
  json::array out;
  for (const auto& i : issues) {
    out.push_back({{"code", i.code}, {"message", i.message}, {"hint", i.hint}});
  }
  return out;
}

std::vector<ReportedIssue> ParseIssues(const json::value& value) {
  std::vector<ReportedIssue> issues;
  if (!value.is_array()) return issues;
  for (const auto& item : value.as_array()) {
    const auto& o = item.as_object();
    issues.push_back({std::string(o.at("code").as_string()),
                      std::string(o.at("message").as_string()),
                      std::string(o.at("hint").as_string())});
  }
  return issues;
}

Error StateError(CollectionState state, CollectionEvent event) {
  auto result = ApplyEvent(state, event);
  if (!result.ok()) return result.error();
  return MakeError(ErrorKind::kConflict, "collection.invalid_transition");
}

// A string at `section`.`key` of a stored side reading ("" when absent).
std::string SideValue(const std::string& side_json, const char* section, const char* key) {
  if (side_json.empty()) return {};
  boost::system::error_code ec;
  json::value value = json::parse(side_json, ec);
  if (ec || !value.is_object()) return {};
  const auto* part = value.as_object().if_contains(section);
  if (!part || !part->is_object()) return {};
  const auto* v = part->as_object().if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

std::string IssuesJson(const std::vector<ReportedIssue>& issues) {
  return json::serialize(IssuesArray(issues));
}

std::string SideJson(const CardSideReading& reading, bool accepted,
                     const RegisteredHolder& holder) {
  json::object fields;
  for (const auto& [k, v] : reading.fields) fields[k] = v;
  json::object confidence;
  for (const auto& [k, v] : reading.confidence) confidence[k] = v;
  json::object side{{"uploaded", accepted},
                    {"fields", fields},
                    {"confidence", confidence},
                    {"issues", IssuesArray(reading.issues)}};
  if (!reading.registration.empty()) {
    // The verdicts, and the roster values they were reached against (the office may
    // correct the roster afterwards).
    json::object registration;
    for (const auto& [k, v] : reading.registration) registration[k] = v;
    side["registration"] = registration;
    side["checked_against"] = {{"name", holder.name}, {"id_number", holder.id_number}};
  }
  if (!reading.field_boxes.empty()) {
    json::object boxes;
    for (const auto& [k, b] : reading.field_boxes) boxes[k] = {b[0], b[1], b[2], b[3]};
    side["boxes"] = boxes;
  }
  return json::serialize(side);
}

CollectionService::CollectionService(Database& database, BlobStore& blobs, const Clock& clock,
                                     const IdCardReaderPort* id_cards,
                                     const PortraitCheckerPort* portraits)
    : database_(database),
      blobs_(blobs),
      clock_(clock),
      id_cards_(id_cards),
      portraits_(portraits) {}

static PhotoAttempt ToAttempt(const StoredPhotoAttempt& stored) {
  PhotoAttempt attempt;
  attempt.id = stored.id;
  attempt.passed = stored.passed;
  attempt.has_photo = stored.has_photo;
  boost::system::error_code ec;
  json::value report = json::parse(stored.report, ec);
  if (!ec && report.is_object() && report.as_object().contains("issues")) {
    attempt.issues = ParseIssues(report.as_object().at("issues"));
  }
  return attempt;
}

Result<CollectionSnapshot> CollectionService::Get(int64_t candidate_id) {
  CollectionRepository collections(database_);
  auto view = collections.LoadView(candidate_id);
  if (!view) return MakeError(ErrorKind::kUnauthenticated, "auth.session_required");
  CollectionSnapshot snapshot;
  snapshot.candidate = std::move(view->candidate);
  snapshot.record = view->record ? std::move(*view->record)
                                 : collections.GetOrCreate(candidate_id, clock_.NowMillis());
  if (view->attempt) snapshot.attempt = ToAttempt(*view->attempt);
  return snapshot;
}

Result<CollectionSnapshot> CollectionService::Transition(
    int64_t candidate_id, CollectionEvent event,
    const std::function<void(CollectionRecord&, Connection&)>& mutate, std::string_view detail) {
  auto current = Get(candidate_id);  // creates the row if this is the first step
  if (!current.ok()) return current.error();
  const int64_t now = clock_.NowMillis();
  Status moved = InWriteTransaction(database_, [&](Connection& c) -> Status {
    auto record = CollectionRepository::LockForUpdate(c, database_.dialect(), candidate_id);
    if (!record) return MakeError(ErrorKind::kNotFound, "request.not_found");
    auto next = ApplyEvent(record->state, event);
    if (!next.ok()) return next.error();
    const CollectionState from = record->state;
    record->state = *next;
    if (mutate) mutate(*record, c);
    CollectionRepository::Save(c, *record, now);
    CollectionRepository::AppendEvent(c, candidate_id, "candidate", ToString(event), from,
                                      record->state, detail, now);
    return Ok();
  });
  if (!moved.ok()) return moved.error();
  return Get(candidate_id);
}

Result<IdCardUploadResult> CollectionService::UploadIdCardSide(int64_t candidate_id, CardSide side,
                                                               std::string_view bytes) {
  auto current = Get(candidate_id);
  if (!current.ok()) return current.error();
  if (!CanUploadIdCard(current->record.state)) {
    return StateError(current->record.state, CollectionEvent::kIdCardCompleted);
  }
  if (!id_cards_)
    return MakeError(ErrorKind::kUnavailable, "service.unavailable", "no ID card reader");
  IdCardUploadResult result;
  const RegisteredHolder holder{current->candidate.name, current->candidate.id_number};
  result.reading = id_cards_->Read(bytes, side, holder);
  const CardSideReading& reading = result.reading;
  if (!reading.usable) return reading.error;
  result.accepted = reading.issues.empty() && reading.side == ToString(side);

  PendingBlobs written(blobs_);
  const std::string image_key = written.Put("idcard-upload", bytes);
  std::string card_key, portrait_key;
  if (!reading.card_jpeg.empty()) card_key = written.Put("idcard-card", reading.card_jpeg);
  if (!reading.portrait_jpeg.empty()) {
    portrait_key = written.Put("idcard-portrait", reading.portrait_jpeg);
  }
  const std::string side_json = SideJson(reading, result.accepted, holder);
  const int64_t now = clock_.NowMillis();
  auto record_upload = [&](Connection& c) {
    c.Execute(
        "INSERT INTO id_card_uploads (candidate_id, side, created_at, accepted, reading, "
        "image_key, "
        "card_key, portrait_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {candidate_id, ToString(side), now, int64_t{result.accepted}, side_json, image_key,
         card_key.empty() ? SqlParam(nullptr) : SqlParam(card_key),
         portrait_key.empty() ? SqlParam(nullptr) : SqlParam(portrait_key)});
  };
  if (!result.accepted) {
    InWriteTransaction(database_, record_upload);
    written.Keep();
    result.snapshot = *current;
    return result;
  }
  // Which event follows depends on whether the other side is already there.
  const bool other_present = side == CardSide::kPortrait ? !current->record.emblem_side.empty()
                                                         : !current->record.portrait_side.empty();
  auto moved = Transition(
      candidate_id,
      other_present ? CollectionEvent::kIdCardCompleted : CollectionEvent::kIdCardIncomplete,
      [&](CollectionRecord& record, Connection& c) {
        record_upload(c);
        (side == CardSide::kPortrait ? record.portrait_side : record.emblem_side) = side_json;
        record.mismatch.clear();
      },
      std::string("{\"side\":\"") + std::string(ToString(side)) + "\"}");
  if (!moved.ok()) return moved.error();
  written.Keep();
  result.snapshot = std::move(*moved);
  return result;
}

Result<CollectionSnapshot> CollectionService::ConfirmIdentity(int64_t candidate_id) {
  auto current = Get(candidate_id);
  if (!current.ok()) return current.error();
  const std::string& side = current->record.portrait_side;
  const std::string card_name = SideValue(side, "fields", "name");
  const std::string card_id = SideValue(side, "fields", "id_number");
  // The reader's verdicts hold while the roster is what they were reached against; they
  // match a rare name character the recogniser cannot spell, which a text comparison
  // cannot. After the office corrects the roster, the text decides, and a difference that
  // the old verdicts cannot confirm asks for the card again instead of blaming the roster.
  const bool verdicts_current =
      !SideValue(side, "registration", "name").empty() &&
      SideValue(side, "checked_against", "name") == current->candidate.name &&
      SideValue(side, "checked_against", "id_number") == current->candidate.id_number;
  std::vector<std::string> differing;
  if (verdicts_current) {
    for (const char* field : {"name", "id_number"}) {
      const std::string verdict = SideValue(side, "registration", field);
      if (verdict == "mismatch") differing.emplace_back(field);
      if (verdict != "match" && verdict != "mismatch") {
        return MakeError(ErrorKind::kConflict, "idcard.registration_unsure");
      }
    }
  } else {
    differing = DifferingIdentityFields(card_name, card_id, current->candidate.name,
                                        current->candidate.id_number);
    if (!differing.empty() && !SideValue(side, "registration", "name").empty()) {
      return MakeError(ErrorKind::kConflict, "idcard.registration_changed");
    }
  }
  std::string mismatch;
  if (!differing.empty()) {
    json::array fields;
    for (const auto& f : differing) fields.push_back(json::string(f));
    mismatch = json::serialize(json::object{
        {"fields", fields},
        {"card", {{"name", card_name}, {"id_number", card_id}}},
        {"registration",
         {{"name", current->candidate.name}, {"id_number", current->candidate.id_number}}}});
  }
  return Transition(
      candidate_id,
      differing.empty() ? CollectionEvent::kIdentityMatched : CollectionEvent::kIdentityMismatched,
      [&](CollectionRecord& record, Connection&) { record.mismatch = mismatch; },
      mismatch.empty() ? "{}" : mismatch);
}

Result<CollectionSnapshot> CollectionService::ReenterIdCard(int64_t candidate_id) {
  return Transition(
      candidate_id, CollectionEvent::kReenterIdCard,
      [](CollectionRecord& record, Connection&) {
        record.portrait_side.clear();
        record.emblem_side.clear();
        record.mismatch.clear();
      },
      "{}");
}

Result<std::string> CollectionService::CardImage(int64_t candidate_id, CardSide side) {
  auto c = database_.Acquire();
  auto rows = c->Query(
      "SELECT card_key FROM id_card_uploads WHERE candidate_id = $1 AND side = $2 AND "
      "accepted = 1 AND card_key IS NOT NULL ORDER BY id DESC LIMIT 1",
      {candidate_id, std::string(ToString(side))});
  if (rows.empty()) return MakeError(ErrorKind::kNotFound, "request.not_found");
  auto bytes = blobs_.Get(rows[0].Text(0));
  if (!bytes) return MakeError(ErrorKind::kNotFound, "request.not_found");
  return std::move(*bytes);
}

Result<PhotoUploadResult> CollectionService::UploadPhoto(int64_t candidate_id,
                                                         std::string_view bytes) {
  auto current = Get(candidate_id);
  if (!current.ok()) return current.error();
  if (!CanUploadPhoto(current->record.state)) {
    return StateError(current->record.state, CollectionEvent::kPhotoPassed);
  }
  if (!portraits_)
    return MakeError(ErrorKind::kUnavailable, "service.unavailable", "no portrait checker");
  PortraitCheckOutcome outcome = portraits_->Check(bytes);
  if (!outcome.usable) return outcome.error;

  PendingBlobs written(blobs_);
  const std::string upload_key = written.Put("photo-upload", bytes);
  std::string photo_key;
  if (!outcome.finished_jpeg.empty()) photo_key = written.Put("photo", outcome.finished_jpeg);
  const std::string report = json::serialize(
      json::object{{"pass", outcome.pass},
                   {"issues", IssuesArray(outcome.issues)},
                   {"details", outcome.report_json.empty() ? json::value(nullptr)
                                                           : json::parse(outcome.report_json)}});
  const int64_t now = clock_.NowMillis();
  PhotoUploadResult result;
  result.attempt.passed = outcome.pass;
  result.attempt.issues = outcome.issues;
  result.attempt.has_photo = !photo_key.empty();
  auto moved = Transition(
      candidate_id, outcome.pass ? CollectionEvent::kPhotoPassed : CollectionEvent::kPhotoFailed,
      [&](CollectionRecord& record, Connection& c) {
        result.attempt.id = c.Query(
                                 "INSERT INTO photo_attempts (candidate_id, created_at, passed, "
                                 "report, upload_key, "
                                 "photo_key) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                                 {candidate_id, now, int64_t{outcome.pass}, report, upload_key,
                                  photo_key.empty() ? SqlParam(nullptr) : SqlParam(photo_key)})
                                .front()
                                .Int(0);
        record.photo_attempt_id = result.attempt.id;
        record.verification.clear();
      },
      "{}");
  if (!moved.ok()) return moved.error();
  written.Keep();
  result.snapshot = std::move(*moved);
  return result;
}

Result<CollectionSnapshot> CollectionService::RetakePhoto(int64_t candidate_id) {
  return Transition(candidate_id, CollectionEvent::kRetakePhoto, nullptr, "{}");
}

Result<CollectionSnapshot> CollectionService::SubmitPhoto(int64_t candidate_id) {
  return Transition(candidate_id, CollectionEvent::kSubmitPhoto, nullptr, "{}");
}

Result<CollectionSnapshot> CollectionService::ConsentAndSubmit(int64_t candidate_id) {
  const int64_t now = clock_.NowMillis();
  return Transition(
      candidate_id, CollectionEvent::kConsentAndSubmit,
      [&](CollectionRecord& record, Connection& c) {
        c.Execute(
            "INSERT INTO verification_jobs (candidate_id, photo_attempt_id, status, run_after, "
            "created_at, updated_at) VALUES ($1, $2, 'queued', $3, $3, $3)",
            {candidate_id, *record.photo_attempt_id, now});
        record.verification = R"({"status":"pending"})";
      },
      "{}");
}

Result<std::string> CollectionService::PhotoImage(int64_t candidate_id, int64_t attempt_id) {
  auto c = database_.Acquire();
  auto rows = c->Query("SELECT photo_key FROM photo_attempts WHERE id = $1 AND candidate_id = $2",
                       {attempt_id, candidate_id});
  if (rows.empty() || rows[0].IsNull(0))
    return MakeError(ErrorKind::kNotFound, "request.not_found");
  auto bytes = blobs_.Get(rows[0].Text(0));
  if (!bytes) return MakeError(ErrorKind::kNotFound, "request.not_found");
  return std::move(*bytes);
}

}  // namespace examphoto
