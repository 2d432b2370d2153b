// Operational endpoints: liveness (/healthz), readiness (/readyz: the database answers),
// Prometheus metrics (/metrics) and the API description (/api/v1/openapi.yaml).
#pragma once

#include <functional>
#include <string>

#include "http/metrics.h"
#include "http/router.h"
#include "storage/database.h"

namespace examphoto {

// Reports whether a part other than the database is ready ("" when it is, else why not).
using ReadinessCheck = std::function<std::string()>;

void AddSystemRoutes(Router& router, Database& database, Metrics& metrics,
                     const ReadinessCheck& models = nullptr);

}  // namespace examphoto
