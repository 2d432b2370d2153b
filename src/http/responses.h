// Building responses: JSON bodies, the error shape every endpoint shares
// ({"error": {"code", "message", "hint"}}), and reading JSON request bodies with errors
// that name the field at fault.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "domain/result.h"
#include "http/router.h"

namespace examphoto {

boost::beast::http::status StatusFor(ErrorKind kind);

HttpResponse JsonResponse(const RequestContext& context, boost::beast::http::status status,
                          const boost::json::value& body);
HttpResponse ErrorResponse(const RequestContext& context, const Error& error);
// An error response with extra members next to "error" (e.g. the photo's issues).
HttpResponse ErrorResponse(const RequestContext& context, const Error& error,
                           boost::json::object extra);
HttpResponse NoContent(const RequestContext& context);
HttpResponse BinaryResponse(const RequestContext& context, const std::string& content_type,
                            std::string body, const std::string& cache_control = "no-store");

boost::json::object ErrorJson(const Error& error);

// The request body as a JSON object; request.malformed_json when it is not one.
Result<boost::json::object> ParseJsonObject(const RequestContext& context);
// A required string member; request.invalid_field naming `name` when missing or not a string.
Result<std::string> RequiredString(const boost::json::object& object, std::string_view name,
                                   size_t max_length = 200);
Error InvalidField(std::string_view name);

// The bearer token of the Authorization header, "" when there is none.
std::string BearerToken(const RequestContext& context);

}  // namespace examphoto
