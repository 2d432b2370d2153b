// The exam office's API (/api/v1/office): staff login and the roster import. Staff tokens
// only; a candidate token gets 403.
#pragma once

#include <boost/json.hpp>

#include "http/router.h"
#include "service/roster_import_service.h"
#include "service/staff_service.h"

namespace examphoto {

class OfficeApi {
 public:
  OfficeApi(StaffService& staff, RosterImportService& roster) : staff_(staff), roster_(roster) {}
  void Register(Router& router);

 private:
  HttpResponse Login(RequestContext& context);
  HttpResponse Logout(RequestContext& context);
  HttpResponse ImportRoster(RequestContext& context);

  StaffService& staff_;
  RosterImportService& roster_;
};

// The import report as JSON (shared with the CLI's --json output).
boost::json::object RosterReportJson(const RosterImportReport& report);

}  // namespace examphoto
