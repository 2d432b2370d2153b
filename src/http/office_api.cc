#include "http/office_api.h"

#include "domain/messages.h"
#include "http/responses.h"

namespace examphoto {

namespace http = boost::beast::http;
namespace json = boost::json;

boost::json::object RosterReportJson(const RosterImportReport& report) {
  json::array problems;
  for (const auto& p : report.problems) {
    problems.push_back(
        {{"row", p.row}, {"column", p.column}, {"code", p.code}, {"message", p.message}});
  }
  return {{"applied", report.applied},     {"total_rows", report.total_rows},
          {"inserted", report.inserted},   {"updated", report.updated},
          {"unchanged", report.unchanged}, {"problems", problems}};
}

void OfficeApi::Register(Router& router) {
  router.Add(http::verb::post, "/api/v1/office/auth/login", Bind(this, &OfficeApi::Login));
  router.Add(http::verb::post, "/api/v1/office/auth/logout", Bind(this, &OfficeApi::Logout),
             {.access = Access::kStaffViewer});
  router.Add(http::verb::post, "/api/v1/office/roster/import", Bind(this, &OfficeApi::ImportRoster),
             {.access = Access::kStaffOperator,
              .heavy = true,
              .max_body_bytes = size_t{64} * 1024 * 1024});
}

HttpResponse OfficeApi::Login(RequestContext& context) {
  auto body = ParseJsonObject(context);
  if (!body.ok()) return ErrorResponse(context, body.error());
  auto username = RequiredString(*body, "username", 64);
  if (!username.ok()) return ErrorResponse(context, username.error());
  auto password = RequiredString(*body, "password", 200);
  if (!password.ok()) return ErrorResponse(context, password.error());
  auto session = staff_.Login(*username, *password, context.client_ip);
  if (!session.ok()) return ErrorResponse(context, session.error());
  return JsonResponse(context, http::status::ok,
                      {{"token", session->token},
                       {"username", session->account.username},
                       {"role", session->account.role}});
}

HttpResponse OfficeApi::Logout(RequestContext& context) {
  if (Status out = staff_.Logout(BearerToken(context)); !out.ok()) {
    return ErrorResponse(context, out.error());
  }
  return NoContent(context);
}

HttpResponse OfficeApi::ImportRoster(RequestContext& context) {
  std::string file_name = context.QueryParam("file_name");
  if (file_name.empty()) file_name = "upload.csv";
  const std::string dry_run = context.QueryParam("dry_run");
  auto report =
      roster_.Import(context.request.body(), file_name, "staff:" + context.caller.staff_username,
                     dry_run == "1" || dry_run == "true");
  if (!report.ok()) return ErrorResponse(context, report.error());
  json::object body = RosterReportJson(*report);
  if (!report->problems.empty()) {
    Error error = MakeError(ErrorKind::kUnprocessable, "roster.rejected");
    error.message = FormatMessage(error.message, "count", std::to_string(report->problems.size()));
    return ErrorResponse(context, error, std::move(body));
  }
  return JsonResponse(context, http::status::ok, body);
}

}  // namespace examphoto
