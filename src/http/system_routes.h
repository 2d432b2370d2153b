// Operational endpoints: liveness (/healthz), readiness (/readyz: the database answers),
// Prometheus metrics (/metrics) and the API description (/api/v1/openapi.yaml).
#pragma once

#include "http/metrics.h"
#include "http/router.h"
#include "storage/database.h"

namespace examphoto {

void AddSystemRoutes(Router& router, Database& database, Metrics& metrics);

}  // namespace examphoto
