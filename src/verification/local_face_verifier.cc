#include "verification/local_face_verifier.h"

#include "imaging/image_decoder.h"

namespace examphoto {
namespace {

cv::Mat DecodeJpeg(const std::string& bytes) {
  if (bytes.empty()) return {};
  auto decoded =
      imaging::DecodeImage({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
  return decoded.ok() ? decoded->bgr : cv::Mat();
}

}  // namespace

Result<VerificationOutcome> LocalFaceVerifier::Verify(const VerificationRequest& request) const {
  VerificationOutcome outcome;
  const cv::Mat photo = DecodeJpeg(request.photo_jpeg);
  const cv::Mat portrait = DecodeJpeg(request.card_portrait_jpeg);
  if (photo.empty() || portrait.empty()) {
    outcome.status = VerificationOutcome::Status::kFailed;
    outcome.detail = photo.empty() ? "accepted photo unreadable" : "no ID card portrait on file";
    return outcome;
  }
  auto comparison = comparer_.Compare(photo, identity::FaceSource::kPhoto, portrait,
                                      identity::FaceSource::kCardPortrait);
  if (!comparison.ok()) {
    outcome.status = VerificationOutcome::Status::kFailed;
    outcome.detail = comparison.error().code;
    return outcome;
  }
  outcome.status = comparison->same_person ? VerificationOutcome::Status::kPassed
                                           : VerificationOutcome::Status::kFailed;
  // The score is a similarity in [0, 1]: 1 - distance, so higher is more alike.
  outcome.score = std::max(0.0, 1.0 - comparison->distance);
  outcome.detail = "distance=" + std::to_string(comparison->distance) +
                   " threshold=" + std::to_string(comparison->threshold);
  return outcome;
}

}  // namespace examphoto
