#include "http/collection_api.h"

#include <charconv>

#include "domain/messages.h"
#include "http/responses.h"
#include "http/views.h"

namespace examphoto {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

// Uploads must say they are images; the bytes are sniffed again by the decoder, so a
// mislabelled JPEG still works, but a JSON or form body is refused with a clear reason.
std::optional<Error> CheckImageUpload(const RequestContext& context) {
  auto type = context.request.find(http::field::content_type);
  std::string_view value = type == context.request.end() ? "" : type->value();
  if (value.rfind("image/", 0) != 0 && value.rfind("application/octet-stream", 0) != 0) {
    return MakeError(ErrorKind::kUnsupported, "request.unsupported_media_type",
                     "content-type " + std::string(value));
  }
  if (context.request.body().empty()) return InvalidField("body");
  return std::nullopt;
}

}  // namespace

Result<CollectionApiOptions> CollectionApiOptions::FromConfig(const ConfigSection& section) {
  CollectionApiOptions options;
  int64_t bytes = static_cast<int64_t>(options.max_upload_bytes);
  Status read = section.Read("max_upload_bytes", bytes, 1, 1LL << 40);
  if (!read.ok()) return read.error();
  options.max_upload_bytes = static_cast<size_t>(bytes);
  return options;
}

void CollectionApi::Register(Router& router) {
  const RouteOptions step{.access = Access::kCandidate};
  const RouteOptions upload{
      .access = Access::kCandidate, .heavy = true, .max_body_bytes = max_upload_bytes_};
  // The resume point: the app shows the screen for the state it gets.
  router.Add(http::verb::get, "/api/v1/me", Bind(this, &CollectionApi::Me), step);
  router.Add(http::verb::put, "/api/v1/me/id-card/portrait",
             Bind(this, &CollectionApi::UploadPortraitSide), upload);
  router.Add(http::verb::put, "/api/v1/me/id-card/emblem",
             Bind(this, &CollectionApi::UploadEmblemSide), upload);
  router.Add(http::verb::get, "/api/v1/me/id-card/{side}/image",
             Bind(this, &CollectionApi::CardImage), step);
  router.Add(http::verb::post, "/api/v1/me/id-card/confirm",
             Bind(this, &CollectionApi::ConfirmIdentity), step);
  router.Add(http::verb::post, "/api/v1/me/id-card/reenter",
             Bind(this, &CollectionApi::ReenterIdCard), step);
  router.Add(http::verb::post, "/api/v1/me/photos", Bind(this, &CollectionApi::UploadPhoto),
             upload);
  router.Add(http::verb::get, "/api/v1/me/photos/{id}/image",
             Bind(this, &CollectionApi::PhotoImage), step);
  router.Add(http::verb::post, "/api/v1/me/photo/retake", Bind(this, &CollectionApi::RetakePhoto),
             step);
  router.Add(http::verb::post, "/api/v1/me/photo/submit", Bind(this, &CollectionApi::SubmitPhoto),
             step);
  router.Add(http::verb::post, "/api/v1/me/verification",
             Bind(this, &CollectionApi::ConsentAndSubmit), step);
}

HttpResponse CollectionApi::Respond(RequestContext& context,
                                    const Result<CollectionSnapshot>& step) {
  if (!step.ok()) return ErrorResponse(context, step.error());
  return JsonResponse(context, http::status::ok, views::Collection(*step));
}

HttpResponse CollectionApi::Me(RequestContext& context) {
  return Respond(context, collections_.Get(context.caller.candidate_id));
}

HttpResponse CollectionApi::UploadPortraitSide(RequestContext& context) {
  return UploadIdCard(context, CardSide::kPortrait);
}

HttpResponse CollectionApi::UploadEmblemSide(RequestContext& context) {
  return UploadIdCard(context, CardSide::kEmblem);
}

HttpResponse CollectionApi::ConfirmIdentity(RequestContext& context) {
  return Respond(context, collections_.ConfirmIdentity(context.caller.candidate_id));
}

HttpResponse CollectionApi::ReenterIdCard(RequestContext& context) {
  return Respond(context, collections_.ReenterIdCard(context.caller.candidate_id));
}

HttpResponse CollectionApi::RetakePhoto(RequestContext& context) {
  return Respond(context, collections_.RetakePhoto(context.caller.candidate_id));
}

HttpResponse CollectionApi::SubmitPhoto(RequestContext& context) {
  return Respond(context, collections_.SubmitPhoto(context.caller.candidate_id));
}

HttpResponse CollectionApi::ConsentAndSubmit(RequestContext& context) {
  auto body = ParseJsonObject(context);
  if (!body.ok()) return ErrorResponse(context, body.error());
  const auto* consent = body->if_contains("consent");
  if (!consent || !consent->is_bool() || !consent->as_bool()) {
    return ErrorResponse(context, InvalidField("consent"));
  }
  auto submitted = collections_.ConsentAndSubmit(context.caller.candidate_id);
  if (submitted.ok() && on_queued_) on_queued_();
  return Respond(context, submitted);
}

HttpResponse CollectionApi::UploadIdCard(RequestContext& context, CardSide side) {
  if (auto error = CheckImageUpload(context)) return ErrorResponse(context, *error);
  auto result =
      collections_.UploadIdCardSide(context.caller.candidate_id, side, context.request.body());
  if (!result.ok()) return ErrorResponse(context, result.error());
  json::object fields;
  for (const auto& [k, v] : result->reading.fields) fields[k] = v;
  json::object body = views::Collection(result->snapshot);
  body["side"] = ToString(side);
  body["fields"] = fields;
  body["issues"] = views::Issues(result->reading.issues);
  json::object registration;
  for (const auto& [k, v] : result->reading.registration) registration[k] = v;
  body["registration"] = registration;
  if (!result->accepted) {
    const ReportedIssue first = result->reading.issues.empty()
                                    ? ReportedIssue{"idcard.not_found", "", ""}
                                    : result->reading.issues.front();
    Error error = MakeError(ErrorKind::kUnprocessable, first.code);
    if (!first.message.empty()) {
      error.message = first.message;
      error.hint = first.hint;
    }
    return ErrorResponse(context, error, std::move(body));
  }
  return JsonResponse(context, http::status::ok, body);
}

HttpResponse CollectionApi::UploadPhoto(RequestContext& context) {
  if (auto error = CheckImageUpload(context)) return ErrorResponse(context, *error);
  auto result = collections_.UploadPhoto(context.caller.candidate_id, context.request.body());
  if (!result.ok()) return ErrorResponse(context, result.error());
  json::object body = views::Collection(result->snapshot);
  const PhotoAttemptRecord& attempt = result->attempt;
  body["attempt_id"] = attempt.id;
  body["pass"] = attempt.passed;
  body["issues"] = views::Issues(attempt.report.issues);
  body["url"] = views::CandidatePhotoUrl(attempt);
  return JsonResponse(context, http::status::ok, body);
}

HttpResponse CollectionApi::CardImage(RequestContext& context) {
  const std::string_view side = context.Param("side");
  if (side != "portrait" && side != "emblem") {
    return ErrorResponse(context, MakeError(ErrorKind::kNotFound, "request.not_found"));
  }
  auto image = collections_.CardImage(context.caller.candidate_id,
                                      side == "portrait" ? CardSide::kPortrait : CardSide::kEmblem);
  if (!image.ok()) return ErrorResponse(context, image.error());
  return BinaryResponse(context, "image/jpeg", std::move(*image), "private, no-store");
}

HttpResponse CollectionApi::PhotoImage(RequestContext& context) {
  // Digits only: "12abc", " 12", "+12" or "12/../x" name no photo.
  const std::string_view id = context.Param("id");
  int64_t attempt_id = 0;
  const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), attempt_id);
  if (id.empty() || id.front() == '-' || error != std::errc() || end != id.data() + id.size()) {
    return ErrorResponse(context, MakeError(ErrorKind::kNotFound, "request.not_found"));
  }
  auto image = collections_.PhotoImage(context.caller.candidate_id, attempt_id);
  if (!image.ok()) return ErrorResponse(context, image.error());
  return BinaryResponse(context, "image/jpeg", std::move(*image), "private, no-store");
}

}  // namespace examphoto
