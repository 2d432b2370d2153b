#include "service/database_failure.h"

#include <spdlog/spdlog.h>

#include "domain/messages.h"

namespace examphoto {

Error DatabaseFailure(const DatabaseError& error, std::string_view operation) {
  const bool full = error.kind() == DatabaseError::Kind::kStorageFull;
  const bool unavailable = full || error.kind() == DatabaseError::Kind::kUnavailable ||
                           error.kind() == DatabaseError::Kind::kSerialization;
  spdlog::error("storage.failed operation={} error=\"{}\"", operation, error.what());
  Error failure = MakeError(unavailable ? ErrorKind::kUnavailable : ErrorKind::kInternal,
                            full          ? "service.storage_full"
                            : unavailable ? "service.unavailable"
                                          : "internal.error",
                            error.what());
  // A full disk is not freed in seconds: ask the client to come back later.
  if (unavailable) failure.retry_after_seconds = full ? 60 : 5;
  return failure;
}

Status CheckDatabase(Database& database) {
  return GuardStorage("readiness", [&]() -> Status {
    Ping(database);
    return Ok();
  });
}

}  // namespace examphoto
