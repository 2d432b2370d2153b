#include "service/office_service.h"

#include <algorithm>
#include <boost/json.hpp>

#include "domain/china_time.h"
#include "domain/collection_state.h"
#include "domain/messages.h"
#include "domain/personal_data.h"
#include "domain/roster_rules.h"
#include "domain/text.h"
#include "domain/utf8.h"
#include "service/database_failure.h"
#include "storage/login_repository.h"

namespace examphoto {

namespace json = boost::json;

namespace {

// How long an opened file's audit entry covers the images shown in it.
constexpr int64_t kFileViewMillis = int64_t{30} * 60 * 1000;

constexpr std::string_view kNotStarted = "not_started";

std::string Hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char ch : bytes) {
    out.push_back(digits[ch >> 4]);
    out.push_back(digits[ch & 15]);
  }
  return out;
}

std::optional<std::string> Unhex(std::string_view hex) {
  if (hex.size() % 2) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    auto value = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    const int high = value(hex[i]), low = value(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
  }
  return out;
}

// A free-text query in `auto` mode: a mobile number, an ID number, a registration number or
// a name, told apart by their shapes.
std::string GuessField(const std::string& query) {
  bool digits = !query.empty(), ascii = true;
  for (unsigned char ch : query) {
    if (!std::isdigit(ch)) digits = false;
    if (ch >= 0x80) ascii = false;
  }
  if (!ascii) return "name";
  if (digits && query.size() == 11 && query[0] == '1') return "phone";
  if (query.size() == 18) return "id_number";
  return "registration_no";
}

Error ReasonError() { return MakeError(ErrorKind::kInvalidInput, "office.reason_required"); }

std::string ActorName(const StaffActor& actor) { return "staff:" + actor.username; }

}  // namespace

Result<std::string> CheckReason(std::string_view reason) {
  std::string trimmed(Trim(reason));
  const size_t length = Utf8Length(trimmed);
  if (length < 2 || length > 200) return ReasonError();
  return trimmed;
}

Result<CandidateSearchPage> OfficeService::Search(const StaffActor& actor,
                                                  const CandidateSearch& search) {
  return GuardStorage("office.search", [&]() -> Result<CandidateSearchPage> {
    using Field = CandidateQuery::Field;
    std::string text(Trim(search.query));
    std::string field = search.field.empty() ? "auto" : search.field;
    if (field == "auto" && !text.empty()) field = GuessField(text);
    if (text.empty()) field = "";
    CandidateQuery query;
    if (field == "name") {
      query.field = Field::kName;
    } else if (field == "registration_no") {
      query.field = Field::kRegistrationNo;
    } else if (field == "phone") {
      query.field = Field::kPhone;
      text = NormalizePhone(text);
    } else if (field == "id_number") {
      query.field = Field::kIdNumber;
      for (char& ch : text) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    } else if (!field.empty() && field != "auto") {
      return MakeError(ErrorKind::kInvalidInput, "office.search_field");
    }
    query.text = std::move(text);
    if (search.state == kNotStarted) {
      query.progress = CandidateQuery::Progress::kNotStarted;
    } else if (!search.state.empty()) {
      auto state = ParseCollectionState(search.state);
      if (!state) return MakeError(ErrorKind::kInvalidInput, "office.invalid_state");
      query.progress = CandidateQuery::Progress::kInState;
      query.state = *state;
    }
    query.limit = std::clamp(search.limit, 1, 200);

    // Keyset paging: the cursor is the last row's sort key, so each page is one index range
    // whatever its depth (OFFSET would read and skip every earlier row).
    if (!search.after.empty()) {
      auto raw = Unhex(search.after);
      const size_t split = raw ? raw->rfind('\n') : std::string::npos;
      if (!raw || split == std::string::npos) {
        return MakeError(ErrorKind::kInvalidInput, "office.invalid_cursor");
      }
      query.after_key = raw->substr(0, split);
      try {
        query.after_id = std::stoll(raw->substr(split + 1));
      } catch (const std::exception&) {
        return MakeError(ErrorKind::kInvalidInput, "office.invalid_cursor");
      }
    }

    CandidateSearchPage page;
    {
      PooledConnection c = database_.Acquire();
      page.items = CandidateRepository(*c).Search(query);
    }
    const bool more = page.items.size() > static_cast<size_t>(query.limit);
    if (more) page.items.resize(query.limit);
    if (more && !page.items.empty()) {
      const Candidate& last = page.items.back().candidate;
      const std::string key = query.field == Field::kName             ? last.name
                              : query.field == Field::kRegistrationNo ? last.registration_no
                                                                      : "";
      page.next = Hex(key + "\n" + std::to_string(last.id));
    }
    page.field = field;
    // A search reads personal data (and a full ID number or phone asks whether that person
    // is a candidate): recorded with what was asked and how many rows it showed (F9).
    const json::object detail{{"query", query.text},
                              {"field", field},
                              {"state", search.state},
                              {"first_page", search.after.empty()},
                              {"results", static_cast<int64_t>(page.items.size())}};
    InWriteTransaction(database_, [&](Connection& c) {
      AuditLog::Append(c, actor, "search_candidates", std::nullopt, "", json::serialize(detail),
                       clock_.NowMillis());
    });
    return page;
  });
}

Result<ProgressDashboard> OfficeService::Dashboard(int days) {
  return GuardStorage("office.dashboard", [&]() -> Result<ProgressDashboard> {
    days = std::clamp(days, 1, 366);
    ProgressDashboard out;
    const int64_t now = clock_.NowMillis();
    out.generated_at = now;
    const int64_t today_start = ChinaDayStart(now);
    const int64_t since = today_start - static_cast<int64_t>(days - 1) * kDayMillis;
    PooledConnection c = database_.Acquire();
    CollectionRepository collections(*c);
    PhotoAttemptRepository attempts(*c);

    out.total = CandidateRepository(*c).Count();
    int64_t started = 0;
    for (const auto& [state, count] : collections.CountByState()) {
      out.states[std::string(ToString(state))] = count;
      started += count;
    }
    out.states[std::string(kNotStarted)] = out.total - started;

    const int64_t first_day = ChinaDayNumber(since);
    for (int64_t d = first_day; d <= ChinaDayNumber(today_start); ++d) {
      out.days.push_back({ChinaDate(d * kDayMillis - kChinaUtcOffsetMillis).ToIso()});
    }
    auto day_at = [&](int64_t day) -> ProgressDashboard::Day* {
      const int64_t index = day - first_day;
      if (index < 0 || index >= static_cast<int64_t>(out.days.size())) return nullptr;
      return &out.days[index];
    };
    for (const DailyAttempts& row : attempts.CountPerDay(since)) {
      if (auto* day = day_at(row.day)) {
        day->photos += row.count;
        if (row.passed) day->photos_passed += row.count;
      }
    }
    for (const DailyArrivals& row : collections.CountArrivalsPerDay(
             {CollectionState::kVerified, CollectionState::kIdentityMismatch}, since)) {
      if (auto* day = day_at(row.day)) {
        (row.state == CollectionState::kVerified ? day->verified : day->mismatches) += row.count;
      }
    }

    // Rejection reasons: every failed attempt's report lists its issues; count each code once
    // per attempt so a photo with three problems counts for three reasons.
    std::map<std::string, int64_t> reasons;
    for (const PhotoReport& report : attempts.FailedReportsSince(since)) {
      ++out.failed_attempts;
      for (const ReportedIssue& issue : report.issues) {
        if (!issue.code.empty()) ++reasons[issue.code];
      }
    }
    for (const auto& [code, count] : reasons) out.rejection_reasons.push_back({code, count});
    std::sort(out.rejection_reasons.begin(), out.rejection_reasons.end(),
              [](const auto& a, const auto& b) {
                return a.count != b.count ? a.count > b.count : a.code < b.code;
              });
    return out;
  });
}

Result<CandidateFile> OfficeService::Detail(const StaffActor& actor, int64_t candidate_id) {
  return GuardStorage("office.detail", [&]() -> Result<CandidateFile> {
    CandidateFile file;
    {
      PooledConnection c = database_.Acquire();
      auto candidate = CandidateRepository(*c).FindById(candidate_id);
      if (!candidate) return MakeError(ErrorKind::kNotFound, "office.candidate_not_found");
      file.candidate = std::move(*candidate);
      CollectionRepository collections(*c);
      file.collection = collections.Find(candidate_id);
      file.id_card_uploads = IdCardUploadRepository(*c).ListForCandidate(candidate_id, 50);
      file.photo_attempts = PhotoAttemptRepository(*c).ListForCandidate(candidate_id, 50);
      file.verification_jobs = VerificationJobQueue(*c).ListForCandidate(candidate_id, 50);
      file.history = collections.History(candidate_id, 200);
    }
    // One audit entry per opened file. Its images carry the entry's id (?view=), and fetching
    // them within kFileViewMillis adds no entry of its own (Image()).
    file.view_id = InWriteTransaction(database_, [&](Connection& c) {
      return AuditLog::Append(c, actor, "view_candidate", candidate_id, "", "{}",
                              clock_.NowMillis());
    });
    return file;
  });
}

Result<std::string> OfficeService::Image(const StaffActor& actor, int64_t candidate_id,
                                         std::string_view kind, int64_t ref,
                                         std::optional<int64_t> view_id) {
  return GuardStorage("office.image", [&]() -> Result<std::string> {
    std::optional<std::string> key;
    {
      PooledConnection c = database_.Acquire();
      if (kind == "id_card_image" || kind == "id_card_card" || kind == "id_card_portrait") {
        const IdCardImage image = kind == "id_card_image"  ? IdCardImage::kCapture
                                  : kind == "id_card_card" ? IdCardImage::kCard
                                                           : IdCardImage::kPortrait;
        key = IdCardUploadRepository(*c).ImageKey(candidate_id, ref, image);
      } else if (kind == "photo" || kind == "photo_upload") {
        // The candidate id is part of the look-up: an attempt of another candidate finds nothing.
        if (auto attempt = PhotoAttemptRepository(*c).FindOwn(candidate_id, ref)) {
          key = kind == "photo" ? attempt->photo_key : std::optional(attempt->upload_key);
        }
      }
    }
    if (!key) return MakeError(ErrorKind::kNotFound, "office.image_not_found");
    auto bytes = blobs_.Get(*key);
    if (!bytes) return MakeError(ErrorKind::kNotFound, "office.image_not_found");
    // Covered by the file's entry when it shows this actor's recent opening of this
    // candidate's file; audited on its own otherwise (F9).
    const int64_t now = clock_.NowMillis();
    InWriteTransaction(database_, [&](Connection& c) {
      if (view_id && AuditLogRepository(c).CoversFileView(*view_id, actor.username, candidate_id,
                                                          now - kFileViewMillis)) {
        return;
      }
      const bool card = kind.rfind("id_card", 0) == 0;
      AuditLog::Append(c, actor, card ? "view_id_card_image" : "view_photo", candidate_id, "",
                       json::serialize(json::object{{"kind", kind}, {"ref", ref}}), now);
    });
    return std::move(*bytes);
  });
}

Result<CorrectedRecord> OfficeService::CorrectRecord(const StaffActor& actor, int64_t candidate_id,
                                                     const RecordCorrection& correction,
                                                     std::string_view reason_text) {
  return GuardStorage("office.correct_record", [&]() -> Result<CorrectedRecord> {
    auto reason = CheckReason(reason_text);
    if (!reason.ok()) return reason.error();
    const int64_t now = clock_.NowMillis();
    return InWriteTransaction(database_, [&](Connection& c) -> Result<CorrectedRecord> {
      CandidateRepository candidates(c);
      auto before = candidates.FindById(candidate_id);
      if (!before) return MakeError(ErrorKind::kNotFound, "office.candidate_not_found");
      Candidate after = *before;
      if (correction.name) after.name = *correction.name;
      if (correction.id_number) after.id_number = *correction.id_number;
      if (correction.phone) after.phone = *correction.phone;
      // The same rules as a roster row; only the corrected fields' problems are reported.
      for (const auto& problem : ValidateRosterRow(0, after, ChinaDate(now))) {
        if (problem.column == "name") {
          return MakeError(ErrorKind::kInvalidInput, problem.code == "roster.row.name_characters"
                                                         ? "office.name_characters"
                                                         : "office.name");
        }
        if (problem.column == "id_number" || problem.column == "phone") {
          Error error = MakeError(ErrorKind::kInvalidInput, problem.code, problem.column);
          if (!problem.message.empty()) error.message = problem.message;
          return error;
        }
      }
      if (after.name == before->name && after.id_number == before->id_number &&
          after.phone == before->phone) {
        return MakeError(ErrorKind::kInvalidInput, "office.nothing_to_change");
      }
      if (after.id_number != before->id_number) {
        auto other = candidates.FindByIdNumber(after.id_number);
        if (other && other->id != candidate_id) {
          return MakeError(ErrorKind::kConflict, "office.id_number_taken");
        }
      }
      if (after.phone != before->phone) {
        auto other = candidates.FindByPhone(after.phone);
        if (other && other->id != candidate_id)
          return MakeError(ErrorKind::kConflict, "office.phone_taken");
      }
      candidates.Update(after, now);
      // Sessions opened with the old phone belong to whoever holds that phone now.
      if (after.phone != before->phone)
        LoginRepository(c).RevokeSessionsOf("candidate", after.id, now);

      json::object changes;
      std::vector<std::string> fields;
      auto note = [&](const char* name, const std::string& from, const std::string& to) {
        if (from == to) return;
        changes[name] = {{"from", from}, {"to", to}};
        fields.emplace_back(name);
      };
      note("name", before->name, after.name);
      note("id_number", before->id_number, after.id_number);
      note("phone", before->phone, after.phone);
      const std::string detail =
          json::serialize(json::object{{"changes", changes}, {"reason", *reason}});
      AuditLog::Append(c, actor, "correct_record", candidate_id, *reason, detail, now);
      CollectionRepository collections(c);
      auto record = collections.LockForUpdate(candidate_id);
      // The history names which fields changed, not their values (personal data stays in the
      // audit log, which only administrators read).
      if (record) {
        EventNote event_note;
        event_note.fields = fields;
        event_note.reason = *reason;
        collections.AppendEvent({0, candidate_id, now, ActorName(actor), "office_correct_record",
                                 std::string(ToString(record->state)),
                                 std::string(ToString(record->state)), event_note});
      }
      return CorrectedRecord{after, record ? std::optional(record->state) : std::nullopt};
    });
  });
}

Result<OfficeStep> OfficeService::ResetCollection(const StaffActor& actor, int64_t candidate_id,
                                                  std::string_view target_text,
                                                  std::string_view reason_text) {
  return GuardStorage("office.reset", [&]() -> Result<OfficeStep> {
    auto reason = CheckReason(reason_text);
    if (!reason.ok()) return reason.error();
    const auto target = ParseCollectionState(target_text);
    const auto event = target ? OfficeResetEvent(*target) : std::nullopt;
    if (!event) return MakeError(ErrorKind::kInvalidInput, "office.reset_target");
    const int64_t now = clock_.NowMillis();
    {
      PooledConnection c = database_.Acquire();
      if (!CandidateRepository(*c).FindById(candidate_id)) {
        return MakeError(ErrorKind::kNotFound, "office.candidate_not_found");
      }
      CollectionRepository(*c).GetOrCreate(candidate_id, now);
    }
    return InWriteTransaction(database_, [&](Connection& c) -> Result<OfficeStep> {
      CollectionRepository collections(c);
      auto record = collections.LockForUpdate(candidate_id);
      if (!record) return MakeError(ErrorKind::kNotFound, "office.candidate_not_found");
      const CollectionState from = record->state;
      auto next = ApplyEvent(from, *event);
      if (!next.ok()) return next.error();
      if (*event == CollectionEvent::kOfficeResetToIdCard) {
        record->portrait_side.reset();
        record->emblem_side.reset();
        record->mismatch.reset();
      }
      record->state = *next;
      record->photo_attempt_id.reset();
      record->verification.reset();
      collections.Save(*record, now);
      // A queued verification of the old photo no longer applies (the worker checks the
      // collection too; this keeps the queue honest).
      VerificationJobQueue(c).CancelQueued(candidate_id, "reset by the office", now);
      EventNote note;
      note.reset_to = *next;
      note.reason = *reason;
      collections.AppendEvent({0, candidate_id, now, ActorName(actor),
                               std::string(ToString(*event)), std::string(ToString(from)),
                               std::string(ToString(*next)), note});
      AuditLog::Append(
          c, actor, "reset_collection", candidate_id, *reason,
          json::serialize(json::object{{"from", ToString(from)}, {"to", ToString(*next)}}), now);
      return OfficeStep{*next, from};
    });
  });
}

Result<OfficeStep> OfficeService::DecidePhoto(const StaffActor& actor, int64_t candidate_id,
                                              int64_t attempt_id, std::string_view decision,
                                              std::string_view reason_text) {
  return GuardStorage("office.decide_photo", [&]() -> Result<OfficeStep> {
    auto reason = CheckReason(reason_text);
    if (!reason.ok()) return reason.error();
    if (decision != "accept" && decision != "reject") {
      return MakeError(ErrorKind::kInvalidInput, "office.photo_decision");
    }
    const int64_t now = clock_.NowMillis();
    return InWriteTransaction(database_, [&](Connection& c) -> Result<OfficeStep> {
      if (!CandidateRepository(c).FindById(candidate_id)) {
        return MakeError(ErrorKind::kNotFound, "office.candidate_not_found");
      }
      auto attempt = PhotoAttemptRepository(c).FindOwn(candidate_id, attempt_id);
      if (!attempt) return MakeError(ErrorKind::kNotFound, "office.attempt_not_found");
      CollectionRepository collections(c);
      auto record = collections.LockForUpdate(candidate_id);
      if (!record) return MakeError(ErrorKind::kConflict, "office.photo_decision_state");
      const bool accept = decision == "accept";
      const CollectionEvent event =
          accept ? CollectionEvent::kOfficeAcceptPhoto : CollectionEvent::kOfficeRejectPhoto;
      const CollectionState from = record->state;
      auto next = ApplyEvent(from, event);
      if (!next.ok()) return next.error();
      if (accept && !attempt->photo_key) {
        return MakeError(ErrorKind::kConflict, "office.attempt_has_no_photo");
      }
      // Accepted: the photo is final (verified, locked, exported). Rejected: the candidate sees
      // 身份核验不通过 with the office's message and retakes (verification_failed allows it).
      record->state = *next;
      record->photo_attempt_id = attempt_id;
      record->verification = VerificationResult{
          accept ? VerificationResult::Status::kPassed : VerificationResult::Status::kFailed,
          accept ? "office.photo_accepted" : "office.photo_rejected", true};
      collections.Save(*record, now);
      VerificationJobQueue(c).CancelQueued(candidate_id, "decided by the office", now);
      EventNote note;
      note.attempt_id = attempt_id;
      note.decision = std::string(decision);
      note.reason = *reason;
      collections.AppendEvent({0, candidate_id, now, ActorName(actor), std::string(ToString(event)),
                               std::string(ToString(from)), std::string(ToString(record->state)),
                               note});
      AuditLog::Append(c, actor, accept ? "accept_photo" : "reject_photo", candidate_id, *reason,
                       json::serialize(json::object{
                           {"attempt", attempt_id}, {"decision", decision}, {"reason", *reason}}),
                       now);
      return OfficeStep{record->state, from};
    });
  });
}

Result<std::vector<AuditEntry>> OfficeService::SearchAudit(const AuditQuery& query) {
  return GuardStorage("office.search_audit", [&]() -> Result<std::vector<AuditEntry>> {
    PooledConnection c = database_.Acquire();
    return AuditLogRepository(*c).Search(query);
  });
}

Status OfficeService::Record(const StaffActor& actor, std::string_view action,
                             std::string_view detail) {
  return GuardStorage("office.record", [&]() -> Status {
    InWriteTransaction(database_, [&](Connection& c) {
      AuditLog::Append(c, actor, action, std::nullopt, "", detail, clock_.NowMillis());
    });
    return Ok();
  });
}

}  // namespace examphoto
