// The `http` identity check: a signed request to the identity platform (or an operator's
// gateway in front of it). Protocol, as the platform side must implement it:
//   POST <url>, Content-Type: application/json
//   X-Examphoto-Timestamp: <Unix seconds>
//   X-Examphoto-Signature: hex HMAC-SHA256(secret, timestamp + "\n" + body)
//   body {"request_id", "name", "id_number", "photo": base64 JPEG}
//   200 {"result": "pass" | "fail", "score": number}
// request_id is the same for every attempt of one verification job: the platform must treat
// a request_id it has already answered as a repeat (answer the same, check nothing again),
// so a job retried after a lost answer or a crashed worker is checked once.
// Anything else (an error status, a malformed answer, a timeout) is a transient error that
// the verification job retries with backoff.
#pragma once

#include <chrono>
#include <string>

#include "domain/config_section.h"
#include "service/collection_ports.h"

namespace examphoto {

struct HttpIdentityVerifierOptions {
  std::string url;
  std::string secret;
  std::chrono::milliseconds timeout{20000};
  // Section "verification.http": url, secret, timeout_ms. `required`: the provider is http,
  // so url and secret must be given (config.invalid_value otherwise).
  static Result<HttpIdentityVerifierOptions> FromConfig(const ConfigSection& section,
                                                        bool required);
};

class HttpIdentityVerifier : public IdentityVerifierPort {
 public:
  explicit HttpIdentityVerifier(HttpIdentityVerifierOptions options)
      : options_(std::move(options)) {}
  Result<VerificationOutcome> Verify(const VerificationRequest& request) const override;

 private:
  HttpIdentityVerifierOptions options_;
};

// The signature the platform checks; exposed for tests.
std::string SignIdentityRequest(std::string_view secret, std::string_view timestamp,
                                std::string_view body);

}  // namespace examphoto
