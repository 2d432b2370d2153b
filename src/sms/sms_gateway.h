// Sending a text message to a phone. The login flow depends only on this interface; the
// gateway is chosen in configuration: `log` for development and tests (the message goes to
// the log and to an in-memory outbox that a development-only endpoint shows), `http` for a
// real SMS provider.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "domain/config_section.h"
#include "domain/result.h"

namespace examphoto {

struct SmsMessage {
  std::string phone;
  std::string text;
  std::string code;  // the verification code it carries (kept only by the log gateway)
  int64_t sent_at = 0;
};

class SmsGateway {
 public:
  virtual ~SmsGateway() = default;
  // Sends `text`; `code` is passed separately so that a provider with templates can use it.
  virtual Status Send(const SmsMessage& message) = 0;
};

// Development gateway. Keeps the newest messages (bounded) for the dev outbox endpoint.
class LogSmsGateway : public SmsGateway {
 public:
  explicit LogSmsGateway(size_t capacity = 1000) : capacity_(capacity) {}
  Status Send(const SmsMessage& message) override;
  // Newest first; only messages to `phone` when it is not empty.
  std::vector<SmsMessage> Outbox(std::string_view phone) const;

 private:
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<SmsMessage> outbox_;
};

struct HttpSmsGatewayOptions {
  std::string url;  // the provider's send endpoint
  // Sent as "Authorization: Bearer <api_key>" when not empty.
  std::string api_key;
  // The JSON body; {phone}, {code} and {text} are replaced (JSON-escaped).
  std::string body_template = R"({"phone":"{phone}","code":"{code}","text":"{text}"})";
  std::chrono::milliseconds timeout{5000};
};

// Which gateway sends the login codes (section "sms": gateway, http.url, http.api_key,
// http.body_template, http.timeout_ms).
struct SmsGatewayOptions {
  std::string gateway = "log";  // "log" (development: the code goes to the log) or "http"
  HttpSmsGatewayOptions http;
  // Errors: config.invalid_value (an unknown gateway, or http without its url).
  static Result<SmsGatewayOptions> FromConfig(const ConfigSection& section);
};

// Posts each message to a provider. A 2xx answer is success; anything else, a timeout or a
// refused connection is an error `sms.send_failed` with the provider's answer in detail.
class HttpSmsGateway : public SmsGateway {
 public:
  explicit HttpSmsGateway(HttpSmsGatewayOptions options) : options_(std::move(options)) {}
  Status Send(const SmsMessage& message) override;

 private:
  HttpSmsGatewayOptions options_;
};

// The gateway `options` name.
std::unique_ptr<SmsGateway> MakeSmsGateway(const SmsGatewayOptions& options);

}  // namespace examphoto
