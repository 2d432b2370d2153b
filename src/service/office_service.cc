#include "service/office_service.h"

#include <spdlog/spdlog.h>

#include <deque>
#include <map>

#include "domain/china_time.h"
#include "domain/collection_state.h"
#include "domain/messages.h"
#include "domain/personal_data.h"
#include "domain/roster_rules.h"
#include "domain/text.h"
#include "domain/utf8.h"
#include "storage/candidate_repository.h"
#include "storage/collection_repository.h"

namespace examphoto {

namespace json = boost::json;

namespace {

constexpr std::string_view kNotStarted = "not_started";
// The largest code point in UTF-8: "prefix" <= s < "prefix" + this, bytewise, is a prefix match.
constexpr std::string_view kMaxCodePoint = "\xf4\x8f\xbf\xbf";

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

json::value ParseOr(const std::string& text, json::value fallback) {
  if (text.empty()) return fallback;
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  return ec ? fallback : value;
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

json::object CandidateJson(const Candidate& c) {
  return {{"id", c.id},       {"registration_no", c.registration_no},
          {"name", c.name},   {"id_number", c.id_number},
          {"phone", c.phone}, {"exam_session", c.exam_session}};
}

std::string ActorName(const StaffActor& actor) { return "staff:" + actor.username; }

}  // namespace

Result<std::string> CheckReason(std::string_view reason) {
  std::string trimmed(Trim(reason));
  const size_t length = Utf8Length(trimmed);
  if (length < 2 || length > 200) return ReasonError();
  return trimmed;
}

Result<json::object> OfficeService::Search(const CandidateSearch& search) {
  const bool postgres = database_.dialect() == SqlDialect::kPostgres;
  const std::string collate = postgres ? " COLLATE \"C\"" : "";
  std::string query(Trim(search.query));
  std::string field = search.field.empty() ? "auto" : search.field;
  if (field == "auto" && !query.empty()) field = GuessField(query);
  if (query.empty()) field = "";
  if (!field.empty() && field != "name" && field != "registration_no" && field != "phone" &&
      field != "id_number" && field != "auto") {
    return MakeError(ErrorKind::kInvalidInput, "office.search_field");
  }
  if (!search.state.empty() && search.state != kNotStarted && !ParseCollectionState(search.state)) {
    return MakeError(ErrorKind::kInvalidInput, "office.invalid_state");
  }
  const int limit = std::clamp(search.limit, 1, 200);

  // Keyset paging: the cursor is the last row's sort key, so each page is one index range
  // whatever its depth (OFFSET would read and skip every earlier row).
  std::string after_key;
  std::optional<int64_t> after_id;
  if (!search.after.empty()) {
    auto raw = Unhex(search.after);
    const size_t split = raw ? raw->rfind('\n') : std::string::npos;
    if (!raw || split == std::string::npos) {
      return MakeError(ErrorKind::kInvalidInput, "office.invalid_cursor");
    }
    after_key = raw->substr(0, split);
    try {
      after_id = std::stoll(raw->substr(split + 1));
    } catch (const std::exception&) {
      return MakeError(ErrorKind::kInvalidInput, "office.invalid_cursor");
    }
  }

  std::deque<std::string> texts;  // keeps bound strings alive
  std::vector<SqlParam> params;
  auto bind = [&](std::string value) {
    texts.push_back(std::move(value));
    params.emplace_back(std::string_view(texts.back()));
    return "$" + std::to_string(params.size());
  };
  auto bind_int = [&](int64_t value) {
    params.emplace_back(value);
    return "$" + std::to_string(params.size());
  };

  const bool by_state = !search.state.empty() && search.state != kNotStarted;
  std::string sql =
      "SELECT c.id, c.registration_no, c.name, c.id_number, c.phone, c.exam_session, k.state, "
      "k.updated_at FROM candidates c ";
  sql += by_state ? "JOIN collections k ON k.candidate_id = c.id "
                  : "LEFT JOIN collections k ON k.candidate_id = c.id ";
  std::vector<std::string> where;
  std::string order;
  std::string sort_column;  // the text column of the keyset, "" when the key is the id alone
  if (field == "name" || field == "registration_no") {
    sort_column = "c." + field + collate;
    where.push_back(sort_column + " >= " + bind(query));
    where.push_back(sort_column + " < " + bind(query + std::string(kMaxCodePoint)));
    if (after_id) {
      where.push_back("(" + sort_column + ", c.id) > (" + bind(after_key) + ", " +
                      bind_int(*after_id) + ")");
    }
    order = sort_column + ", c.id";
  } else {
    if (field == "phone") where.push_back("c.phone = " + bind(NormalizePhone(query)));
    if (field == "id_number") {
      std::string upper = query;
      for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      where.push_back("c.id_number = " + bind(upper));
    }
    // With a state filter the (state, candidate_id) index gives candidate order directly.
    const std::string id_column = by_state ? "k.candidate_id" : "c.id";
    if (after_id) where.push_back(id_column + " > " + bind_int(*after_id));
    order = id_column;
  }
  if (by_state) where.push_back("k.state = " + bind(search.state));
  if (search.state == kNotStarted) where.push_back("k.candidate_id IS NULL");
  for (size_t i = 0; i < where.size(); ++i) sql += (i ? " AND " : "WHERE ") + where[i];
  sql += " ORDER BY " + order + " LIMIT " + bind_int(limit + 1);

  PooledConnection connection = database_.Acquire();
  SqlRows rows = connection->Query(sql, params);
  json::array items;
  const size_t shown = std::min(rows.size(), static_cast<size_t>(limit));
  for (size_t i = 0; i < shown; ++i) {
    const SqlRow& r = rows[i];
    json::object item{{"id", r.Int(0)},
                      {"registration_no", r.Text(1)},
                      {"name", r.Text(2)},
                      {"id_number", r.Text(3)},
                      {"phone", r.Text(4)},
                      {"exam_session", r.Text(5)},
                      {"state", r.TextOr(6, std::string(kNotStarted))}};
    item["updated_at"] = r.IsNull(7) ? json::value(nullptr) : json::value(r.Int(7));
    items.push_back(std::move(item));
  }
  json::value next = nullptr;
  if (rows.size() > shown && shown > 0) {
    const SqlRow& last = rows[shown - 1];
    const std::string key = field == "name"              ? last.Text(2)
                            : field == "registration_no" ? last.Text(1)
                                                         : "";
    next = Hex(key + "\n" + last.Text(0));
  }
  return json::object{{"items", std::move(items)}, {"next", next}, {"field", field}};
}

json::object OfficeService::Dashboard(int days) {
  days = std::clamp(days, 1, 366);
  const int64_t now = clock_.NowMillis();
  const int64_t today_start = ChinaDayStart(now);
  const int64_t since = today_start - static_cast<int64_t>(days - 1) * kDayMillis;
  PooledConnection c = database_.Acquire();

  const int64_t total = c->Query("SELECT COUNT(*) FROM candidates").front().Int(0);
  json::object states;
  int64_t started = 0;
  for (const SqlRow& r : c->Query("SELECT state, COUNT(*) FROM collections GROUP BY state")) {
    states[r.Text(0)] = r.Int(1);
    started += r.Int(1);
  }
  states[kNotStarted] = total - started;

  // Day numbers in China time: (t + 8 h) / 24 h, the same integer division in both engines.
  const std::string day_expr = "(created_at + " + std::to_string(kChinaUtcOffsetMillis) + ") / " +
                               std::to_string(kDayMillis);
  std::map<int64_t, json::object> per_day;
  for (int64_t d = ChinaDayNumber(since); d <= ChinaDayNumber(today_start); ++d) {
    per_day[d] = {{"date", ChinaDate(d * kDayMillis - kChinaUtcOffsetMillis).ToIso()},
                  {"photos", 0},
                  {"photos_passed", 0},
                  {"verified", 0},
                  {"mismatches", 0}};
  }
  for (const SqlRow& r : c->Query("SELECT " + day_expr +
                                      ", passed, COUNT(*) FROM photo_attempts "
                                      "WHERE created_at >= $1 GROUP BY " +
                                      day_expr + ", passed",
                                  {since})) {
    auto it = per_day.find(r.Int(0));
    if (it == per_day.end()) continue;
    it->second["photos"] = it->second["photos"].as_int64() + r.Int(2);
    if (r.Int(1)) it->second["photos_passed"] = it->second["photos_passed"].as_int64() + r.Int(2);
  }
  const std::string event_day = "(happened_at + " + std::to_string(kChinaUtcOffsetMillis) + ") / " +
                                std::to_string(kDayMillis);
  for (const SqlRow& r :
       c->Query("SELECT to_state, " + event_day +
                    ", COUNT(*) FROM collection_events "
                    "WHERE to_state IN ('verified', 'identity_mismatch') AND happened_at >= $1 "
                    "GROUP BY to_state, " +
                    event_day,
                {since})) {
    auto it = per_day.find(r.Int(1));
    if (it == per_day.end()) continue;
    const char* key = r.Text(0) == "verified" ? "verified" : "mismatches";
    it->second[key] = it->second[key].as_int64() + r.Int(2);
  }
  json::array series;
  for (auto& [day, entry] : per_day) series.push_back(entry);

  // Rejection reasons: every failed attempt's report lists its issues; count each code once
  // per attempt so a photo with three problems counts for three reasons.
  std::map<std::string, int64_t> reasons;
  int64_t failed = 0;
  for (const SqlRow& r : c->Query("SELECT report FROM photo_attempts WHERE passed = 0 AND "
                                  "created_at >= $1",
                                  {since})) {
    ++failed;
    json::value report = ParseOr(r.Text(0), json::array{});
    const json::array* issues = report.if_array();
    if (!issues && report.is_object() && report.as_object().contains("issues")) {
      issues = report.as_object().at("issues").if_array();
    }
    if (!issues) continue;
    for (const auto& issue : *issues) {
      if (const auto* object = issue.if_object()) {
        if (const auto* code = object->if_contains("code"); code && code->is_string()) {
          ++reasons[std::string(code->as_string())];
        }
      }
    }
  }
  std::vector<std::pair<std::string, int64_t>> ranked(reasons.begin(), reasons.end());
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  json::array reason_list;
  for (const auto& [code, count] : ranked) {
    reason_list.push_back(
        {{"code", code}, {"message", LookupMessage(code).message}, {"count", count}});
  }
  json::object today = series.empty() ? json::object{} : series.back().as_object();
  return {{"total", total},     {"states", states},          {"today", today},
          {"days", series},     {"failed_attempts", failed}, {"rejection_reasons", reason_list},
          {"generated_at", now}};
}

Result<json::object> OfficeService::Detail(const StaffActor& actor, int64_t candidate_id) {
  json::object out;
  {
    PooledConnection c = database_.Acquire();
    auto candidate = CandidateRepository::FindById(*c, candidate_id);
    if (!candidate) return MakeError(ErrorKind::kNotFound, "office.candidate_not_found");
    out["candidate"] = CandidateJson(*candidate);
    const std::string base =
        "/api/v1/office/candidates/" + std::to_string(candidate_id) + "/images/";

    SqlRows record = c->Query(
        "SELECT state, version, portrait_side, emblem_side, mismatch, photo_attempt_id, "
        "verification, updated_at FROM collections WHERE candidate_id = $1",
        {candidate_id});
    if (record.empty()) {
      out["collection"] = {{"state", kNotStarted}};
    } else {
      const SqlRow& r = record.front();
      json::object collection{{"state", r.Text(0)}, {"version", r.Int(1)}};
      collection["portrait_side"] = ParseOr(r.TextOr(2, ""), nullptr);
      collection["emblem_side"] = ParseOr(r.TextOr(3, ""), nullptr);
      collection["mismatch"] = ParseOr(r.TextOr(4, ""), nullptr);
      collection["photo_attempt_id"] = r.IsNull(5) ? json::value(nullptr) : json::value(r.Int(5));
      collection["verification"] = ParseOr(r.TextOr(6, ""), nullptr);
      collection["updated_at"] = r.Int(7);
      out["collection"] = std::move(collection);
    }

    json::array uploads;
    for (const SqlRow& r : c->Query(
             "SELECT id, side, created_at, accepted, reading, card_key, portrait_key FROM "
             "id_card_uploads WHERE candidate_id = $1 ORDER BY created_at DESC, id DESC LIMIT 50",
             {candidate_id})) {
      const std::string id = std::to_string(r.Int(0));
      json::object upload{{"id", r.Int(0)},
                          {"side", r.Text(1)},
                          {"created_at", r.Int(2)},
                          {"accepted", r.Int(3) != 0},
                          {"reading", ParseOr(r.Text(4), nullptr)},
                          {"image_url", base + "id_card_image/" + id}};
      upload["card_url"] =
          r.IsNull(5) ? json::value(nullptr) : json::value(base + "id_card_card/" + id);
      upload["portrait_url"] =
          r.IsNull(6) ? json::value(nullptr) : json::value(base + "id_card_portrait/" + id);
      uploads.push_back(std::move(upload));
    }
    out["id_card_uploads"] = std::move(uploads);

    json::array attempts;
    for (const SqlRow& r :
         c->Query("SELECT id, created_at, passed, report, photo_key FROM photo_attempts WHERE "
                  "candidate_id = $1 ORDER BY created_at DESC, id DESC LIMIT 50",
                  {candidate_id})) {
      const std::string id = std::to_string(r.Int(0));
      json::object attempt{{"id", r.Int(0)},
                           {"created_at", r.Int(1)},
                           {"passed", r.Int(2) != 0},
                           {"report", ParseOr(r.Text(3), nullptr)},
                           {"upload_url", base + "photo_upload/" + id}};
      attempt["photo_url"] = r.IsNull(4) ? json::value(nullptr) : json::value(base + "photo/" + id);
      attempts.push_back(std::move(attempt));
    }
    out["photo_attempts"] = std::move(attempts);

    json::array jobs;
    for (const SqlRow& r : c->Query(
             "SELECT id, photo_attempt_id, status, attempts, outcome, score, detail, created_at, "
             "updated_at FROM verification_jobs WHERE candidate_id = $1 ORDER BY id DESC LIMIT 50",
             {candidate_id})) {
      json::object job{{"id", r.Int(0)},        {"photo_attempt_id", r.Int(1)},
                       {"status", r.Text(2)},   {"attempts", r.Int(3)},
                       {"detail", r.Text(6)},   {"created_at", r.Int(7)},
                       {"updated_at", r.Int(8)}};
      job["outcome"] = r.IsNull(4) ? json::value(nullptr) : json::value(r.Text(4));
      job["score"] = r.IsNull(5) ? json::value(nullptr) : json::value(r.Real(5));
      jobs.push_back(std::move(job));
    }
    out["verification_jobs"] = std::move(jobs);

    json::array history;
    for (const SqlRow& r :
         c->Query("SELECT id, happened_at, actor, event, from_state, to_state, detail FROM "
                  "collection_events WHERE candidate_id = $1 ORDER BY happened_at DESC, id DESC "
                  "LIMIT 200",
                  {candidate_id})) {
      history.push_back({{"id", r.Int(0)},
                         {"happened_at", r.Int(1)},
                         {"actor", r.Text(2)},
                         {"event", r.Text(3)},
                         {"from_state", r.Text(4)},
                         {"to_state", r.Text(5)},
                         {"detail", ParseOr(r.Text(6), json::value(json::string(r.Text(6))))}});
    }
    out["history"] = std::move(history);
  }
  InWriteTransaction(database_, [&](Connection& c) {
    AuditLog::Append(c, actor, "view_candidate", candidate_id, "", "{}", clock_.NowMillis());
  });
  return out;
}

Result<std::string> OfficeService::Image(const StaffActor& actor, int64_t candidate_id,
                                         std::string_view kind, int64_t ref) {
  std::string key;
  {
    PooledConnection c = database_.Acquire();
    std::string column, table;
    if (kind == "id_card_image")
      column = "image_key", table = "id_card_uploads";
    else if (kind == "id_card_card")
      column = "card_key", table = "id_card_uploads";
    else if (kind == "id_card_portrait")
      column = "portrait_key", table = "id_card_uploads";
    else if (kind == "photo")
      column = "photo_key", table = "photo_attempts";
    else if (kind == "photo_upload")
      column = "upload_key", table = "photo_attempts";
    else
      return MakeError(ErrorKind::kNotFound, "office.image_not_found");
    // The candidate id is part of the look-up: an upload id of another candidate finds nothing.
    SqlRows rows =
        c->Query("SELECT " + column + " FROM " + table + " WHERE id = $1 AND candidate_id = $2",
                 {ref, candidate_id});
    if (rows.empty() || rows.front().IsNull(0)) {
      return MakeError(ErrorKind::kNotFound, "office.image_not_found");
    }
    key = rows.front().Text(0);
  }
  auto bytes = blobs_.Get(key);
  if (!bytes) return MakeError(ErrorKind::kNotFound, "office.image_not_found");
  if (kind.rfind("id_card", 0) == 0) {
    InWriteTransaction(database_, [&](Connection& c) {
      AuditLog::Append(c, actor, "view_id_card_image", candidate_id, "",
                       json::serialize(json::object{{"kind", kind}, {"upload", ref}}),
                       clock_.NowMillis());
    });
  }
  return std::move(*bytes);
}

Result<json::object> OfficeService::CorrectRecord(const StaffActor& actor, int64_t candidate_id,
                                                  const RecordCorrection& correction,
                                                  std::string_view reason_text) {
  auto reason = CheckReason(reason_text);
  if (!reason.ok()) return reason.error();
  const int64_t now = clock_.NowMillis();
  return InWriteTransaction(database_, [&](Connection& c) -> Result<json::object> {
    auto before = CandidateRepository::FindById(c, candidate_id);
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
      auto other = CandidateRepository::FindByIdNumber(c, after.id_number);
      if (other && other->id != candidate_id) {
        return MakeError(ErrorKind::kConflict, "office.id_number_taken");
      }
    }
    if (after.phone != before->phone) {
      auto other = CandidateRepository::FindByPhone(c, after.phone);
      if (other && other->id != candidate_id)
        return MakeError(ErrorKind::kConflict, "office.phone_taken");
    }
    CandidateRepository::Update(c, after, now);

    json::object changes;
    auto note = [&](const char* name, const std::string& from, const std::string& to) {
      if (from != to) changes[name] = {{"from", from}, {"to", to}};
    };
    note("name", before->name, after.name);
    note("id_number", before->id_number, after.id_number);
    note("phone", before->phone, after.phone);
    const std::string detail =
        json::serialize(json::object{{"changes", changes}, {"reason", *reason}});
    AuditLog::Append(c, actor, "correct_record", candidate_id, *reason, detail, now);
    auto record = CollectionRepository::LockForUpdate(c, database_.dialect(), candidate_id);
    // The history names which fields changed, not their values (personal data stays in the
    // audit log, which only administrators read).
    json::array fields;
    for (const auto& [name, value] : changes) fields.push_back(json::string(name));
    if (record) {
      CollectionRepository::AppendEvent(
          c, candidate_id, ActorName(actor), "office_correct_record", record->state, record->state,
          json::serialize(json::object{{"fields", fields}, {"reason", *reason}}), now);
    }
    return json::object{{"candidate", CandidateJson(after)},
                        {"state", record ? ToString(record->state) : kNotStarted}};
  });
}

Result<json::object> OfficeService::ResetCollection(const StaffActor& actor, int64_t candidate_id,
                                                    std::string_view target_text,
                                                    std::string_view reason_text) {
  auto reason = CheckReason(reason_text);
  if (!reason.ok()) return reason.error();
  const auto target = ParseCollectionState(target_text);
  const auto event = target ? OfficeResetEvent(*target) : std::nullopt;
  if (!event) return MakeError(ErrorKind::kInvalidInput, "office.reset_target");
  {
    PooledConnection c = database_.Acquire();
    if (!CandidateRepository::FindById(*c, candidate_id)) {
      return MakeError(ErrorKind::kNotFound, "office.candidate_not_found");
    }
  }
  const int64_t now = clock_.NowMillis();
  CollectionRepository(database_).GetOrCreate(candidate_id, now);
  return InWriteTransaction(database_, [&](Connection& c) -> Result<json::object> {
    auto record = CollectionRepository::LockForUpdate(c, database_.dialect(), candidate_id);
    if (!record) return MakeError(ErrorKind::kNotFound, "office.candidate_not_found");
    const CollectionState from = record->state;
    auto next = ApplyEvent(from, *event);
    if (!next.ok()) return next.error();
    if (*event == CollectionEvent::kOfficeResetToIdCard) {
      record->portrait_side.clear();
      record->emblem_side.clear();
      record->mismatch.clear();
    }
    record->state = *next;
    record->photo_attempt_id.reset();
    record->verification.clear();
    CollectionRepository::Save(c, *record, now);
    // A queued verification of the old photo no longer applies (the worker checks the
    // collection too; this keeps the queue honest).
    c.Execute(
        "UPDATE verification_jobs SET status = 'done', outcome = 'cancelled', "
        "detail = 'reset by the office', locked_by = NULL, locked_until = NULL, "
        "updated_at = $2 WHERE candidate_id = $1 AND status = 'queued'",
        {candidate_id, now});
    const std::string detail =
        json::serialize(json::object{{"to", ToString(*target)}, {"reason", *reason}});
    CollectionRepository::AppendEvent(c, candidate_id, ActorName(actor), ToString(*event), from,
                                      *next, detail, now);
    AuditLog::Append(
        c, actor, "reset_collection", candidate_id, *reason,
        json::serialize(json::object{{"from", ToString(from)}, {"to", ToString(*target)}}), now);
    return json::object{{"state", ToString(*next)}, {"from", ToString(from)}};
  });
}

Result<json::object> OfficeService::DecidePhoto(const StaffActor& actor, int64_t candidate_id,
                                                int64_t attempt_id, std::string_view decision,
                                                std::string_view reason_text) {
  auto reason = CheckReason(reason_text);
  if (!reason.ok()) return reason.error();
  if (decision != "accept" && decision != "reject") {
    return MakeError(ErrorKind::kInvalidInput, "office.photo_decision");
  }
  const int64_t now = clock_.NowMillis();
  return InWriteTransaction(database_, [&](Connection& c) -> Result<json::object> {
    if (!CandidateRepository::FindById(c, candidate_id)) {
      return MakeError(ErrorKind::kNotFound, "office.candidate_not_found");
    }
    SqlRows attempt =
        c.Query("SELECT photo_key FROM photo_attempts WHERE id = $1 AND candidate_id = $2",
                {attempt_id, candidate_id});
    if (attempt.empty()) return MakeError(ErrorKind::kNotFound, "office.attempt_not_found");
    auto record = CollectionRepository::LockForUpdate(c, database_.dialect(), candidate_id);
    if (!record) return MakeError(ErrorKind::kConflict, "office.photo_decision_state");
    const bool accept = decision == "accept";
    const CollectionEvent event =
        accept ? CollectionEvent::kOfficeAcceptPhoto : CollectionEvent::kOfficeRejectPhoto;
    const CollectionState from = record->state;
    auto next = ApplyEvent(from, event);
    if (!next.ok()) return next.error();
    if (accept && attempt.front().IsNull(0)) {
      return MakeError(ErrorKind::kConflict, "office.attempt_has_no_photo");
    }
    const char* code = accept ? "office.photo_accepted" : "office.photo_rejected";
    const CatalogueEntry& text = LookupMessage(code);
    // Accepted: the photo is final (verified, locked, exported). Rejected: the candidate sees
    // 身份核验不通过 with the office's message and retakes (verification_failed allows it).
    record->state = *next;
    record->photo_attempt_id = attempt_id;
    record->verification = json::serialize(json::object{{"status", accept ? "passed" : "failed"},
                                                        {"code", code},
                                                        {"message", text.message},
                                                        {"hint", text.hint},
                                                        {"by", "office"}});
    CollectionRepository::Save(c, *record, now);
    c.Execute(
        "UPDATE verification_jobs SET status = 'done', outcome = 'cancelled', "
        "detail = 'decided by the office', locked_by = NULL, locked_until = NULL, "
        "updated_at = $2 WHERE candidate_id = $1 AND status = 'queued'",
        {candidate_id, now});
    const std::string detail = json::serialize(
        json::object{{"attempt", attempt_id}, {"decision", decision}, {"reason", *reason}});
    CollectionRepository::AppendEvent(c, candidate_id, ActorName(actor), ToString(event), from,
                                      record->state, detail, now);
    AuditLog::Append(c, actor, accept ? "accept_photo" : "reject_photo", candidate_id, *reason,
                     detail, now);
    return json::object{{"state", ToString(record->state)}, {"from", ToString(from)}};
  });
}

std::vector<AuditEntry> OfficeService::SearchAudit(const AuditQuery& query) {
  PooledConnection c = database_.Acquire();
  return AuditLog::Search(*c, query);
}

void OfficeService::Record(const StaffActor& actor, std::string_view action,
                           std::string_view detail) {
  InWriteTransaction(database_, [&](Connection& c) {
    AuditLog::Append(c, actor, action, std::nullopt, "", detail, clock_.NowMillis());
  });
}

}  // namespace examphoto
