// The portrait core's entry point: from uploaded bytes to a judged, finished ID photo.
// Decodes, finds the face, measures it, composes the standard photo for a profile, runs
// every check and encodes the result. Construct once per process (it loads the landmark
// model, ~100 MB); Check is const and thread-safe, so one instance serves every request.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/result.h"
#include "imaging/face_detector.h"
#include "imaging/image_decoder.h"
#include "imaging/photo_profile.h"
#include "imaging/portrait_checks.h"

namespace examphoto::imaging {

struct ModelPaths {
  std::string shape_predictor = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";
};

struct PortraitCheckerOptions {
  DecodeOptions decode{.target_long_side = 1280};  // enough for every profile's face size
  FaceDetectorOptions detector;
};

struct PhotoIssue {
  std::string code;
  std::string message;  // Chinese, for the candidate
  std::string hint;     // what to do about it
};

struct PortraitReport {
  bool pass = false;
  // The bytes are not a usable image (not an image, truncated, too large): `error` says
  // which; no measurement was taken.
  bool unusable_input = false;
  std::optional<Error> error;
  std::vector<PhotoIssue> issues;
  PortraitMeasurements measurements;
  bool face_found = false;
  std::string format;      // of the upload
  int original_width = 0;  // upright, full resolution
  int original_height = 0;
  std::map<std::string, double> timings_ms;      // decode, detect, measure, compose, encode, total
  std::map<std::string, double> cpu_timings_ms;  // the same stages in this thread's CPU time
  std::string jpeg;  // the finished photo; empty when none could be made
  int jpeg_quality = 0;
  bool jpeg_within_size_range = false;
};

class PortraitChecker {
 public:
  static Result<PortraitChecker> Load(const ModelPaths& models,
                                      PortraitCheckerOptions options = {});

  PortraitReport Check(std::span<const uint8_t> bytes, const PhotoProfile& profile) const;

  const FaceDetector& detector() const { return detector_; }

 private:
  PortraitChecker(FaceDetector detector, PortraitCheckerOptions options)
      : detector_(std::move(detector)), options_(options) {}
  FaceDetector detector_;
  PortraitCheckerOptions options_;
};

// The report as one JSON object: {"pass", "issues": [{"code","message","hint"}], "face",
// "measurements", "timings_ms", ...} (without the JPEG bytes).
std::string PortraitReportToJson(const PortraitReport& report);

}  // namespace examphoto::imaging
