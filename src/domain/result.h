// Result<T>: either a value or an Error, for failures that are expected (bad input, a wrong
// SMS code, a blurred photo). Exceptions are kept for programming errors and for I/O that
// cannot go on; callers test `ok()` and read `value()` or `error()`.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace examphoto {

// What kind of failure, so that every layer can map it without knowing the code: the HTTP
// layer turns it into a status, the CLI into an exit code.
enum class ErrorKind {
  kInvalidInput,     // 400: the request or file is malformed or fails validation
  kUnauthenticated,  // 401: no session, expired session, wrong credentials
  kForbidden,        // 403: authenticated but not allowed
  kNotFound,         // 404
  kConflict,         // 409: not allowed in the current state
  kTooLarge,         // 413
  kUnsupported,      // 415: not an image format we read, and the like
  kUnprocessable,    // 422: well-formed but judged unacceptable (a rejected photo)
  kRateLimited,      // 429
  kUnavailable,      // 503: a dependency is down; try again later
  kInternal,         // 500
};

// An expected failure. `code` is stable and machine-readable (e.g. "sms.code_wrong");
// `message` tells the user what happened and `hint` what to do next, both in Chinese and
// taken from the message catalogue (domain/messages.h); `detail` is for logs only.
struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string code;
  std::string message;
  std::string hint;
  std::string detail;
  int retry_after_seconds = 0;  // for kRateLimited / kUnavailable, 0 when not known
};

template <typename T>
class [[nodiscard]] Result {  // NOLINT(bugprone-exception-escape): as T and Error
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(data_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(data_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(data_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(data_);
  }

 private:
  std::variant<T, Error> data_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    assert(!ok());
    return *error_;
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Status Ok() { return {}; }

}  // namespace examphoto
