// The HTTP/1.1 server (Boost.Beast over Asio): keep-alive connections on a few I/O threads,
// heavy handlers (image processing) on a separate worker pool with a bounded queue, per-
// route body limits checked before the body is read, timeouts for slow clients, metrics
// and an access log for every request, and a graceful stop: on RequestStop it stops
// accepting, lets in-flight requests finish within the grace period, closes idle
// connections, then returns from Run(). Signals are the caller's (app/shutdown_signals.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "domain/config_section.h"
#include "http/metrics.h"
#include "http/router.h"

namespace examphoto {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;
  int io_threads = 2;
  int worker_threads = 2;
  // Heavy requests waiting for a worker beyond this are refused with 503 + Retry-After.
  int max_queued_heavy = 64;
  // Threads and queue bound for the routes that wait on the network (RouteOptions).
  int network_wait_threads = 4;
  int max_queued_network_waits = 256;
  int max_connections = 10000;
  // Open connections from one address; more are closed at once. Generous, because whole
  // schools and mobile carriers' NAT share one address; the proxies in trusted_proxies (when
  // trust_forwarded_for is on) are not counted.
  int max_connections_per_client = 256;
  std::chrono::seconds header_timeout{30};  // also the keep-alive idle limit
  std::chrono::seconds body_timeout{120};   // a 10 MB photo over a weak mobile link
  // Sending a response; for a streamed export, the longest the client may read nothing.
  std::chrono::seconds write_timeout{60};
  std::chrono::seconds shutdown_grace{30};
  bool trust_forwarded_for = false;  // take the client address from X-Forwarded-For
  // ... and only from these peers (the proxies in front), read from the right.
  std::vector<std::string> trusted_proxies{"127.0.0.1", "::1"};
  bool access_log = true;
  // The top-level "listen" (HOST:PORT, [::1]:PORT) and section "http" of `root`.
  static Result<HttpServerOptions> FromConfig(const ConfigSection& root);
};

// Answers requests that match no route (the web app's static files); may be empty.
using FallbackHandler = std::function<HttpResponse(RequestContext&)>;

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, const Router& router, Metrics& metrics,
             FallbackHandler fallback);
  ~HttpServer();

  // Binds the address; throws std::system_error when it cannot (port in use, ...).
  void Bind();
  // The port actually bound (useful with port 0).
  uint16_t port() const;
  // Serves until a stop is requested and the drain is done; returns after every handler has
  // returned. A stop requested before Run() takes effect as soon as it starts.
  void Run();
  // Thread-safe. RequestStop drains; RequestStopNow (a second signal) ends the drain at once:
  // it closes the connections, waits only for handlers already running, and Run() returns.
  void RequestStop();
  void RequestStopNow();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace examphoto
