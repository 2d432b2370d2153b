// Where a failure of the database engine (or of the blob store under it) becomes an Error:
// at the services' boundary, once. Every public service method that touches storage runs
// its body through GuardStorage, so the layers above see one failure shape, a Result, and
// never an exception for an outage. The engine's words go to the log, never to a client.
#pragma once

#include <string_view>

#include "domain/result.h"
#include "storage/database.h"

namespace examphoto {

// 503 service.storage_full (retry after 60 s: an operator must free space), 503
// service.unavailable (retry after 5 s: the engine is away or busy), or 500 internal.error.
Error DatabaseFailure(const DatabaseError& error, std::string_view operation);

// Runs `body` (which returns a Result) and turns a DatabaseError escaping it into that Error.
template <typename Body>
auto GuardStorage(std::string_view operation, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const DatabaseError& error) {
    return DatabaseFailure(error, operation);
  }
}

// Whether the database answers a trivial question now (readiness checks).
Status CheckDatabase(Database& database);

}  // namespace examphoto
