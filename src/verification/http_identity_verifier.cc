#include "verification/http_identity_verifier.h"

#include <sodium.h>

#include <boost/json.hpp>
#include <chrono>

#include "domain/messages.h"
#include "net/http_client.h"
#include "service/secrets.h"

namespace examphoto {
namespace {

std::string Base64(std::string_view bytes) {
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

}  // namespace

std::string SignIdentityRequest(std::string_view secret, std::string_view timestamp,
                                std::string_view body) {
  std::string message(timestamp);
  message += "\n";
  message += body;
  return KeyedHash(secret, message);
}

Result<HttpIdentityVerifierOptions> HttpIdentityVerifierOptions::FromConfig(
    const ConfigSection& section, bool required) {
  HttpIdentityVerifierOptions options;
  for (const Status& read :
       {section.Read("url", options.url), section.ReadSecret("secret", options.secret),
        section.Read("timeout_ms", options.timeout, 1, kConfigMaxSeconds)}) {
    if (!read.ok()) return read.error();
  }
  if (required && options.url.empty()) return section.Invalid("url", "the platform's URL");
  if (required && options.secret.empty()) {
    return section.Invalid("secret", "the key shared with the platform");
  }
  return options;
}

Result<VerificationOutcome> HttpIdentityVerifier::Verify(const VerificationRequest& request) const {
  // Every failure to get an answer is transient: the job asks again later.
  auto transient = [](std::string detail) {
    return MakeError(ErrorKind::kUnavailable, "verification.unavailable", std::move(detail));
  };
  const std::string timestamp =
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count());
  HttpClientRequest http;
  http.url = options_.url;
  http.timeout = options_.timeout;
  http.body = boost::json::serialize(
      boost::json::object{{"request_id", request.request_id.empty() ? NewSecretKey().substr(0, 16)
                                                                    : request.request_id},
                          {"name", request.name},
                          {"id_number", request.id_number},
                          {"photo", Base64(request.photo_jpeg)}});
  http.headers["Content-Type"] = "application/json";
  http.headers["X-Examphoto-Timestamp"] = timestamp;
  http.headers["X-Examphoto-Signature"] =
      SignIdentityRequest(options_.secret, timestamp, http.body);
  auto response = SendHttpRequest(http);
  if (!response.ok()) return transient(response.error().code + ": " + response.error().detail);
  if (response->status != 200) {
    return transient("platform answered " + std::to_string(response->status));
  }
  boost::system::error_code ec;
  boost::json::value answer = boost::json::parse(response->body, ec);
  const boost::json::object* object = (!ec && answer.is_object()) ? &answer.as_object() : nullptr;
  const boost::json::value* result = object ? object->if_contains("result") : nullptr;
  if (!result || !result->is_string() ||
      (result->as_string() != "pass" && result->as_string() != "fail")) {
    return transient("malformed answer from the platform");
  }
  VerificationOutcome outcome;
  outcome.status = result->as_string() == "pass" ? VerificationOutcome::Status::kPassed
                                                 : VerificationOutcome::Status::kFailed;
  if (const auto* score = object->if_contains("score"); score && score->is_number()) {
    outcome.score = score->to_number<double>();
  }
  outcome.detail = "platform result " + std::string(result->as_string());
  return outcome;
}

}  // namespace examphoto
