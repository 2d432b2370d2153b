// The candidate app's API (/api/v1): app configuration and agreements, SMS login, and the
// collection (GET /me is the resume point: the app shows the screen for the state it gets).
// Every /me endpoint acts only on the candidate of the bearer token.
#pragma once

#include <boost/json.hpp>

#include "domain/clock.h"
#include "http/public_settings.h"
#include "http/router.h"
#include "service/login_service.h"
#include "sms/sms_gateway.h"
#include "storage/candidate_repository.h"
#include "storage/collection_repository.h"

namespace examphoto {

class CandidateApi {
 public:
  // `dev_outbox` is the log gateway when development mode is on, nullptr otherwise (then the
  // outbox endpoint does not exist).
  CandidateApi(LoginService& login, Database& database, const Clock& clock,
               PublicSettings settings, const LogSmsGateway* dev_outbox);

  void Register(Router& router);

  // The candidate id of the request's session: 401 without a live session, 403 for a staff
  // session. Used by every /me endpoint, here and in other route files.
  Result<int64_t> RequireCandidate(const RequestContext& context);

 private:
  HttpResponse AppConfig(RequestContext& context);
  HttpResponse Agreement(RequestContext& context);
  HttpResponse SendCode(RequestContext& context);
  HttpResponse Login(RequestContext& context);
  HttpResponse Logout(RequestContext& context);
  HttpResponse Me(RequestContext& context);
  HttpResponse DevOutbox(RequestContext& context);

  LoginService& login_;
  Database& database_;
  const Clock& clock_;
  PublicSettings settings_;
  const LogSmsGateway* dev_outbox_;
  CandidateRepository candidates_;
  CollectionRepository collections_;
};

// The JSON view of a candidate's collection that GET /me and the state-changing endpoints
// return.
boost::json::object CollectionView(const Candidate& candidate, const CollectionRecord& record);

}  // namespace examphoto
