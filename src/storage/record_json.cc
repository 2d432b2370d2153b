#include "storage/record_json.h"

#include <boost/json.hpp>

namespace examphoto::record_json {
namespace {

namespace json = boost::json;

json::object Parse(std::string_view text) {
  if (text.empty()) return {};
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) return {};
  return std::move(value.as_object());
}

std::string String(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

std::optional<int64_t> Int(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value && value->is_int64()) return value->as_int64();
  if (value && value->is_uint64()) return static_cast<int64_t>(value->as_uint64());
  return std::nullopt;
}

std::optional<double> Number(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (!value || !value->is_number()) return std::nullopt;
  return value->to_number<double>();
}

const json::object& Object(const json::object& object, std::string_view key) {
  static const json::object kEmpty;
  const json::value* value = object.if_contains(key);
  return value && value->is_object() ? value->as_object() : kEmpty;
}

std::vector<std::string> Strings(const json::object& object, std::string_view key) {
  std::vector<std::string> out;
  const json::value* value = object.if_contains(key);
  if (!value || !value->is_array()) return out;
  for (const auto& item : value->as_array()) {
    if (item.is_string()) out.emplace_back(item.as_string());
  }
  return out;
}

json::array IssuesArray(const std::vector<ReportedIssue>& issues) {
  json::array out;
  for (const auto& i : issues) {
    out.push_back({{"code", i.code}, {"message", i.message}, {"hint", i.hint}});
  }
  return out;
}

std::vector<ReportedIssue> ReadIssues(const json::value* value) {
  std::vector<ReportedIssue> issues;
  if (!value || !value->is_array()) return issues;
  for (const auto& item : value->as_array()) {
    if (!item.is_object()) continue;
    const auto& o = item.as_object();
    issues.push_back({String(o, "code"), String(o, "message"), String(o, "hint")});
  }
  return issues;
}

json::array StringArray(const std::vector<std::string>& strings) {
  json::array out;
  for (const auto& s : strings) out.emplace_back(s);
  return out;
}

void PutMismatch(json::object& out, const IdentityMismatch& m) {
  out["fields"] = StringArray(m.fields);
  out["card"] = {{"name", m.card_name}, {"id_number", m.card_id_number}};
  out["registration"] = {{"name", m.registered_name}, {"id_number", m.registered_id_number}};
}

IdentityMismatch MismatchOf(const json::object& o) {
  const auto& card = Object(o, "card");
  const auto& registration = Object(o, "registration");
  return {Strings(o, "fields"), String(card, "name"), String(card, "id_number"),
          String(registration, "name"), String(registration, "id_number")};
}

}  // namespace

std::string WriteCardSide(const CardSideRecord& side) {
  json::object fields;
  for (const auto& [k, v] : side.fields) fields[k] = v;
  json::object confidence;
  for (const auto& [k, v] : side.confidence) confidence[k] = v;
  json::object out{{"uploaded", side.accepted},
                   {"fields", std::move(fields)},
                   {"confidence", std::move(confidence)},
                   {"issues", IssuesArray(side.issues)}};
  if (!side.registration.empty()) {
    json::object registration;
    for (const auto& [k, v] : side.registration) registration[k] = v;
    out["registration"] = std::move(registration);
    out["checked_against"] = {{"name", side.checked_name}, {"id_number", side.checked_id_number}};
  }
  if (!side.boxes.empty()) {
    json::object boxes;
    for (const auto& [k, b] : side.boxes) boxes[k] = {b[0], b[1], b[2], b[3]};
    out["boxes"] = std::move(boxes);
  }
  return json::serialize(out);
}

CardSideRecord ReadCardSide(std::string_view text) {
  const json::object o = Parse(text);
  CardSideRecord side;
  if (const auto* uploaded = o.if_contains("uploaded"); uploaded && uploaded->is_bool()) {
    side.accepted = uploaded->as_bool();
  }
  for (const auto& [k, v] : Object(o, "fields")) {
    if (v.is_string()) side.fields[std::string(k)] = std::string(v.as_string());
  }
  for (const auto& [k, v] : Object(o, "confidence")) {
    if (v.is_number()) side.confidence[std::string(k)] = v.to_number<double>();
  }
  side.issues = ReadIssues(o.if_contains("issues"));
  for (const auto& [k, v] : Object(o, "registration")) {
    if (v.is_string()) side.registration[std::string(k)] = std::string(v.as_string());
  }
  const auto& checked = Object(o, "checked_against");
  side.checked_name = String(checked, "name");
  side.checked_id_number = String(checked, "id_number");
  for (const auto& [k, v] : Object(o, "boxes")) {
    if (!v.is_array() || v.as_array().size() != 4) continue;
    std::array<double, 4> box{};
    bool numbers = true;
    for (size_t i = 0; i < 4; ++i) {
      numbers = numbers && v.as_array()[i].is_number();
      if (numbers) box[i] = v.as_array()[i].to_number<double>();
    }
    if (numbers) side.boxes[std::string(k)] = box;
  }
  return side;
}

std::string WriteMismatch(const IdentityMismatch& mismatch) {
  json::object out;
  PutMismatch(out, mismatch);
  return json::serialize(out);
}

IdentityMismatch ReadMismatch(std::string_view text) { return MismatchOf(Parse(text)); }

std::string WriteVerification(const VerificationResult& result) {
  json::object out{{"status", ToString(result.status)}};
  if (!result.code.empty()) out["code"] = result.code;
  if (result.by_office) out["by"] = "office";
  return json::serialize(out);
}

VerificationResult ReadVerification(std::string_view text) {
  const json::object o = Parse(text);
  VerificationResult result;
  result.status =
      ParseVerificationStatus(String(o, "status")).value_or(VerificationResult::Status::kPending);
  result.code = String(o, "code");
  result.by_office = String(o, "by") == "office";
  return result;
}

std::string WritePhotoReport(const PhotoReport& report) {
  json::value details = nullptr;
  if (!report.details_json.empty()) {
    boost::system::error_code ec;
    details = json::parse(report.details_json, ec);
    if (ec) details = nullptr;
  }
  return json::serialize(json::object{
      {"pass", report.pass}, {"issues", IssuesArray(report.issues)}, {"details", details}});
}

PhotoReport ReadPhotoReport(std::string_view text) {
  PhotoReport report;
  boost::system::error_code ec;
  const json::value value = text.empty() ? json::value() : json::parse(text, ec);
  if (ec) return report;
  if (value.is_array()) {  // the first stored form: the issues alone
    report.issues = ReadIssues(&value);
    return report;
  }
  if (!value.is_object()) return report;
  const auto& o = value.as_object();
  if (const auto* pass = o.if_contains("pass"); pass && pass->is_bool())
    report.pass = pass->as_bool();
  report.issues = ReadIssues(o.if_contains("issues"));
  if (const auto* details = o.if_contains("details"); details && !details->is_null()) {
    report.details_json = json::serialize(*details);
  }
  return report;
}

std::string WriteEventNote(const EventNote& note) {
  json::object out;
  if (note.side) out["side"] = ToString(*note.side);
  if (note.mismatch) {
    PutMismatch(out, *note.mismatch);
  } else if (!note.fields.empty()) {
    out["fields"] = StringArray(note.fields);
  }
  if (note.reset_to) out["to"] = ToString(*note.reset_to);
  if (note.attempt_id) out["attempt"] = *note.attempt_id;
  if (!note.decision.empty()) out["decision"] = note.decision;
  if (note.job_id) out["job"] = *note.job_id;
  if (note.score) out["score"] = *note.score;
  if (!note.reason.empty()) out["reason"] = note.reason;
  return json::serialize(out);
}

EventNote ReadEventNote(std::string_view text) {
  const json::object o = Parse(text);
  EventNote note;
  note.side = ParseCardSide(String(o, "side"));
  if (o.contains("card") || o.contains("registration")) {
    note.mismatch = MismatchOf(o);
  } else {
    note.fields = Strings(o, "fields");
  }
  note.reset_to = ParseCollectionState(String(o, "to"));
  note.attempt_id = Int(o, "attempt");
  note.decision = String(o, "decision");
  note.job_id = Int(o, "job");
  note.score = Number(o, "score");
  note.reason = String(o, "reason");
  return note;
}

}  // namespace examphoto::record_json
