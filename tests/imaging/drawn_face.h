// Synthetic fixtures for the portrait core's own logic, without any model: a frontal face's
// 68 landmarks laid out from average proportions, a drawn head-and-shoulders figure to go
// with them, and a matte source that keys the figure's colour. Small and deterministic, so
// the tests that use them run under the sanitizers.
#pragma once

#include <opencv2/core.hpp>

#include "domain/result.h"
#include "imaging/face_detector.h"
#include "imaging/id_photo_composer.h"

namespace examphoto::imaging::testing {

// The 68 iBUG points of a frontal face whose eye centre is at `eyes` and whose width (jaw at
// ear level, points 0 and 16) is `width` px: eyes open, mouth closed, no tilt.
FaceLandmarks DrawnFaceLandmarks(cv::Point2f eyes, float width);

inline const cv::Scalar kDrawnSkinBgr(150, 175, 215);
inline const cv::Scalar kDrawnClothesBgr(90, 60, 40);

// Paints a person on `image` for the landmarks of DrawnFaceLandmarks(eyes, width): a skin
// oval for the face, a darker hair cap above it reaching `hair_above_eyes` face widths over
// the eye line, a neck, and shoulders in clothes colour down to the bottom edge.
void DrawPerson(cv::Mat& image, cv::Point2f eyes, float width, double hair_above_eyes = 0.9);

// A matte source for drawn pictures: person wherever the colour is far from every colour in
// `background_colours` (a plain wall, or a palette of blocks).
class ColourKeyMatte : public MatteSource {
 public:
  explicit ColourKeyMatte(std::vector<cv::Scalar> background_colours)
      : background_(std::move(background_colours)) {}
  Result<cv::Mat> Matte(const cv::Mat& bgr) const override;

 private:
  std::vector<cv::Scalar> background_;
};

}  // namespace examphoto::imaging::testing
