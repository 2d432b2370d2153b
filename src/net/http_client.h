// A small blocking HTTP/1.1 client (Boost.Beast) for the calls examphoto makes to outside
// services: the SMS provider and the identity platform. http:// and https:// (system CA
// store), one request per connection, a deadline covering connect, send and receive.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "domain/result.h"

namespace examphoto {

struct HttpClientRequest {
  std::string method = "POST";
  std::string url;  // http://host:port/path or https://...
  std::map<std::string, std::string> headers;
  std::string body;
  std::chrono::milliseconds timeout{10000};
};

struct HttpClientResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// Errors: net.bad_url (kInvalidInput), net.timeout and net.unreachable (kUnavailable).
Result<HttpClientResponse> SendHttpRequest(const HttpClientRequest& request);

}  // namespace examphoto
