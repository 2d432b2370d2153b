// Maps a method and a path to a handler. Patterns are literal segments and {name}
// parameters ("/api/v1/me/photos/{id}/image"); the pattern itself is the route's label in
// metrics and logs, so ids never explode the metric series.
//
// A route declares what it needs where it is registered (RouteOptions): who may call it,
// the largest body, which pool runs it. The router checks the caller before the handler
// runs, so a handler starts with its own logic and finds the caller in the context.
#pragma once

#include <boost/beast/http.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/result.h"

namespace examphoto {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Who may call a route.
enum class Access {
  kPublic,         // anyone
  kCandidate,      // a candidate's session (SMS login)
  kStaffViewer,    // a staff session of any role
  kStaffOperator,  // operator or admin
  kStaffAdmin,     // admin only
};

// The caller of a route that is not public, as the router established it.
struct Caller {
  int64_t candidate_id = 0;    // kCandidate
  std::string staff_username;  // kStaff*
  std::string staff_role;
};

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

  // Who called, for routes that are not kPublic (set before the handler runs).
  Caller caller = {};

  std::string_view Param(std::string_view name) const;
  // The value of a query parameter (not URL-decoded beyond %XX and '+'), "" when absent.
  std::string QueryParam(std::string_view name) const;
};

using Handler = std::function<HttpResponse(RequestContext&)>;

// The handler `method` of `api`, for Router::Add.
template <typename Api>
Handler Bind(Api* api, HttpResponse (Api::*method)(RequestContext&)) {
  return [api, method](RequestContext& context) { return (api->*method)(context); };
}

struct RouteOptions {
  Access access = Access::kPublic;
  // Handlers that take long (image processing) run on the worker pool, not an I/O thread.
  bool heavy = false;
  // Largest body accepted for this route.
  size_t max_body_bytes = size_t{64} * 1024;
  // Handlers that wait on another service (the SMS provider) rather than the CPU: off the I/O
  // threads too, but on a small pool of their own, so that they never queue behind image work.
  bool waits_on_network = false;
};

// Establishes the caller of a request for a route's access: the candidate or staff member
// of the bearer token, or the error to answer (401 without a live session, 403 for the
// wrong kind of session or too small a role).
class AccessControl {
 public:
  virtual ~AccessControl() = default;
  virtual Result<Caller> Check(const RequestContext& context, Access access) const = 0;
};

// Turns an error into the response every endpoint answers with (responses.h).
using ErrorResponder = std::function<HttpResponse(const RequestContext&, const Error&)>;

struct Route {
  boost::beast::http::verb method;
  std::string pattern;
  std::vector<std::string> segments;
  Handler handler;  // checks the access, then runs the registered handler
  RouteOptions options;
};

class Router {
 public:
  // `access` answers for every route that is not public (nullptr: only public routes may be
  // added); `on_error` shapes its refusals.
  explicit Router(const AccessControl* access = nullptr, ErrorResponder on_error = {});

  void Add(boost::beast::http::verb method, const std::string& pattern, Handler handler,
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
  const AccessControl* access_;
  ErrorResponder on_error_;
  std::vector<Route> routes_;
};

}  // namespace examphoto
