#include "sms/sms_gateway.h"

#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "domain/messages.h"
#include "domain/personal_data.h"
#include "net/http_client.h"

namespace examphoto {
namespace {

// JSON string contents without the quotes.
std::string JsonEscape(std::string_view text) {
  std::string quoted = boost::json::serialize(boost::json::string(text));
  return quoted.substr(1, quoted.size() - 2);
}

}  // namespace

Status LogSmsGateway::Send(const SmsMessage& message) {
  spdlog::info("sms.log_gateway phone={} text={}", MaskPhone(message.phone), message.text);
  std::lock_guard lock(mutex_);
  outbox_.push_front(message);
  while (outbox_.size() > capacity_) outbox_.pop_back();
  return Ok();
}

std::vector<SmsMessage> LogSmsGateway::Outbox(std::string_view phone) const {
  std::lock_guard lock(mutex_);
  std::vector<SmsMessage> out;
  for (const auto& m : outbox_) {
    if (phone.empty() || m.phone == phone) out.push_back(m);
  }
  return out;
}

Status HttpSmsGateway::Send(const SmsMessage& message) {
  HttpClientRequest request;
  request.url = options_.url;
  request.timeout = options_.timeout;
  request.headers["Content-Type"] = "application/json";
  if (!options_.api_key.empty()) request.headers["Authorization"] = "Bearer " + options_.api_key;
  std::string body = options_.body_template;
  body = FormatMessage(body, "phone", JsonEscape(message.phone));
  body = FormatMessage(body, "code", JsonEscape(message.code));
  body = FormatMessage(body, "text", JsonEscape(message.text));
  request.body = std::move(body);
  auto response = SendHttpRequest(request);
  if (!response.ok()) {
    return MakeError(ErrorKind::kUnavailable, "sms.send_failed", response.error().detail);
  }
  if (response->status < 200 || response->status >= 300) {
    return MakeError(ErrorKind::kUnavailable, "sms.send_failed",
                     "provider answered " + std::to_string(response->status) + ": " +
                         response->body.substr(0, 200));
  }
  return Ok();
}

Result<SmsGatewayOptions> SmsGatewayOptions::FromConfig(const ConfigSection& section) {
  SmsGatewayOptions options;
  const ConfigSection http = section.Section("http");
  for (const Status& read :
       {section.ReadChoice("gateway", options.gateway, {"log", "http"}),
        http.Read("url", options.http.url), http.ReadSecret("api_key", options.http.api_key),
        http.Read("body_template", options.http.body_template),
        http.Read("timeout_ms", options.http.timeout, 1, kConfigMaxSeconds)}) {
    if (!read.ok()) return read.error();
  }
  if (options.gateway == "http" && options.http.url.empty()) {
    return http.Invalid("url", "the provider's send URL (sms.gateway = http needs it)");
  }
  return options;
}

std::unique_ptr<SmsGateway> MakeSmsGateway(const SmsGatewayOptions& options) {
  if (options.gateway == "http") return std::make_unique<HttpSmsGateway>(options.http);
  return std::make_unique<LogSmsGateway>();
}

}  // namespace examphoto
