#include "net/http_client.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <optional>

#include "domain/messages.h"

namespace examphoto {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct ParsedUrl {
  bool tls = false;
  std::string host;
  std::string port;
  std::string target;
};

Result<ParsedUrl> ParseUrl(const std::string& url) {
  ParsedUrl parsed;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    parsed.tls = true;
    rest = url.substr(8);
  } else {
    return MakeError(ErrorKind::kInvalidInput, "net.bad_url", url);
  }
  const size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  parsed.target = slash == std::string::npos ? "/" : rest.substr(slash);
  const size_t colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    parsed.host = authority.substr(0, colon);
    parsed.port = authority.substr(colon + 1);
  } else {
    parsed.host = authority;
    parsed.port = parsed.tls ? "443" : "80";
  }
  if (parsed.host.empty()) return MakeError(ErrorKind::kInvalidInput, "net.bad_url", url);
  return parsed;
}

template <typename Stream>
asio::awaitable<HttpClientResponse> Exchange(Stream& stream, const ParsedUrl& url,
                                             const HttpClientRequest& req) {
  http::request<http::string_body> message{http::string_to_verb(req.method), url.target, 11};
  message.set(http::field::host, url.host);
  message.set(http::field::user_agent, "examphoto");
  for (const auto& [name, value] : req.headers) message.set(name, value);
  message.body() = req.body;
  message.prepare_payload();
  co_await http::async_write(stream, message, asio::use_awaitable);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(uint64_t{16} * 1024 * 1024);
  co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
  auto& response = parser.get();
  HttpClientResponse out;
  out.status = static_cast<int>(response.result_int());
  for (const auto& field : response) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value());
  }
  out.body = std::move(response.body());
  co_return out;
}

// The whole exchange as one coroutine; the deadline on the lowest layer covers every step.
asio::awaitable<HttpClientResponse> Run(const ParsedUrl& url, const HttpClientRequest& request) {
  auto executor = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(executor);
  auto endpoints = co_await resolver.async_resolve(url.host, url.port, asio::use_awaitable);
  if (!url.tls) {
    beast::tcp_stream stream(executor);
    stream.expires_after(request.timeout);
    co_await stream.async_connect(endpoints, asio::use_awaitable);
    HttpClientResponse response = co_await Exchange(stream, url, request);
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    co_return response;
  }
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_default_verify_paths();
  tls.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(executor, tls);
  SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str());
  stream.set_verify_callback(asio::ssl::host_name_verification(url.host));
  beast::get_lowest_layer(stream).expires_after(request.timeout);
  co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
  co_await stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
  co_return co_await Exchange(stream, url, request);
}

}  // namespace

Result<HttpClientResponse> SendHttpRequest(const HttpClientRequest& request) {
  auto url = ParseUrl(request.url);
  if (!url.ok()) return url.error();
  asio::io_context io;
  std::optional<HttpClientResponse> response;
  std::optional<Error> failure;
  asio::co_spawn(io, Run(*url, request),
                 [&](const std::exception_ptr& error, std::optional<HttpClientResponse> value) {
                   if (!error) {
                     response = std::move(value);
                     return;
                   }
                   try {
                     std::rethrow_exception(error);
                   } catch (const boost::system::system_error& e) {
                     const bool timeout = e.code() == beast::error::timeout;
                     failure = MakeError(ErrorKind::kUnavailable,
                                         timeout ? "net.timeout" : "net.unreachable", e.what());
                   } catch (const std::exception& e) {
                     failure = MakeError(ErrorKind::kUnavailable, "net.unreachable", e.what());
                   }
                 });
  io.run();
  if (failure) return *failure;
  return std::move(*response);
}

}  // namespace examphoto
