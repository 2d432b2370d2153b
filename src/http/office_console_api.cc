#include "http/office_console_api.h"

#include <spdlog/spdlog.h>

#include "domain/china_time.h"
#include "domain/messages.h"
#include "http/responses.h"
#include "http/views.h"
#include "service/office_poster.h"

namespace examphoto {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

std::optional<int64_t> ParseId(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t value = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return std::nullopt;
    value = value * 10 + (ch - '0');
  }
  return value;
}

json::object StaffJson(const StaffAccount& account) {
  return {{"username", account.username},
          {"role", account.role},
          {"disabled", account.disabled},
          {"created_at", account.created_at}};
}

json::object StepJson(const OfficeStep& step) {
  return {{"state", ToString(step.state)}, {"from", ToString(step.from)}};
}

Error NotFound() { return MakeError(ErrorKind::kNotFound, "request.not_found"); }

// Optional string members of a JSON body; a present member must be a string.
Result<std::optional<std::string>> OptionalString(const json::object& body, std::string_view name) {
  const auto* value = body.if_contains(name);
  if (!value || value->is_null()) return std::optional<std::string>{};
  if (!value->is_string() || value->as_string().size() > 200) return InvalidField(name);
  return std::optional<std::string>(std::string(value->as_string()));
}

std::string ReasonOf(const json::object& body) {
  const auto* reason = body.if_contains("reason");
  return reason && reason->is_string() ? std::string(reason->as_string()) : "";
}

std::string DateStamp(int64_t millis) { return FormatChinaTime(millis, "%Y%m%d-%H%M"); }

HttpResponse Attachment(const RequestContext& context, const std::string& type, std::string body,
                        const std::string& file_name) {
  HttpResponse response = BinaryResponse(context, type, std::move(body), "no-store");
  response.set(http::field::content_disposition, "attachment; filename=\"" + file_name + "\"");
  return response;
}

// HEAD on an export asks for its headers only: the export is neither made nor audited
// (security finding F15). The length is unknown without making it, so none is given.
bool WantsHeadersOnly(const RequestContext& context) {
  return context.request.method() == http::verb::head;
}
HttpResponse HeadersOnly(HttpResponse head) {
  head.erase(http::field::content_length);
  return head;
}

// Sends an export's bytes: streamed in chunks of about 256 KiB when the server can stream
// (nothing but the buffer and one photo is in memory), else gathered into one body.
class ExportBody {
 public:
  ExportBody(RequestContext& context, HttpResponse head)
      : context_(context), head_(std::move(head)) {
    if (context_.begin_stream) write_ = context_.begin_stream(head_);
  }
  // False once the client has gone: the export stops.
  bool Append(std::string_view bytes) {
    buffer_.append(bytes);
    return !write_ || buffer_.size() < kFlushBytes || Flush();
  }
  // The response to return: empty after streaming (the server ignores it), else the whole body.
  HttpResponse Finish() {
    if (write_) {
      Flush();
      return {};
    }
    head_.body() = std::move(buffer_);
    head_.prepare_payload();
    return std::move(head_);
  }
  // After a failure: the error, unless the stream has begun (its status line is sent; the
  // stream just ends, and the client sees an incomplete file).
  HttpResponse Fail(const Error& error) {
    if (write_) return {};
    return ErrorResponse(context_, error);
  }

 private:
  static constexpr size_t kFlushBytes = size_t{256} * 1024;
  bool Flush() {
    if (buffer_.empty()) return true;
    const bool sent = write_(buffer_);
    buffer_.clear();
    return sent;
  }

  RequestContext& context_;
  HttpResponse head_;
  std::function<bool(std::string_view)> write_;
  std::string buffer_;
};

}  // namespace

StaffActor OfficeConsoleApi::Actor(const RequestContext& context) {
  return {context.caller.staff_username, context.caller.staff_role, context.client_ip};
}

void OfficeConsoleApi::Register(Router& router) {
  const std::string base = "/api/v1/office";
  const RouteOptions viewer{.access = Access::kStaffViewer};
  const RouteOptions operator_{.access = Access::kStaffOperator};
  // Exports read the whole roster and many blobs: they run on the worker pool.
  const RouteOptions exporter{.access = Access::kStaffOperator, .heavy = true};
  using http::verb;
  router.Add(verb::get, base + "/auth/me", Bind(this, &OfficeConsoleApi::Me), viewer);
  router.Add(verb::get, base + "/candidates", Bind(this, &OfficeConsoleApi::Search), viewer);
  router.Add(verb::get, base + "/dashboard", Bind(this, &OfficeConsoleApi::Dashboard), viewer);
  router.Add(verb::get, base + "/candidates/{id}", Bind(this, &OfficeConsoleApi::Detail), viewer);
  router.Add(verb::get, base + "/candidates/{id}/images/{kind}/{ref}",
             Bind(this, &OfficeConsoleApi::Image), viewer);
  router.Add(verb::post, base + "/candidates/{id}/correction",
             Bind(this, &OfficeConsoleApi::Correct), operator_);
  router.Add(verb::post, base + "/candidates/{id}/reset", Bind(this, &OfficeConsoleApi::Reset),
             operator_);
  router.Add(verb::post, base + "/candidates/{id}/photo-decision",
             Bind(this, &OfficeConsoleApi::DecidePhoto), operator_);
  router.Add(verb::get, base + "/exports/photos.zip", Bind(this, &OfficeConsoleApi::ExportPhotos),
             exporter);
  router.Add(verb::get, base + "/exports/report.csv",
             Bind(this, &OfficeConsoleApi::ExportReportCsv), exporter);
  router.Add(verb::get, base + "/exports/report.xlsx",
             Bind(this, &OfficeConsoleApi::ExportReportXlsx), exporter);
  router.Add(verb::get, base + "/audit", Bind(this, &OfficeConsoleApi::Audit),
             {.access = Access::kStaffAdmin});
  const RouteOptions admin{.access = Access::kStaffAdmin};
  router.Add(verb::get, base + "/staff", Bind(this, &OfficeConsoleApi::ListStaff), admin);
  router.Add(verb::post, base + "/staff/{username}/disable",
             Bind(this, &OfficeConsoleApi::DisableStaff), admin);
  router.Add(verb::post, base + "/staff/{username}/enable",
             Bind(this, &OfficeConsoleApi::EnableStaff), admin);
  router.Add(verb::delete_, base + "/staff/{username}", Bind(this, &OfficeConsoleApi::RemoveStaff),
             admin);
  router.Add(verb::get, base + "/poster/qr.svg", Bind(this, &OfficeConsoleApi::QrCode), viewer);
  router.Add(verb::get, base + "/poster/poster.svg", Bind(this, &OfficeConsoleApi::Poster), viewer);
}

HttpResponse OfficeConsoleApi::Me(RequestContext& context) {
  const StaffActor actor = Actor(context);
  return JsonResponse(context, http::status::ok,
                      {{"username", actor.username}, {"role", actor.role}});
}

HttpResponse OfficeConsoleApi::Search(RequestContext& context) {
  CandidateSearch search;
  search.query = context.QueryParam("q");
  search.field = context.QueryParam("field");
  search.state = context.QueryParam("state");
  search.after = context.QueryParam("after");
  if (const std::string limit = context.QueryParam("limit"); !limit.empty()) {
    auto value = ParseId(limit);
    if (!value) return ErrorResponse(context, InvalidField("limit"));
    search.limit = static_cast<int>(std::min<int64_t>(*value, 1000));
  }
  auto page = office_.Search(Actor(context), search);
  if (!page.ok()) return ErrorResponse(context, page.error());
  return JsonResponse(context, http::status::ok, views::SearchPage(*page));
}

HttpResponse OfficeConsoleApi::Dashboard(RequestContext& context) {
  int days = 14;
  if (const std::string text = context.QueryParam("days"); !text.empty()) {
    auto value = ParseId(text);
    if (!value || *value < 1 || *value > 366) return ErrorResponse(context, InvalidField("days"));
    days = static_cast<int>(*value);
  }
  auto dashboard = office_.Dashboard(days);
  if (!dashboard.ok()) return ErrorResponse(context, dashboard.error());
  return JsonResponse(context, http::status::ok, views::Dashboard(*dashboard));
}

HttpResponse OfficeConsoleApi::Detail(RequestContext& context) {
  const StaffActor actor = Actor(context);
  auto id = ParseId(context.Param("id"));
  if (!id) return ErrorResponse(context, NotFound());
  auto detail = office_.Detail(actor, *id);
  if (!detail.ok()) return ErrorResponse(context, detail.error());
  return JsonResponse(context, http::status::ok, views::CandidateFile(*detail));
}

HttpResponse OfficeConsoleApi::Image(RequestContext& context) {
  const StaffActor actor = Actor(context);
  auto id = ParseId(context.Param("id"));
  auto ref = ParseId(context.Param("ref"));
  if (!id || !ref) return ErrorResponse(context, NotFound());
  std::optional<int64_t> view;
  if (const std::string text = context.QueryParam("view"); !text.empty()) view = ParseId(text);
  auto image = office_.Image(actor, *id, context.Param("kind"), *ref, view);
  if (!image.ok()) return ErrorResponse(context, image.error());
  return BinaryResponse(context, "image/jpeg", std::move(*image), "private, no-store");
}

HttpResponse OfficeConsoleApi::Correct(RequestContext& context) {
  const StaffActor actor = Actor(context);
  auto id = ParseId(context.Param("id"));
  if (!id) return ErrorResponse(context, NotFound());
  auto body = ParseJsonObject(context);
  if (!body.ok()) return ErrorResponse(context, body.error());
  RecordCorrection correction;
  for (auto [name, target] :
       {std::pair{"name", &correction.name}, std::pair{"id_number", &correction.id_number},
        std::pair{"phone", &correction.phone}}) {
    auto value = OptionalString(*body, name);
    if (!value.ok()) return ErrorResponse(context, value.error());
    *target = std::move(*value);
  }
  auto result = office_.CorrectRecord(actor, *id, correction, ReasonOf(*body));
  if (!result.ok()) return ErrorResponse(context, result.error());
  spdlog::info("office.correct_record actor={} candidate={}", actor.username, *id);
  return JsonResponse(context, http::status::ok,
                      {{"candidate", views::Candidate(result->candidate)},
                       {"state", result->state ? ToString(*result->state) : "not_started"}});
}

HttpResponse OfficeConsoleApi::Reset(RequestContext& context) {
  const StaffActor actor = Actor(context);
  auto id = ParseId(context.Param("id"));
  if (!id) return ErrorResponse(context, NotFound());
  auto body = ParseJsonObject(context);
  if (!body.ok()) return ErrorResponse(context, body.error());
  auto to = RequiredString(*body, "to", 40);
  if (!to.ok()) return ErrorResponse(context, to.error());
  auto result = office_.ResetCollection(actor, *id, *to, ReasonOf(*body));
  if (!result.ok()) return ErrorResponse(context, result.error());
  spdlog::info("office.reset actor={} candidate={} to={}", actor.username, *id, *to);
  return JsonResponse(context, http::status::ok, StepJson(*result));
}

HttpResponse OfficeConsoleApi::DecidePhoto(RequestContext& context) {
  const StaffActor actor = Actor(context);
  auto id = ParseId(context.Param("id"));
  if (!id) return ErrorResponse(context, NotFound());
  auto body = ParseJsonObject(context);
  if (!body.ok()) return ErrorResponse(context, body.error());
  const auto* attempt = body->if_contains("attempt_id");
  if (!attempt || !attempt->is_int64()) return ErrorResponse(context, InvalidField("attempt_id"));
  auto decision = RequiredString(*body, "decision", 20);
  if (!decision.ok()) return ErrorResponse(context, decision.error());
  auto result = office_.DecidePhoto(actor, *id, attempt->as_int64(), *decision, ReasonOf(*body));
  if (!result.ok()) return ErrorResponse(context, result.error());
  spdlog::info("office.photo_decision actor={} candidate={} decision={}", actor.username, *id,
               *decision);
  return JsonResponse(context, http::status::ok, StepJson(*result));
}

HttpResponse OfficeConsoleApi::ExportPhotos(RequestContext& context) {
  const StaffActor actor = Actor(context);
  std::string key = context.QueryParam("key");
  if (key.empty()) key = "id_number";
  if (auto ok = OfficeExport::CheckPhotoKey(key); !ok.ok())
    return ErrorResponse(context, ok.error());
  const std::string session = context.QueryParam("exam_session");
  const int64_t now = clock_.NowMillis();
  HttpResponse head =
      Attachment(context, "application/zip", "", "photos-" + DateStamp(now) + ".zip");
  if (WantsHeadersOnly(context)) return HeadersOnly(std::move(head));
  Status recorded =
      office_.Record(actor, "export_photos",
                     json::serialize(json::object{{"key", key}, {"exam_session", session}}));
  if (!recorded.ok()) return ErrorResponse(context, recorded.error());
  ExportBody body(context, std::move(head));
  auto summary = exports_.WritePhotosZip(
      key, session, now, [&body](std::string_view bytes) { return body.Append(bytes); });
  if (!summary.ok()) return body.Fail(summary.error());
  spdlog::info("office.export_photos actor={} photos={} missing={} bytes={} complete={}",
               actor.username, summary->photos, summary->missing, summary->bytes,
               summary->complete);
  return body.Finish();
}

HttpResponse OfficeConsoleApi::ExportReportCsv(RequestContext& context) {
  return ExportReport(context, false);
}

HttpResponse OfficeConsoleApi::ExportReportXlsx(RequestContext& context) {
  return ExportReport(context, true);
}

HttpResponse OfficeConsoleApi::ListStaff(RequestContext& context) {
  auto accounts = staff_.List();
  if (!accounts.ok()) return ErrorResponse(context, accounts.error());
  json::array items;
  for (const StaffAccount& account : *accounts) items.push_back(StaffJson(account));
  return JsonResponse(context, http::status::ok, json::object{{"items", std::move(items)}});
}

HttpResponse OfficeConsoleApi::DisableStaff(RequestContext& context) {
  auto account = staff_.Disable(Actor(context), context.Param("username"));
  if (!account.ok()) return ErrorResponse(context, account.error());
  return JsonResponse(context, http::status::ok, StaffJson(*account));
}

HttpResponse OfficeConsoleApi::EnableStaff(RequestContext& context) {
  auto account = staff_.Enable(Actor(context), context.Param("username"));
  if (!account.ok()) return ErrorResponse(context, account.error());
  return JsonResponse(context, http::status::ok, StaffJson(*account));
}

HttpResponse OfficeConsoleApi::RemoveStaff(RequestContext& context) {
  Status removed = staff_.Remove(Actor(context), context.Param("username"));
  if (!removed.ok()) return ErrorResponse(context, removed.error());
  return NoContent(context);
}

HttpResponse OfficeConsoleApi::QrCode(RequestContext& context) { return Poster(context, false); }

HttpResponse OfficeConsoleApi::Poster(RequestContext& context) { return Poster(context, true); }

HttpResponse OfficeConsoleApi::ExportReport(RequestContext& context, bool xlsx) {
  const StaffActor actor = Actor(context);
  const int64_t now = clock_.NowMillis();
  const std::string name = "report-" + DateStamp(now) + (xlsx ? ".xlsx" : ".csv");
  const char* type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                          : "text/csv; charset=utf-8";
  if (WantsHeadersOnly(context)) return HeadersOnly(Attachment(context, type, "", name));
  Status recorded = office_.Record(
      actor, "export_report", json::serialize(json::object{{"format", xlsx ? "xlsx" : "csv"}}));
  if (!recorded.ok()) return ErrorResponse(context, recorded.error());
  if (xlsx) {
    auto workbook = exports_.ReportXlsx();
    if (!workbook.ok()) return ErrorResponse(context, workbook.error());
    return Attachment(context, type, std::move(*workbook), name);
  }
  ExportBody body(context, Attachment(context, type, "", name));
  auto rows =
      exports_.WriteReportCsv([&body](std::string_view bytes) { return body.Append(bytes); });
  if (!rows.ok()) return body.Fail(rows.error());
  return body.Finish();
}

HttpResponse OfficeConsoleApi::Audit(RequestContext& context) {
  AuditQuery query;
  query.actor = context.QueryParam("actor");
  query.action = context.QueryParam("action");
  if (const std::string text = context.QueryParam("candidate_id"); !text.empty()) {
    query.candidate_id = ParseId(text);
    if (!query.candidate_id) return ErrorResponse(context, InvalidField("candidate_id"));
  }
  if (const std::string text = context.QueryParam("before"); !text.empty()) {
    query.before_id = ParseId(text);
    if (!query.before_id) return ErrorResponse(context, InvalidField("before"));
  }
  // A date range in epoch milliseconds: from (inclusive) and until (exclusive).
  for (auto [name, target] : {std::pair{"from", &query.from}, std::pair{"until", &query.until}}) {
    if (const std::string text = context.QueryParam(name); !text.empty()) {
      *target = ParseId(text);
      if (!*target) return ErrorResponse(context, InvalidField(name));
    }
  }
  query.limit = 50;
  json::array items;
  auto rows = office_.SearchAudit(query);
  if (!rows.ok()) return ErrorResponse(context, rows.error());
  for (const auto& e : *rows) items.push_back(views::AuditEntry(e));
  json::value next = rows->size() == static_cast<size_t>(query.limit) ? json::value(rows->back().id)
                                                                      : json::value(nullptr);
  return JsonResponse(context, http::status::ok, json::object{{"items", items}, {"next", next}});
}

HttpResponse OfficeConsoleApi::Poster(RequestContext& context, bool poster) {
  std::string url = context.QueryParam("url");
  if (url.empty()) {
    auto host = context.request.find(http::field::host);
    url =
        "http://" + std::string(host == context.request.end() ? "localhost" : host->value()) + "/";
  }
  std::string title = context.QueryParam("title");
  if (title.empty()) title = CatalogueText("text.poster.title");
  if (title.size() > 120) return ErrorResponse(context, InvalidField("title"));
  auto svg = poster ? QrPosterSvg(url, title, office_phone_) : QrCodeSvg(url);
  if (!svg.ok()) return ErrorResponse(context, svg.error());
  return BinaryResponse(context, "image/svg+xml", std::move(*svg), "private, no-store");
}

}  // namespace examphoto
