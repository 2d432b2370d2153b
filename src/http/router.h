// Maps a method and a path to a handler. Patterns are literal segments and {name}
// parameters ("/api/v1/me/photos/{id}/image"); the pattern itself is the route's label in
// metrics and logs, so ids never explode the metric series.
#pragma once

#include <boost/beast/http.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace examphoto {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

struct RequestContext {
  const HttpRequest& request;
  std::string client_ip;
  std::string_view path;   // without the query string
  std::string_view query;  // after '?', may be empty
  std::vector<std::pair<std::string, std::string>> path_params;

  // Set by the server for heavy routes that may stream (exports): sends `head` at once with
  // chunked transfer encoding and returns a sink for the body's pieces, which answers false
  // once the client has gone. After a handler called it, the server sends nothing more than
  // the final chunk and ignores the handler's return value. Empty when streaming is not
  // available; handlers then build the whole body.
  std::function<std::function<bool(std::string_view)>(HttpResponse head)> begin_stream = {};
  bool streamed = false;

  std::string_view Param(std::string_view name) const;
  // The value of a query parameter (not URL-decoded beyond %XX and '+'), "" when absent.
  std::string QueryParam(std::string_view name) const;
};

using Handler = std::function<HttpResponse(RequestContext&)>;

struct RouteOptions {
  // Handlers that take long (image processing) run on the worker pool, not an I/O thread.
  bool heavy = false;
  // Largest body accepted for this route.
  size_t max_body_bytes = 64 * 1024;
  // Handlers that wait on another service (the SMS provider) rather than the CPU: off the I/O
  // threads too, but on a small pool of their own, so that they never queue behind image work.
  bool waits_on_network = false;
};

struct Route {
  boost::beast::http::verb method;
  std::string pattern;
  std::vector<std::string> segments;
  Handler handler;
  RouteOptions options;
};

class Router {
 public:
  void Add(boost::beast::http::verb method, std::string pattern, Handler handler,
           RouteOptions options = {});

  struct Match {
    const Route* route = nullptr;
    bool path_known = false;  // some route has this path, with another method (405)
    std::string allowed;      // those methods, for the Allow header ("GET, POST")
    std::vector<std::pair<std::string, std::string>> params;
  };
  // Only the canonical spelling of a path matches: no empty segment ("//"), no trailing '/'.
  Match Find(boost::beast::http::verb method, std::string_view path) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace examphoto
