// libFuzzer target: the JSON request bodies of the API: Boost.JSON's parser through
// ParseJsonObject (the one entry every handler uses), then the field readers the handlers
// apply to the result.
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/responses.h"

using namespace examphoto;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  HttpRequest request{boost::beast::http::verb::post, "/api/v1/auth/login", 11};
  request.body().assign(reinterpret_cast<const char*>(data), size);
  RequestContext context{request, "127.0.0.1", "/api/v1/auth/login", "", {}};
  auto object = ParseJsonObject(context);
  if (!object.ok()) {
    if (object.error().code != "request.malformed_json") __builtin_trap();
    return 0;
  }
  for (const char* name : {"phone", "code", "username", "password", "agreements"}) {
    (void)RequiredString(*object, name, 32);
  }
  // Round trip: what we parsed serialises and parses back to the same value.
  const std::string again = boost::json::serialize(*object);
  if (boost::json::parse(again) != boost::json::value(*object)) __builtin_trap();
  return 0;
}
