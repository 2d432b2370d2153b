// Finds faces and their 68 landmarks in a photo, with dlib's HOG detector and the 68-point
// shape predictor that Debian ships (libdlib-data). Load once per process; Detect is
// thread-safe and keeps no reference to the image it was given.
#pragma once

#include <array>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "domain/result.h"

namespace examphoto::imaging {

// One face, in the pixels of the image passed to Detect. `points` follow the iBUG 300-W
// 68-point layout: 0–16 jaw, 17–26 brows, 27–35 nose, 36–47 eyes, 48–67 mouth.
struct FaceLandmarks {
  cv::Rect2f box;
  std::array<cv::Point2f, 68> points;
  double score = 0;  // detector confidence; above 0 is a detection, higher is surer
};

struct FaceDetectorOptions {
  // Detection runs on a copy scaled so that its width is at most this; landmarks are then
  // placed on the full-resolution image. dlib's HOG window is 80 px, so at 320 px a face
  // down to a quarter of the photo's width is found: a portrait taken at 80–100 cm.
  // Cost grows with the area: ≈ 20 ms at 320 px, ≈ 45 ms at 480 px on one core.
  int detection_width = 320;
  // When nothing is found, one more pass at this width finds faces down to an eighth of the
  // width (a candidate standing far away, a group photo). 0 disables it.
  int fallback_width = 640;
  // And when even that finds nothing, a last pass at this width finds faces down to a
  // sixteenth of the width (a small photo is enlarged up to twice), so that a candidate
  // standing far away hears "too far" and a tiny upload "resolution too low" rather than
  // "no face". Costs ≈ 4× the fallback pass, paid only by photos without a face.
  int far_fallback_width = 1280;
  // Passed to dlib as adjust_threshold: below 0 finds fainter faces (and more false ones).
  double threshold = 0.0;
};

class FaceDetector {
 public:
  static Result<FaceDetector> Load(const std::string& shape_predictor_path,
                                   FaceDetectorOptions options = {});

  FaceDetector(FaceDetector&&) noexcept;
  FaceDetector& operator=(FaceDetector&&) noexcept;
  ~FaceDetector();

  // Faces in a BGR (or single-channel) 8-bit image, surest first.
  std::vector<FaceLandmarks> Detect(const cv::Mat& image) const;

  // Landmarks for a face box already known (for example the same face on a corrected photo).
  FaceLandmarks Landmarks(const cv::Mat& image, const cv::Rect2f& box) const;

 private:
  struct State;
  explicit FaceDetector(std::unique_ptr<State> state);
  std::vector<FaceLandmarks> DetectAtWidth(const cv::Mat& image, int width,
                                           bool allow_upscale = false) const;
  std::unique_ptr<State> state_;
};

}  // namespace examphoto::imaging
