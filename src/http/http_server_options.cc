#include "http/client_address.h"
#include "http/http_server.h"

namespace examphoto {

Result<HttpServerOptions> HttpServerOptions::FromConfig(const ConfigSection& root) {
  HttpServerOptions o;
  std::string listen = o.address + ":" + std::to_string(o.port);
  const ConfigSection http = root.Section("http");
  std::string trusted_proxies;
  for (size_t i = 0; i < o.trusted_proxies.size(); ++i) {
    trusted_proxies += (i ? "," : "") + o.trusted_proxies[i];
  }
  for (const Status& read :
       {root.Read("listen", listen), http.Read("io_threads", o.io_threads, 1, 1024),
        http.Read("worker_threads", o.worker_threads, 1, 1024),
        http.Read("max_queued_heavy", o.max_queued_heavy, 0, kConfigMaxCount),
        http.Read("max_connections", o.max_connections, 1, kConfigMaxCount),
        http.Read("max_connections_per_client", o.max_connections_per_client, 1, kConfigMaxCount),
        http.Read("header_timeout_seconds", o.header_timeout, 1, kConfigMaxSeconds),
        http.Read("body_timeout_seconds", o.body_timeout, 1, kConfigMaxSeconds),
        http.Read("write_timeout_seconds", o.write_timeout, 1, kConfigMaxSeconds),
        http.Read("shutdown_grace_seconds", o.shutdown_grace, 0, kConfigMaxSeconds),
        http.Read("trust_forwarded_for", o.trust_forwarded_for),
        http.Read("trusted_proxies", trusted_proxies), http.Read("access_log", o.access_log)}) {
    if (!read.ok()) return read.error();
  }
  // HOST:PORT, the host of an IPv6 address in brackets.
  const size_t colon = listen.rfind(':');
  const std::string port = colon == std::string::npos ? "" : listen.substr(colon + 1);
  int number = -1;
  if (!port.empty() && port.size() <= 5 &&
      port.find_first_not_of("0123456789") == std::string::npos) {
    number = std::stoi(port);
  }
  if (number < 0 || number > 65535 || colon == 0) {
    return root.Invalid("listen", "HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080");
  }
  o.address = listen.substr(0, colon);
  if (o.address.size() > 2 && o.address.front() == '[' && o.address.back() == ']') {
    o.address = o.address.substr(1, o.address.size() - 2);
  }
  o.port = static_cast<uint16_t>(number);
  AddressList proxies = ParseAddressList(trusted_proxies);
  if (!proxies.not_an_address.empty()) {
    return http.Invalid("trusted_proxies",
                        "IP addresses separated by commas (not " + proxies.not_an_address + ")");
  }
  o.trusted_proxies = std::move(proxies.addresses);
  return o;
}

}  // namespace examphoto
