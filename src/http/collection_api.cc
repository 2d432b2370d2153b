#include "http/collection_api.h"

#include "domain/messages.h"
#include "http/responses.h"

namespace examphoto {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

json::array IssuesArray(const std::vector<ReportedIssue>& issues) {
  json::array out;
  for (const auto& i : issues)
    out.push_back({{"code", i.code}, {"message", i.message}, {"hint", i.hint}});
  return out;
}

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

json::object FullCollectionView(const CollectionSnapshot& snapshot) {
  json::object view = CollectionView(snapshot.candidate, snapshot.record);
  if (const auto& attempt = snapshot.attempt) {
    view["photo"] = {
        {"attempt_id", attempt->id},
        {"pass", attempt->passed},
        {"issues", IssuesArray(attempt->issues)},
        {"url", attempt->has_photo
                    ? json::value("/api/v1/me/photos/" + std::to_string(attempt->id) + "/image")
                    : json::value(nullptr)}};
  }
  return view;
}

void CollectionApi::Register(Router& router) {
  // The resume point: the app shows the screen for the state it gets.
  router.Add(http::verb::get, "/api/v1/me", [this](RequestContext& c) {
    return Step(c, [this](int64_t id) { return collections_.Get(id); });
  });
  const RouteOptions upload{.heavy = true, .max_body_bytes = max_upload_bytes_};
  router.Add(
      http::verb::put, "/api/v1/me/id-card/portrait",
      [this](RequestContext& c) { return UploadIdCard(c, CardSide::kPortrait); }, upload);
  router.Add(
      http::verb::put, "/api/v1/me/id-card/emblem",
      [this](RequestContext& c) { return UploadIdCard(c, CardSide::kEmblem); }, upload);
  router.Add(http::verb::get, "/api/v1/me/id-card/{side}/image",
             [this](RequestContext& c) { return CardImage(c); });
  router.Add(http::verb::post, "/api/v1/me/id-card/confirm", [this](RequestContext& c) {
    return Step(c, [this](int64_t id) { return collections_.ConfirmIdentity(id); });
  });
  router.Add(http::verb::post, "/api/v1/me/id-card/reenter", [this](RequestContext& c) {
    return Step(c, [this](int64_t id) { return collections_.ReenterIdCard(id); });
  });
  router.Add(
      http::verb::post, "/api/v1/me/photos", [this](RequestContext& c) { return UploadPhoto(c); },
      upload);
  router.Add(http::verb::get, "/api/v1/me/photos/{id}/image",
             [this](RequestContext& c) { return PhotoImage(c); });
  router.Add(http::verb::post, "/api/v1/me/photo/retake", [this](RequestContext& c) {
    return Step(c, [this](int64_t id) { return collections_.RetakePhoto(id); });
  });
  router.Add(http::verb::post, "/api/v1/me/photo/submit", [this](RequestContext& c) {
    return Step(c, [this](int64_t id) { return collections_.SubmitPhoto(id); });
  });
  router.Add(http::verb::post, "/api/v1/me/verification", [this](RequestContext& c) {
    if (auto candidate = candidates_.RequireCandidate(c); !candidate.ok()) {
      return ErrorResponse(c, candidate.error());
    }
    auto body = ParseJsonObject(c);
    if (!body.ok()) return ErrorResponse(c, body.error());
    const auto* consent = body->if_contains("consent");
    if (!consent || !consent->is_bool() || !consent->as_bool()) {
      return ErrorResponse(c, InvalidField("consent"));
    }
    HttpResponse response =
        Step(c, [this](int64_t id) { return collections_.ConsentAndSubmit(id); });
    if (response.result() == http::status::ok && on_queued_) on_queued_();
    return response;
  });
}

HttpResponse CollectionApi::Step(RequestContext& context,
                                 const std::function<Result<CollectionSnapshot>(int64_t)>& step) {
  auto candidate_id = candidates_.RequireCandidate(context);
  if (!candidate_id.ok()) return ErrorResponse(context, candidate_id.error());
  auto snapshot = step(*candidate_id);
  if (!snapshot.ok()) return ErrorResponse(context, snapshot.error());
  return JsonResponse(context, http::status::ok, FullCollectionView(*snapshot));
}

HttpResponse CollectionApi::UploadIdCard(RequestContext& context, CardSide side) {
  auto candidate_id = candidates_.RequireCandidate(context);
  if (!candidate_id.ok()) return ErrorResponse(context, candidate_id.error());
  if (auto error = CheckImageUpload(context)) return ErrorResponse(context, *error);
  auto result = collections_.UploadIdCardSide(*candidate_id, side, context.request.body());
  if (!result.ok()) return ErrorResponse(context, result.error());
  json::object fields;
  for (const auto& [k, v] : result->reading.fields) fields[k] = v;
  json::object body = FullCollectionView(result->snapshot);
  body["side"] = ToString(side);
  body["fields"] = fields;
  body["issues"] = IssuesArray(result->reading.issues);
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
  auto candidate_id = candidates_.RequireCandidate(context);
  if (!candidate_id.ok()) return ErrorResponse(context, candidate_id.error());
  if (auto error = CheckImageUpload(context)) return ErrorResponse(context, *error);
  auto result = collections_.UploadPhoto(*candidate_id, context.request.body());
  if (!result.ok()) return ErrorResponse(context, result.error());
  json::object body = FullCollectionView(result->snapshot);
  const PhotoAttempt& attempt = result->attempt;
  body["attempt_id"] = attempt.id;
  body["pass"] = attempt.passed;
  body["issues"] = IssuesArray(attempt.issues);
  body["url"] = attempt.has_photo
                    ? json::value("/api/v1/me/photos/" + std::to_string(attempt.id) + "/image")
                    : json::value(nullptr);
  return JsonResponse(context, http::status::ok, body);
}

HttpResponse CollectionApi::CardImage(RequestContext& context) {
  auto candidate_id = candidates_.RequireCandidate(context);
  if (!candidate_id.ok()) return ErrorResponse(context, candidate_id.error());
  const std::string_view side = context.Param("side");
  if (side != "portrait" && side != "emblem") {
    return ErrorResponse(context, MakeError(ErrorKind::kNotFound, "request.not_found"));
  }
  auto image = collections_.CardImage(*candidate_id,
                                      side == "portrait" ? CardSide::kPortrait : CardSide::kEmblem);
  if (!image.ok()) return ErrorResponse(context, image.error());
  return BinaryResponse(context, "image/jpeg", std::move(*image), "private, no-store");
}

HttpResponse CollectionApi::PhotoImage(RequestContext& context) {
  auto candidate_id = candidates_.RequireCandidate(context);
  if (!candidate_id.ok()) return ErrorResponse(context, candidate_id.error());
  int64_t attempt_id = 0;
  try {
    attempt_id = std::stoll(std::string(context.Param("id")));
  } catch (const std::exception&) {
    return ErrorResponse(context, MakeError(ErrorKind::kNotFound, "request.not_found"));
  }
  auto image = collections_.PhotoImage(*candidate_id, attempt_id);
  if (!image.ok()) return ErrorResponse(context, image.error());
  return BinaryResponse(context, "image/jpeg", std::move(*image), "private, no-store");
}

}  // namespace examphoto
