#include "http/http_server.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "domain/log_text.h"
#include "domain/messages.h"
#include "http/client_address.h"
#include "http/responses.h"
#include "http/security_headers.h"

namespace examphoto {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr size_t kHeaderLimit = size_t{16} * 1024;

// Runs a handler and turns what escapes it into a 500; the details go to the log only. (An
// outage of the database is not an exception here: the services answer it as an Error.)
HttpResponse RunHandler(const Handler& handler, RequestContext& context) {
  try {
    return handler(context);
  } catch (const std::exception& e) {
    spdlog::error("request.failed path={} error={}", LogValue(context.path), LogValue(e.what()));
    return ErrorResponse(context, MakeError(ErrorKind::kInternal, "internal.error"));
  }
}

// Sends all of `bytes` on a connected socket from a worker thread, waiting at most
// `stall_limit` each time the peer's window is full: a client that stops reading an export
// gives up its worker thread after that long instead of holding it for ever.
bool SendWithin(int fd, std::string_view bytes, std::chrono::milliseconds stall_limit) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent > 0) {
      bytes.remove_prefix(static_cast<size_t>(sent));
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd ready{fd, POLLOUT, 0};
      const int polled = ::poll(&ready, 1, static_cast<int>(stall_limit.count()));
      if (polled < 0 && errno == EINTR) continue;
      if (polled <= 0) return false;
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace

// Each connection holds a descriptor, and the default soft limit (1024) is far below what
// http.max_connections allows: take what the hard limit gives, and say when it is too low.
static void RaiseOpenFileLimit(int max_connections) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  const auto needed = static_cast<rlim_t>(max_connections) + 64;  // files, database, logs
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    spdlog::warn(
        "server.open_files_limit limit={} needed={} (raise LimitNOFILE, or lower "
        "http.max_connections; new connections wait while descriptors are short)",
        limit.rlim_cur, needed);
  } else {
    spdlog::info("server.open_files_limit limit={}", limit.rlim_cur);
  }
}

class HttpServer::Impl {
 public:
  class Session;

  Impl(HttpServerOptions options, const Router& router, Metrics& metrics, FallbackHandler fallback)
      : options_(std::move(options)),
        router_(router),
        metrics_(metrics),
        fallback_(std::move(fallback)),
        io_(options_.io_threads),
        acceptor_(io_),
        workers_(static_cast<size_t>(options_.worker_threads)),
        network_waiters_(static_cast<size_t>(options_.network_wait_threads)) {}

  void Bind() {
    RaiseOpenFileLimit(options_.max_connections);
    tcp::endpoint endpoint(asio::ip::make_address(options_.address), options_.port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
  }

  uint16_t port() const { return acceptor_.local_endpoint().port(); }

  void Run() {
    Accept();
    std::vector<std::thread> threads;
    for (int i = 1; i < options_.io_threads; ++i) threads.emplace_back([this] { io_.run(); });
    io_.run();
    for (auto& t : threads) t.join();
    workers_.join();
    network_waiters_.join();
  }

  void RequestStop() {
    asio::post(io_, [this] { BeginStop(); });
  }

  void RequestStopNow() {
    asio::post(io_, [this] {
      BeginStop();
      drain_deadline_ = std::chrono::steady_clock::now();
      CloseSessions(/*idle_only=*/false);
    });
  }

 private:
  void Accept();

  // Runs on an I/O thread (posted by RequestStop / RequestStopNow).
  void BeginStop() {
    if (stopping_.exchange(true)) return;
    beast::error_code ignored;
    acceptor_.close(ignored);
    CloseSessions(/*idle_only=*/true);
    // Wait for in-flight requests, up to the grace period (or until RequestStopNow moves the
    // deadline), then stop the loop.
    auto timer = std::make_shared<asio::steady_timer>(io_);
    drain_deadline_ = std::chrono::steady_clock::now() + options_.shutdown_grace;
    auto poll = std::make_shared<std::function<void()>>();
    *poll = [this, timer, poll] {
      CloseSessions(/*idle_only=*/true);
      if (SessionCount() == 0 || std::chrono::steady_clock::now() >= drain_deadline_) {
        spdlog::info("server.stopped open_connections={}", SessionCount());
        io_.stop();
        *poll = nullptr;
        return;
      }
      timer->expires_after(std::chrono::milliseconds(50));
      timer->async_wait([poll](beast::error_code) {
        if (*poll) (*poll)();
      });
    };
    (*poll)();
  }

  void Register(const std::shared_ptr<Session>& session);
  void Unregister(Session* session, const std::string& peer) {
    std::lock_guard lock(sessions_mutex_);
    if (sessions_.erase(session) == 0) return;
    auto it = connections_per_peer_.find(peer);
    if (it != connections_per_peer_.end() && --it->second == 0) connections_per_peer_.erase(it);
  }
  int ConnectionsFrom(const std::string& peer) {
    std::lock_guard lock(sessions_mutex_);
    auto it = connections_per_peer_.find(peer);
    return it == connections_per_peer_.end() ? 0 : it->second;
  }
  void LogAcceptFailure(const beast::error_code& ec);
  void LogRefusedConnection(const std::string& peer);
  bool IsTrustedProxy(const std::string& peer) const;
  size_t SessionCount() {
    std::lock_guard lock(sessions_mutex_);
    return sessions_.size();
  }
  // Closes the connections that wait for a next request, or all but those streaming an
  // export from a worker thread (which end when their handler returns).
  void CloseSessions(bool idle_only);

  HttpServerOptions options_;
  const Router& router_;
  Metrics& metrics_;
  FallbackHandler fallback_;
  // Declared before io_ so that they outlive it: sessions still open when the grace period
  // ends are destroyed with io_'s pending handlers, and unregister themselves then.
  std::mutex sessions_mutex_;
  std::set<Session*> sessions_;
  std::map<std::string, int> connections_per_peer_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  // The accept loop's state; used on the acceptor's handlers only, which never run at once.
  asio::steady_timer accept_timer_{io_};
  std::chrono::milliseconds accept_backoff_{0};
  static constexpr auto kLogInterval = std::chrono::seconds(10);
  std::chrono::steady_clock::time_point last_accept_log_{}, last_refused_log_{};
  int64_t accept_failures_ = 0, refused_connections_ = 0;
  asio::thread_pool workers_;
  asio::thread_pool network_waiters_;
  std::atomic<bool> stopping_{false};
  std::chrono::steady_clock::time_point drain_deadline_;  // used on I/O threads only
  std::atomic<int> queued_heavy_{0};
  std::atomic<int> queued_network_waits_{0};
};

class HttpServer::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Impl& server, tcp::socket socket, std::string peer)
      : server_(server), stream_(std::move(socket)), peer_ip_(std::move(peer)) {}
  ~Session() { server_.Unregister(this, peer_ip_); }
  const std::string& peer() const { return peer_ip_; }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // Called from any thread: closes the connection if it waits for a next request (or, with
  // idle_only false, unless a worker thread streams on it).
  void CloseSoon(bool idle_only) {
    asio::post(stream_.get_executor(), [self = shared_from_this(), idle_only] {
      if (idle_only ? self->idle_.load() : !self->streaming_.load()) {
        beast::error_code ignored;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        self->stream_.close();
      }
    });
  }

 private:
  void ReadHeader() {
    header_parser_.emplace();
    header_parser_->header_limit(kHeaderLimit);
    // Beast refuses a Content-Length over 1 MB already while reading the header (and we
    // would close without an answer); the route's own limit is checked in OnHeader.
    header_parser_->body_limit(boost::none);
    idle_ = true;
    if (server_.stopping_) {
      Close();
      return;
    }
    stream_.expires_after(server_.options_.header_timeout);
    http::async_read_header(
        stream_, buffer_, *header_parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    idle_ = false;
    if (ec) {
      if (ec == http::error::header_limit) {
        started_ = std::chrono::steady_clock::now();
        server_.metrics_.RequestStarted();
        RespondEarly(http::status::request_header_fields_too_large, "request.headers_too_large");
        return;
      }
      Close();  // end of stream, timeout or garbage: nothing to answer
      return;
    }
    started_ = std::chrono::steady_clock::now();
    server_.metrics_.RequestStarted();
    const auto& header = header_parser_->get();
    std::string_view target = header.target();
    const size_t question = target.find('?');
    match_ = server_.router_.Find(header.method(), target.substr(0, question));
    size_t limit = match_.route ? match_.route->options.max_body_bytes : size_t{64} * 1024;
    if (header.has_content_length() && header_parser_->content_length().value_or(0) > limit) {
      RespondEarly(http::status::payload_too_large, "request.body_too_large");
      return;
    }
    body_parser_.emplace(std::move(*header_parser_));
    body_parser_->body_limit(limit);
    stream_.expires_after(server_.options_.body_timeout);
    http::async_read(
        stream_, buffer_, *body_parser_,
        [self = shared_from_this()](beast::error_code read_ec, size_t) { self->OnBody(read_ec); });
  }

  // Answers without reading the body (too large, bad header); the connection then closes.
  void RespondEarly(http::status status, const char* code) {
    HttpRequest placeholder;
    RequestContext context{placeholder, peer_ip_, "", "", {}};
    Error error = MakeError(
        status == http::status::payload_too_large ? ErrorKind::kTooLarge : ErrorKind::kInvalidInput,
        code);
    HttpResponse response = ErrorResponse(context, error);
    response.result(status);
    response.keep_alive(false);
    route_label_ = match_.route ? match_.route->pattern : "unmatched";
    method_ = "?";
    body_unread_ = true;
    Write(std::move(response), false);
  }

  void OnBody(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      RespondEarly(http::status::payload_too_large, "request.body_too_large");
      return;
    }
    if (ec) {
      server_.metrics_.RequestFinished("?", "aborted", 499,
                                       std::chrono::steady_clock::now() - started_);
      Close();
      return;
    }
    request_ = body_parser_->release();
    method_ = std::string(request_.method_string());
    std::string_view target = request_.target();
    const size_t question = target.find('?');
    path_ = std::string(target.substr(0, question));
    query_ = question == std::string_view::npos ? "" : std::string(target.substr(question + 1));
    client_ip_ = peer_ip_;
    if (server_.options_.trust_forwarded_for) {
      std::string forwarded;  // several header lines count as one comma-separated list
      const auto [first, last] = request_.equal_range("X-Forwarded-For");
      for (auto field = first; field != last; ++field) {
        if (!forwarded.empty()) forwarded += ',';
        forwarded += field->value();
      }
      client_ip_ = ClientAddress(peer_ip_, forwarded, server_.options_.trusted_proxies);
    }
    const bool keep_alive = request_.keep_alive();
    if (!match_.route) {
      // Unknown /api/ paths are answered 404 here, not by the static files: label them so.
      const bool static_file = server_.fallback_ && path_.rfind("/api/", 0) != 0;
      route_label_ =
          match_.path_known ? "method_not_allowed" : (static_file ? "static" : "not_found");
      RequestContext context{request_, client_ip_, path_, query_, {}};
      HttpResponse response;
      if (match_.path_known) {
        response = ErrorResponse(context,
                                 MakeError(ErrorKind::kInvalidInput, "request.method_not_allowed"));
        response.result(http::status::method_not_allowed);
        response.set(http::field::allow, match_.allowed);
      } else if (static_file) {
        response = RunHandler(server_.fallback_, context);
      } else {
        response = ErrorResponse(context, MakeError(ErrorKind::kNotFound, "request.not_found"));
      }
      Write(std::move(response), keep_alive);
      return;
    }
    route_label_ = match_.route->pattern;
    const RouteOptions& route_options = match_.route->options;
    if (!route_options.heavy && !route_options.waits_on_network) {
      RequestContext context{request_, client_ip_, path_, query_, std::move(match_.params)};
      Write(RunHandler(match_.route->handler, context), keep_alive);
      return;
    }
    // Image work and waits on the network queue apart, so that a login code never waits for
    // everyone's ID card to be read (docs/performance/load.md).
    const bool network = route_options.waits_on_network;
    std::atomic<int>& queued = network ? server_.queued_network_waits_ : server_.queued_heavy_;
    const int queue_limit =
        network ? server_.options_.max_queued_network_waits : server_.options_.max_queued_heavy;
    if (queued.fetch_add(1) >= queue_limit) {
      queued.fetch_sub(1);
      RequestContext context{request_, client_ip_, path_, query_, {}};
      Error error = MakeError(ErrorKind::kUnavailable, "service.overloaded");
      error.retry_after_seconds = 5;
      Write(ErrorResponse(context, error), keep_alive);
      return;
    }
    asio::thread_pool& pool = network ? server_.network_waiters_ : server_.workers_;
    asio::post(pool, [self = shared_from_this(), keep_alive, &queued] {
      queued.fetch_sub(1);
      RequestContext context{self->request_, self->client_ip_, self->path_, self->query_,
                             std::move(self->match_.params)};
      context.begin_stream = [self, &context](HttpResponse head) {
        context.streamed = true;
        return self->BeginStream(std::move(head));
      };
      HttpResponse response = RunHandler(self->match_.route->handler, context);
      if (context.streamed) {
        self->FinishStream();
        return;
      }
      asio::post(self->stream_.get_executor(),
                 [self, keep_alive, response = std::move(response)]() mutable {
                   self->Write(std::move(response), keep_alive);
                 });
    });
  }

  // Streaming (exports): runs on the worker thread while the session waits for the handler,
  // so no other operation uses the socket; writes are synchronous and the connection closes
  // after the last chunk.
  std::function<bool(std::string_view)> BeginStream(HttpResponse head) {
    streaming_ = true;
    stream_status_ = static_cast<int>(head.result_int());
    AddSecurityHeaders(head);
    head.erase(http::field::content_length);
    head.chunked(true);
    head.keep_alive(false);
    head.body().clear();
    stream_.expires_never();
    beast::error_code ec;
    http::response_serializer<http::string_body> serializer{head};
    http::write_header(stream_.socket(), serializer, ec);
    stream_ok_ = !ec;
    return [this](std::string_view bytes) {
      if (!stream_ok_ || bytes.empty()) return stream_ok_;
      // One chunk of the chunked transfer encoding: size in hex, CRLF, the bytes, CRLF.
      char size_line[24];
      const int size_length = std::snprintf(size_line, sizeof size_line, "%zx\r\n", bytes.size());
      const int fd = stream_.socket().native_handle();
      const auto limit =
          std::chrono::duration_cast<std::chrono::milliseconds>(server_.options_.write_timeout);
      stream_ok_ = SendWithin(fd, std::string_view(size_line, size_length), limit) &&
                   SendWithin(fd, bytes, limit) && SendWithin(fd, "\r\n", limit);
      if (stream_ok_) {
        streamed_bytes_ += bytes.size();
      } else if (!stream_stalled_logged_) {
        stream_stalled_logged_ = true;
        spdlog::warn(
            "http.stream_stopped route={} ip={} bytes={} reason=\"client gone or read "
            "nothing for {} s\"",
            route_label_, client_ip_, streamed_bytes_, server_.options_.write_timeout.count());
      }
      return stream_ok_;
    };
  }

  void FinishStream() {
    if (stream_ok_) {
      stream_ok_ = SendWithin(
          stream_.socket().native_handle(), "0\r\n\r\n",
          std::chrono::duration_cast<std::chrono::milliseconds>(server_.options_.write_timeout));
    }
    const auto elapsed = std::chrono::steady_clock::now() - started_;
    server_.metrics_.RequestFinished(method_, route_label_, stream_status_, elapsed);
    if (server_.options_.access_log) {
      spdlog::info(
          "http.request method={} route={} status={} ms={:.2f} ip={} bytes={} streamed=true",
          method_, route_label_, stream_status_,
          std::chrono::duration<double, std::milli>(elapsed).count(), client_ip_, streamed_bytes_);
    }
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->Close(); });
  }

  void Write(HttpResponse response, bool keep_alive) {
    const bool keep = keep_alive && !server_.stopping_;
    response.keep_alive(keep);
    AddSecurityHeaders(response);
    if (request_.method() == http::verb::head) response.body().clear();
    const int status = static_cast<int>(response.result_int());
    const auto elapsed = std::chrono::steady_clock::now() - started_;
    server_.metrics_.RequestFinished(method_, route_label_, status, elapsed);
    if (server_.options_.access_log) {
      spdlog::info("http.request method={} route={} status={} ms={:.2f} ip={} bytes={}", method_,
                   route_label_, status, std::chrono::duration<double, std::milli>(elapsed).count(),
                   client_ip_, response.body().size());
    }
    response_ = std::make_unique<HttpResponse>(std::move(response));
    stream_.expires_after(server_.options_.write_timeout);
    http::async_write(stream_, *response_,
                      [self = shared_from_this(), keep](beast::error_code ec, size_t) {
                        self->response_.reset();
                        if (ec || !keep) {
                          if (!ec && self->body_unread_) {
                            self->Linger();
                          } else {
                            self->Close();
                          }
                          return;
                        }
                        self->request_ = {};
                        self->ReadHeader();
                      });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  // After an early answer (413, 431) the client is usually still sending its body. Closing
  // at once makes the kernel answer those bytes with a reset, which can destroy the
  // response before the client has read it (the app then shows a network error instead of
  // our message). So: stop sending, read and drop what still comes for a while, then close.
  void Linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTime);
    discard_ = std::make_unique<char[]>(kDiscardChunk);
    Discard();
  }

  void Discard() {
    stream_.async_read_some(asio::buffer(discard_.get(), kDiscardChunk),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) {
                                self->stream_.close();
                                return;
                              }
                              self->Discard();
                            });
  }

  static constexpr auto kLingerTime = std::chrono::seconds(10);
  static constexpr size_t kDiscardChunk = size_t{64} * 1024;

  Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> header_parser_;
  std::optional<http::request_parser<http::string_body>> body_parser_;
  HttpRequest request_;
  std::unique_ptr<HttpResponse> response_;
  bool stream_ok_ = false;
  bool stream_stalled_logged_ = false;
  int stream_status_ = 200;
  uint64_t streamed_bytes_ = 0;
  Router::Match match_;
  const std::string peer_ip_;
  std::string client_ip_, method_, route_label_, path_, query_;
  std::chrono::steady_clock::time_point started_;
  std::atomic<bool> idle_{false};
  std::atomic<bool> streaming_{false};  // a worker thread writes to the socket directly
  bool body_unread_ = false;
  std::unique_ptr<char[]> discard_;
};

void HttpServer::Impl::Accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || stopping_) return;
      // Out of descriptors (EMFILE/ENFILE) or another failure: the waiting connection stays
      // in the listen queue, so accepting again at once fails again and spins. Wait, longer
      // each time up to a second, and log once per interval with the count.
      accept_backoff_ =
          std::min(accept_backoff_ == std::chrono::milliseconds(0) ? std::chrono::milliseconds(10)
                                                                   : accept_backoff_ * 2,
                   std::chrono::milliseconds(1000));
      LogAcceptFailure(ec);
      accept_timer_.expires_after(accept_backoff_);
      accept_timer_.async_wait([this](beast::error_code timer_ec) {
        if (!timer_ec && !stopping_) Accept();
      });
      return;
    }
    accept_backoff_ = std::chrono::milliseconds(0);
    if (stopping_) return;
    beast::error_code endpoint_ec;
    const auto remote = socket.remote_endpoint(endpoint_ec);
    const std::string peer = endpoint_ec ? "unknown" : remote.address().to_string();
    const bool counted = !(options_.trust_forwarded_for && IsTrustedProxy(peer));
    if (static_cast<int>(SessionCount()) >= options_.max_connections ||
        (counted && ConnectionsFrom(peer) >= options_.max_connections_per_client)) {
      LogRefusedConnection(peer);
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      auto session = std::make_shared<Session>(*this, std::move(socket), peer);
      Register(session);
      session->Start();
    }
    Accept();
  });
}

void HttpServer::Impl::LogAcceptFailure(const beast::error_code& ec) {
  const auto now = std::chrono::steady_clock::now();
  ++accept_failures_;
  if (now - last_accept_log_ < kLogInterval) return;
  spdlog::warn("server.accept_failed error=\"{}\" count={} backoff_ms={}{}", ec.message(),
               accept_failures_, accept_backoff_.count(),
               ec == asio::error::no_descriptors
                   ? " (out of file descriptors: raise LimitNOFILE or lower http.max_connections)"
                   : "");
  accept_failures_ = 0;
  last_accept_log_ = now;
}

void HttpServer::Impl::LogRefusedConnection(const std::string& peer) {
  const auto now = std::chrono::steady_clock::now();
  ++refused_connections_;
  if (now - last_refused_log_ < kLogInterval) return;
  spdlog::warn("server.connection_refused ip={} count={} (http.max_connections={}, per client {})",
               peer, refused_connections_, options_.max_connections,
               options_.max_connections_per_client);
  refused_connections_ = 0;
  last_refused_log_ = now;
}

bool HttpServer::Impl::IsTrustedProxy(const std::string& peer) const {
  return std::find(options_.trusted_proxies.begin(), options_.trusted_proxies.end(), peer) !=
         options_.trusted_proxies.end();
}

void HttpServer::Impl::Register(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(sessions_mutex_);
  sessions_.insert(session.get());
  ++connections_per_peer_[session->peer()];
}

void HttpServer::Impl::CloseSessions(bool idle_only) {
  std::vector<std::shared_ptr<Session>> sessions;
  {
    std::lock_guard lock(sessions_mutex_);
    for (Session* s : sessions_) {
      // A session being destroyed has no owner left; weak_from_this() is then empty.
      if (auto locked = s->weak_from_this().lock()) sessions.push_back(std::move(locked));
    }
  }
  for (auto& s : sessions) s->CloseSoon(idle_only);
}

HttpServer::HttpServer(HttpServerOptions options, const Router& router, Metrics& metrics,
                       FallbackHandler fallback)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics, std::move(fallback))) {}
HttpServer::~HttpServer() = default;
void HttpServer::Bind() { impl_->Bind(); }
uint16_t HttpServer::port() const { return impl_->port(); }
void HttpServer::Run() { impl_->Run(); }
void HttpServer::RequestStop() { impl_->RequestStop(); }
void HttpServer::RequestStopNow() { impl_->RequestStopNow(); }

}  // namespace examphoto
