// The `local` identity check (the default): the accepted ID photo compared 1:1 with the
// portrait printed on the candidate's own ID card, with the face comparer's calibrated
// threshold. Stands in for the national platform where that is not reachable.
#pragma once

#include "identity/face_comparer.h"
#include "service/collection_ports.h"

namespace examphoto {

class LocalFaceVerifier : public IdentityVerifierPort {
 public:
  explicit LocalFaceVerifier(const identity::FaceComparer& comparer) : comparer_(comparer) {}
  Result<VerificationOutcome> Verify(const VerificationRequest& request) const override;

 private:
  const identity::FaceComparer& comparer_;
};

}  // namespace examphoto
