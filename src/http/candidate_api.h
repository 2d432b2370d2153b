// The candidate app's API (/api/v1): app configuration and agreements, SMS login, logout,
// and the development SMS outbox. The collection itself is in collection_api.h.
#pragma once

#include <boost/json.hpp>

#include "http/public_settings.h"
#include "http/router.h"
#include "service/login_service.h"
#include "sms/sms_gateway.h"

namespace examphoto {

class CandidateApi {
 public:
  // `dev_outbox` is the log gateway when development mode is on, nullptr otherwise (then the
  // outbox endpoint does not exist).
  CandidateApi(LoginService& login, PublicSettings settings, const LogSmsGateway* dev_outbox);

  void Register(Router& router);

 private:
  HttpResponse AppConfig(RequestContext& context);
  HttpResponse Labels(RequestContext& context);
  HttpResponse Agreement(RequestContext& context);
  HttpResponse SendCode(RequestContext& context);
  HttpResponse Login(RequestContext& context);
  HttpResponse Logout(RequestContext& context);
  HttpResponse DevOutbox(RequestContext& context);
  Error WithOfficePhone(Error error) const;

  LoginService& login_;
  PublicSettings settings_;
  const LogSmsGateway* dev_outbox_;
};

}  // namespace examphoto
