#include "http/views.h"

#include "domain/identity_match.h"
#include "domain/messages.h"
#include "domain/personal_data.h"

namespace examphoto::views {

namespace json = boost::json;

namespace {

constexpr std::string_view kNotStarted = "not_started";

json::value OptionalString(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

json::value ParsedOrNull(const std::string& text) {
  if (text.empty()) return nullptr;
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  return ec ? json::value(nullptr) : value;
}

json::object PhotoReport(const examphoto::PhotoReport& report) {
  return {{"pass", report.pass},
          {"issues", Issues(report.issues)},
          {"details", ParsedOrNull(report.details_json)}};
}

json::object EventNote(const examphoto::EventNote& note) {
  json::object out = note.mismatch ? Mismatch(*note.mismatch) : json::object{};
  if (note.side) out["side"] = ToString(*note.side);
  if (!note.mismatch && !note.fields.empty()) {
    json::array fields;
    for (const auto& f : note.fields) fields.emplace_back(f);
    out["fields"] = std::move(fields);
  }
  if (note.reset_to) out["to"] = ToString(*note.reset_to);
  if (note.attempt_id) out["attempt"] = *note.attempt_id;
  if (!note.decision.empty()) out["decision"] = note.decision;
  if (note.job_id) out["job"] = *note.job_id;
  if (note.score) out["score"] = *note.score;
  if (!note.reason.empty()) out["reason"] = note.reason;
  return out;
}

json::object CollectionRecordJson(const CollectionRecord& r) {
  json::object out{{"state", ToString(r.state)}, {"version", r.version}};
  out["portrait_side"] = r.portrait_side ? json::value(CardSide(*r.portrait_side)) : nullptr;
  out["emblem_side"] = r.emblem_side ? json::value(CardSide(*r.emblem_side)) : nullptr;
  out["mismatch"] = r.mismatch ? json::value(Mismatch(*r.mismatch)) : nullptr;
  out["photo_attempt_id"] = r.photo_attempt_id ? json::value(*r.photo_attempt_id) : nullptr;
  out["verification"] = r.verification ? json::value(Verification(*r.verification)) : nullptr;
  out["updated_at"] = r.updated_at;
  return out;
}

}  // namespace

json::array Issues(const std::vector<ReportedIssue>& issues) {
  json::array out;
  for (const auto& i : issues) {
    out.push_back({{"code", i.code}, {"message", i.message}, {"hint", i.hint}});
  }
  return out;
}

json::object CardSide(const CardSideRecord& side) {
  json::object fields;
  for (const auto& [k, v] : side.fields) fields[k] = v;
  json::object confidence;
  for (const auto& [k, v] : side.confidence) confidence[k] = v;
  json::object out{{"uploaded", side.accepted},
                   {"fields", std::move(fields)},
                   {"confidence", std::move(confidence)},
                   {"issues", Issues(side.issues)}};
  if (!side.registration.empty()) {
    json::object registration;
    for (const auto& [k, v] : side.registration) registration[k] = v;
    out["registration"] = std::move(registration);
  }
  if (!side.boxes.empty()) {
    json::object boxes;
    for (const auto& [k, b] : side.boxes) boxes[k] = {b[0], b[1], b[2], b[3]};
    out["boxes"] = std::move(boxes);
  }
  return out;
}

json::object Mismatch(const IdentityMismatch& m) {
  json::array fields;
  for (const auto& f : m.fields) fields.emplace_back(f);
  return {{"fields", std::move(fields)},
          {"card", {{"name", m.card_name}, {"id_number", m.card_id_number}}},
          {"registration", {{"name", m.registered_name}, {"id_number", m.registered_id_number}}}};
}

json::object Verification(const VerificationResult& result) {
  json::object out{{"status", ToString(result.status)}};
  if (result.status == VerificationResult::Status::kPending) return out;
  const CatalogueEntry& text = LookupMessage(result.code);
  out["code"] = result.code;
  out["message"] = text.message;
  out["hint"] = text.hint;
  if (result.by_office) out["by"] = "office";
  return out;
}

json::value CandidatePhotoUrl(const PhotoAttemptRecord& attempt) {
  if (!attempt.photo_key) return nullptr;
  return json::value("/api/v1/me/photos/" + std::to_string(attempt.id) + "/image");
}

json::object Collection(const CollectionSnapshot& snapshot) {
  const examphoto::Candidate& candidate = snapshot.candidate;
  const CollectionRecord& record = snapshot.record;
  json::object view;
  view["candidate"] = {{"name", candidate.name},
                       {"registration_no", candidate.registration_no},
                       {"phone_masked", MaskPhone(candidate.phone)},
                       {"exam_session", candidate.exam_session}};
  view["state"] = ToString(record.state);
  const json::object not_uploaded{{"uploaded", false}};
  view["id_card"] = {
      {"portrait", record.portrait_side ? CardSide(*record.portrait_side) : not_uploaded},
      {"emblem", record.emblem_side ? CardSide(*record.emblem_side) : not_uploaded}};
  view["mismatch"] = record.mismatch ? json::value(Mismatch(*record.mismatch)) : nullptr;
  if (record.state == CollectionState::kIdentityMismatch && record.mismatch) {
    // Compared again with the registration record as it is now, so a record the office has
    // corrected shows its new data at once ("resolved" when card and record now agree).
    json::object& mismatch = view["mismatch"].as_object();
    json::array fields;
    for (const auto& field :
         DifferingIdentityFields(record.mismatch->card_name, record.mismatch->card_id_number,
                                 candidate.name, candidate.id_number)) {
      fields.emplace_back(field);
    }
    mismatch["resolved"] = fields.empty();
    mismatch["fields"] = std::move(fields);
    mismatch["registration"] = {{"name", candidate.name}, {"id_number", candidate.id_number}};
  }
  if (record.state == CollectionState::kVerified) {
    // What 提交成功 shows: when it was accepted, and a reference the office finds the
    // candidate by (registration number and the accepted photo).
    view["submitted_at"] = record.updated_at;
    view["reference"] =
        candidate.registration_no + "-" +
        (record.photo_attempt_id ? std::to_string(*record.photo_attempt_id) : std::string("0"));
  }
  view["photo"] = nullptr;
  view["verification"] =
      record.verification ? json::value(Verification(*record.verification)) : nullptr;
  if (const auto& attempt = snapshot.attempt) {
    view["photo"] = {{"attempt_id", attempt->id},
                     {"pass", attempt->passed},
                     {"issues", Issues(attempt->report.issues)},
                     {"url", CandidatePhotoUrl(*attempt)}};
  }
  return view;
}

json::object Candidate(const examphoto::Candidate& c) {
  return {{"id", c.id},       {"registration_no", c.registration_no},
          {"name", c.name},   {"id_number", c.id_number},
          {"phone", c.phone}, {"exam_session", c.exam_session}};
}

json::object SearchPage(const CandidateSearchPage& page) {
  json::array items;
  for (const CandidateProgress& row : page.items) {
    json::object item = Candidate(row.candidate);
    item["state"] = row.state ? ToString(*row.state) : kNotStarted;
    item["updated_at"] = row.updated_at ? json::value(*row.updated_at) : nullptr;
    items.push_back(std::move(item));
  }
  return {{"items", std::move(items)},
          {"next", page.next.empty() ? json::value(nullptr) : json::value(page.next)},
          {"field", page.field}};
}

json::object Dashboard(const ProgressDashboard& d) {
  json::object states;
  for (const auto& [state, count] : d.states) states[state] = count;
  json::array days;
  for (const auto& day : d.days) {
    days.push_back({{"date", day.date},
                    {"photos", day.photos},
                    {"photos_passed", day.photos_passed},
                    {"verified", day.verified},
                    {"mismatches", day.mismatches}});
  }
  json::array reasons;
  for (const auto& reason : d.rejection_reasons) {
    reasons.push_back({{"code", reason.code},
                       {"message", LookupMessage(reason.code).message},
                       {"count", reason.count}});
  }
  json::object today = days.empty() ? json::object{} : days.back().as_object();
  return {{"total", d.total},
          {"states", std::move(states)},
          {"today", std::move(today)},
          {"days", std::move(days)},
          {"failed_attempts", d.failed_attempts},
          {"rejection_reasons", std::move(reasons)},
          {"generated_at", d.generated_at}};
}

json::object CandidateFile(const examphoto::CandidateFile& file) {
  const std::string base =
      "/api/v1/office/candidates/" + std::to_string(file.candidate.id) + "/images/";
  // The image URLs carry the audit entry of this opening: fetched with it, they are covered
  // by that one entry (OfficeService::Image).
  const std::string view = "?view=" + std::to_string(file.view_id);
  // base + kind + id + view, appended in place.
  auto image_url = [&](std::string_view kind, const std::string& id) {
    std::string url = base;
    url.append(kind).append(id).append(view);
    return url;
  };
  json::object out;
  out["view"] = file.view_id;
  out["candidate"] = Candidate(file.candidate);
  out["collection"] = file.collection ? CollectionRecordJson(*file.collection)
                                      : json::object{{"state", kNotStarted}};
  json::array uploads;
  for (const IdCardUploadRecord& u : file.id_card_uploads) {
    const std::string id = std::to_string(u.id);
    json::object upload{{"id", u.id},
                        {"side", ToString(u.side)},
                        {"created_at", u.created_at},
                        {"accepted", u.reading.accepted},
                        {"reading", CardSide(u.reading)},
                        {"image_url", image_url("id_card_image/", id)}};
    upload["card_url"] = u.card_key ? json::value(image_url("id_card_card/", id)) : nullptr;
    upload["portrait_url"] =
        u.portrait_key ? json::value(image_url("id_card_portrait/", id)) : nullptr;
    uploads.push_back(std::move(upload));
  }
  out["id_card_uploads"] = std::move(uploads);
  json::array attempts;
  for (const PhotoAttemptRecord& a : file.photo_attempts) {
    const std::string id = std::to_string(a.id);
    json::object attempt{{"id", a.id},
                         {"created_at", a.created_at},
                         {"passed", a.passed},
                         {"report", PhotoReport(a.report)},
                         {"upload_url", image_url("photo_upload/", id)}};
    attempt["photo_url"] = a.photo_key ? json::value(image_url("photo/", id)) : nullptr;
    attempts.push_back(std::move(attempt));
  }
  out["photo_attempts"] = std::move(attempts);
  json::array jobs;
  for (const VerificationJob& j : file.verification_jobs) {
    json::object job{{"id", j.id},
                     {"photo_attempt_id", j.photo_attempt_id},
                     {"status", j.status},
                     {"attempts", j.attempts},
                     {"detail", j.detail},
                     {"created_at", j.created_at},
                     {"updated_at", j.updated_at}};
    job["outcome"] = OptionalString(j.outcome);
    job["score"] = j.score ? json::value(*j.score) : nullptr;
    // The local verifier notes its distance threshold ("... threshold=0.55"); the score is
    // 1 - distance, so the score that passes is 1 - threshold.
    job["score_threshold"] = nullptr;
    if (const size_t at = j.detail.find("threshold="); at != std::string::npos) {
      try {
        job["score_threshold"] = 1.0 - std::stod(j.detail.substr(at + 10));
      } catch (const std::exception&) {
      }
    }
    jobs.push_back(std::move(job));
  }
  out["verification_jobs"] = std::move(jobs);
  json::array history;
  for (const CollectionEventRecord& e : file.history) {
    history.push_back({{"id", e.id},
                       {"happened_at", e.happened_at},
                       {"actor", e.actor},
                       {"event", e.event},
                       {"from_state", e.from_state},
                       {"to_state", e.to_state},
                       {"detail", EventNote(e.note)}});
  }
  out["history"] = std::move(history);
  return out;
}

json::object AuditEntry(const examphoto::AuditEntry& e) {
  json::object item{{"id", e.id},
                    {"happened_at", e.happened_at},
                    {"actor", e.actor},
                    {"role", e.role},
                    {"action", e.action},
                    {"reason", e.reason},
                    {"client_ip", e.client_ip}};
  item["candidate_id"] = e.candidate_id ? json::value(*e.candidate_id) : nullptr;
  item["registration_no"] = e.registration_no;
  item["candidate_name"] = e.candidate_name;
  boost::system::error_code ec;
  json::value detail = json::parse(e.detail, ec);
  item["detail"] = ec ? json::value(e.detail) : detail;
  return item;
}

}  // namespace examphoto::views
