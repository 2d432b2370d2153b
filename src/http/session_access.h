// The AccessControl of the API: the bearer token's session, a candidate's (SMS login) or a
// staff member's (office login), checked against what the route needs. Candidate and staff
// sessions never open each other's routes.
#pragma once

#include "http/router.h"
#include "service/login_service.h"
#include "service/staff_service.h"

namespace examphoto {

class SessionAccess : public AccessControl {
 public:
  SessionAccess(LoginService& candidates, StaffService& staff)
      : candidates_(candidates), staff_(staff) {}
  // Errors: auth.session_required / staff.session_required (401), auth.staff_token_on_
  // candidate_api, staff.candidate_token, staff.role_insufficient (403).
  Result<Caller> Check(const RequestContext& context, Access access) const override;

 private:
  LoginService& candidates_;
  StaffService& staff_;
};

}  // namespace examphoto
