// The error-kind → HTTP status table, and the one error shape with Retry-After.
#include "http/responses.h"

#include <gtest/gtest.h>

#include "domain/messages.h"

namespace examphoto {
namespace {

namespace http = boost::beast::http;

TEST(ErrorKind, MapsEachKindToItsStatus) {
  const std::pair<ErrorKind, http::status> table[] = {
      {ErrorKind::kInvalidInput, http::status::bad_request},
      {ErrorKind::kUnauthenticated, http::status::unauthorized},
      {ErrorKind::kForbidden, http::status::forbidden},
      {ErrorKind::kNotFound, http::status::not_found},
      {ErrorKind::kConflict, http::status::conflict},
      {ErrorKind::kTooLarge, http::status::payload_too_large},
      {ErrorKind::kUnsupported, http::status::unsupported_media_type},
      {ErrorKind::kUnprocessable, http::status::unprocessable_entity},
      {ErrorKind::kRateLimited, http::status::too_many_requests},
      {ErrorKind::kUnavailable, http::status::service_unavailable},
      {ErrorKind::kInternal, http::status::internal_server_error},
  };
  for (const auto& [kind, status] : table) {
    EXPECT_EQ(StatusFor(kind), status) << static_cast<int>(kind);
  }
}

TEST(ErrorResponse, CarriesCodeMessageHintAndRetryAfter) {
  HttpRequest request{http::verb::get, "/", 11};
  RequestContext context{request, "127.0.0.1", "/", "", {}};
  Error error = MakeError(ErrorKind::kRateLimited, "sms.daily_limit");
  error.retry_after_seconds = 42;
  HttpResponse response = ErrorResponse(context, error, {{"extra", 1}});
  EXPECT_EQ(response.result(), http::status::too_many_requests);
  EXPECT_EQ(response[http::field::retry_after], "42");
  EXPECT_EQ(response[http::field::content_type], "application/json; charset=utf-8");
  auto body = boost::json::parse(response.body()).as_object();
  EXPECT_EQ(body.at("extra").as_int64(), 1);
  EXPECT_EQ(body.at("error").at("code").as_string(), "sms.daily_limit");
  EXPECT_EQ(body.at("error").at("message").as_string(), error.message);
  EXPECT_EQ(body.at("error").at("hint").as_string(), error.hint);
  EXPECT_FALSE(ErrorResponse(context, MakeError(ErrorKind::kNotFound, "request.not_found"))
                   .count(http::field::retry_after));
}

}  // namespace
}  // namespace examphoto
