// The exam office console's API (/api/v1/office/...) beyond login and roster import: who am
// I, candidate search, dashboard, candidate detail and images, the corrective actions,
// exports, the audit log, staff accounts and the QR poster. Staff tokens only (a candidate
// token gets 403); viewers read, operators also act and export, administrators also read the
// audit log and disable, enable or remove staff accounts.
#pragma once

#include <string>

#include "http/router.h"
#include "service/office_export.h"
#include "service/office_service.h"
#include "service/staff_service.h"

namespace examphoto {

class OfficeConsoleApi {
 public:
  OfficeConsoleApi(StaffService& staff, OfficeService& office, OfficeExport& exports,
                   const Clock& clock, std::string office_phone)
      : staff_(staff),
        office_(office),
        exports_(exports),
        clock_(clock),
        office_phone_(std::move(office_phone)) {}
  void Register(Router& router);

 private:
  // The staff member the router let through, as the audit log records them.
  static StaffActor Actor(const RequestContext& context);

  HttpResponse Me(RequestContext& context);
  HttpResponse Search(RequestContext& context);
  HttpResponse Dashboard(RequestContext& context);
  HttpResponse Detail(RequestContext& context);
  HttpResponse Image(RequestContext& context);
  HttpResponse Correct(RequestContext& context);
  HttpResponse Reset(RequestContext& context);
  HttpResponse DecidePhoto(RequestContext& context);
  HttpResponse ExportPhotos(RequestContext& context);
  HttpResponse ExportReportCsv(RequestContext& context);
  HttpResponse ExportReportXlsx(RequestContext& context);
  HttpResponse ExportReport(RequestContext& context, bool xlsx);
  HttpResponse Audit(RequestContext& context);
  HttpResponse ListStaff(RequestContext& context);
  HttpResponse DisableStaff(RequestContext& context);
  HttpResponse EnableStaff(RequestContext& context);
  HttpResponse RemoveStaff(RequestContext& context);
  HttpResponse QrCode(RequestContext& context);
  HttpResponse Poster(RequestContext& context);
  HttpResponse Poster(RequestContext& context, bool poster);

  StaffService& staff_;
  OfficeService& office_;
  OfficeExport& exports_;
  const Clock& clock_;
  std::string office_phone_;
};

}  // namespace examphoto
