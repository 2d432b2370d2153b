#include "http/system_routes.h"

#include <spdlog/spdlog.h>

#include "domain/messages.h"
#include "http/documents_embedded.h"
#include "http/responses.h"
#include "service/database_failure.h"

namespace examphoto {

namespace http = boost::beast::http;

void AddSystemRoutes(Router& router, Database& database, Metrics& metrics,
                     const ReadinessCheck& models) {
  router.Add(http::verb::get, "/healthz", [](RequestContext& context) {
    return JsonResponse(context, http::status::ok, {{"status", "ok"}});
  });
  router.Add(http::verb::get, "/readyz", [&database, models](RequestContext& context) {
    if (Status answers = CheckDatabase(database); !answers.ok()) {
      Error error = MakeError(ErrorKind::kUnavailable, "service.unavailable");
      error.retry_after_seconds = 5;
      return ErrorResponse(context, error, {{"status", "not_ready"}, {"database", "unavailable"}});
    }
    const std::string models_state = models ? models() : "";
    if (!models_state.empty()) {
      Error error = MakeError(ErrorKind::kUnavailable, "service.warming_up");
      error.retry_after_seconds = 5;
      return ErrorResponse(context, error,
                           {{"status", "not_ready"}, {"database", "ok"}, {"models", models_state}});
    }
    return JsonResponse(context, http::status::ok,
                        {{"status", "ready"}, {"database", "ok"}, {"models", "ok"}});
  });
  router.Add(http::verb::get, "/metrics", [&metrics](RequestContext& context) {
    return BinaryResponse(context, "text/plain; version=0.0.4; charset=utf-8", metrics.Render());
  });
  router.Add(http::verb::get, "/api/v1/openapi.yaml", [](RequestContext& context) {
    return BinaryResponse(context, "application/yaml; charset=utf-8",
                          std::string(*documents::FindEmbedded("docs/openapi.yaml")),
                          "public, max-age=300");
  });
}

}  // namespace examphoto
