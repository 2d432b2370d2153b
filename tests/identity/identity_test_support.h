// Shared by the identity tests: the models loaded once per test binary, the real sample
// photos with the people in them labelled by hand, and a simulated printed ID-card portrait.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "identity/face_comparer.h"
#include "identity/face_embedder.h"
#include "imaging/face_detector.h"

namespace examphoto::identity::testing {

const FaceEmbedder& Embedder();
const FaceComparer& Comparer();
// Detects faces down to ~1/20 of a 1920 px photo's width: every face in the group photos.
const imaging::FaceDetector& WideDetector();

cv::Mat SamplePhoto(int number);  // demo/sample<number>.jpg, full resolution
std::string SamplePath(int number);

// A face in a sample photo, named by the person in it. Two faces share a person only where
// we judged them the same woman by eye (docs/identity.md tells how).
struct LabelledFace {
  int sample;
  cv::Point2f centre;  // of the face box, in the full-resolution sample
  std::string person;
};
const std::vector<LabelledFace>& LabelledFaces();

// The face of `wanted` among `faces` (box centre within a third of the box size), or null.
const imaging::FaceLandmarks* FaceAt(const std::vector<imaging::FaceLandmarks>& faces,
                                     cv::Point2f centre);

// Prints a face as the second-generation ID card does: a 26 × 32 mm head-and-shoulders frame
// around `face`, rendered at `pixels_per_mm`, faded into the card's light background, blurred
// by the print, noised by the camera and JPEG-compressed.
cv::Mat SimulatedCardPortrait(const cv::Mat& photo, const cv::Rect2f& face, double pixels_per_mm);

}  // namespace examphoto::identity::testing
