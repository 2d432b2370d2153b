#include "http/responses.h"

#include "domain/messages.h"

namespace examphoto {

namespace http = boost::beast::http;

http::status StatusFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput:
      return http::status::bad_request;
    case ErrorKind::kUnauthenticated:
      return http::status::unauthorized;
    case ErrorKind::kForbidden:
      return http::status::forbidden;
    case ErrorKind::kNotFound:
      return http::status::not_found;
    case ErrorKind::kConflict:
      return http::status::conflict;
    case ErrorKind::kTooLarge:
      return http::status::payload_too_large;
    case ErrorKind::kUnsupported:
      return http::status::unsupported_media_type;
    case ErrorKind::kUnprocessable:
      return http::status::unprocessable_entity;
    case ErrorKind::kRateLimited:
      return http::status::too_many_requests;
    case ErrorKind::kUnavailable:
      return http::status::service_unavailable;
    case ErrorKind::kInternal:
      return http::status::internal_server_error;
  }
  return http::status::internal_server_error;
}

HttpResponse JsonResponse(const RequestContext& context, http::status status,
                          const boost::json::value& body) {
  HttpResponse response{status, context.request.version()};
  response.set(http::field::content_type, "application/json; charset=utf-8");
  response.set(http::field::cache_control, "no-store");
  response.body() = boost::json::serialize(body);
  response.prepare_payload();
  return response;
}

boost::json::object ErrorJson(const Error& error) {
  return {{"code", error.code}, {"message", error.message}, {"hint", error.hint}};
}

HttpResponse ErrorResponse(const RequestContext& context, const Error& error,
                           boost::json::object extra) {
  extra["error"] = ErrorJson(error);
  HttpResponse response = JsonResponse(context, StatusFor(error.kind), extra);
  if (error.retry_after_seconds > 0) {
    response.set(http::field::retry_after, std::to_string(error.retry_after_seconds));
  }
  return response;
}

HttpResponse ErrorResponse(const RequestContext& context, const Error& error) {
  return ErrorResponse(context, error, {});
}

HttpResponse NoContent(const RequestContext& context) {
  HttpResponse response{http::status::no_content, context.request.version()};
  response.set(http::field::cache_control, "no-store");
  response.prepare_payload();
  return response;
}

HttpResponse BinaryResponse(const RequestContext& context, const std::string& content_type,
                            std::string body, const std::string& cache_control) {
  HttpResponse response{http::status::ok, context.request.version()};
  response.set(http::field::content_type, content_type);
  response.set(http::field::cache_control, cache_control);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Error InvalidField(std::string_view name) {
  Error error = MakeError(ErrorKind::kInvalidInput, "request.invalid_field");
  error.message = FormatMessage(error.message, "field", name);
  return error;
}

Result<boost::json::object> ParseJsonObject(const RequestContext& context) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(context.request.body(), ec);
  if (ec || !value.is_object()) {
    return MakeError(ErrorKind::kInvalidInput, "request.malformed_json",
                     ec ? ec.message() : "not an object");
  }
  return std::move(value.as_object());
}

Result<std::string> RequiredString(const boost::json::object& object, std::string_view name,
                                   size_t max_length) {
  const boost::json::value* value = object.if_contains(name);
  if (!value || !value->is_string() || value->as_string().size() > max_length) {
    return InvalidField(name);
  }
  return std::string(value->as_string());
}

std::string BearerToken(const RequestContext& context) {
  auto it = context.request.find(http::field::authorization);
  if (it == context.request.end()) return {};
  std::string_view value = it->value();
  constexpr std::string_view kPrefix = "Bearer ";
  if (value.size() <= kPrefix.size() || value.substr(0, kPrefix.size()) != kPrefix) return {};
  return std::string(value.substr(kPrefix.size()));
}

}  // namespace examphoto
