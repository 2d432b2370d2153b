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
  // What we parsed serialises to JSON that parses back to an object with the same members
  // (numbers may differ in the last bit: Boost 1.81 parses doubles fast, not exactly).
  const std::string again = boost::json::serialize(*object);
  boost::system::error_code again_ec;
  const boost::json::value reparsed = boost::json::parse(again, again_ec);
  if (again_ec || !reparsed.is_object() || reparsed.as_object().size() != object->size())
    __builtin_trap();
  return 0;
}
