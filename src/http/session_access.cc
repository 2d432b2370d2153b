#include "http/session_access.h"

#include "domain/messages.h"
#include "http/responses.h"

namespace examphoto {

Result<Caller> SessionAccess::Check(const RequestContext& context, Access access) const {
  const std::string token = BearerToken(context);
  if (access == Access::kCandidate) {
    auto subject = candidates_.Authenticate(token);
    if (!subject.ok()) return subject.error();
    if (subject->kind != "candidate") {
      return MakeError(ErrorKind::kForbidden, "auth.staff_token_on_candidate_api");
    }
    return Caller{subject->id, "", ""};
  }
  const StaffRole minimum = access == Access::kStaffAdmin      ? StaffRole::kAdmin
                            : access == Access::kStaffOperator ? StaffRole::kOperator
                                                               : StaffRole::kViewer;
  auto account = staff_.Authorize(token, minimum);
  if (!account.ok()) return account.error();
  return Caller{0, account->username, account->role};
}

}  // namespace examphoto
