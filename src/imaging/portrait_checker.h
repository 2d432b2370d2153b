// The portrait core's entry point: from uploaded bytes to a judged, finished ID photo.
// Decodes, finds the face, measures it, composes the standard photo for a profile (the
// learned person matte replaces any background), runs every check and encodes the result.
// Construct once per process (it loads the landmark model, ~100 MB, the face mesh and the
// person matte model); Check is const and thread-safe, so one instance serves every request.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/result.h"
#include "imaging/face_detector.h"
#include "imaging/face_mesh.h"
#include "imaging/image_decoder.h"
#include "imaging/person_matter.h"
#include "imaging/photo_profile.h"
#include "imaging/portrait_checks.h"

namespace examphoto::imaging {

// Where the models are; the app fills them from its install layout (share/examphoto/models).
struct ModelPaths {
  std::string shape_predictor = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";
  // MediaPipe selfie segmentation as ONNX, made by scripts/install-models.sh.
  std::string person_matte;
  // MediaPipe face mesh as ONNX, made by the same script: head pose, eyes, mouth.
  std::string face_mesh;

  // The converted models in `folder` (selfie_segmentation.onnx, face_mesh.onnx).
  static ModelPaths In(const std::string& folder) {
    ModelPaths paths;
    paths.person_matte = folder + "/selfie_segmentation.onnx";
    paths.face_mesh = folder + "/face_mesh.onnx";
    return paths;
  }
};

struct PortraitCheckerOptions {
  DecodeOptions decode{.target_long_side = 1280};  // enough for every profile's face size
  FaceDetectorOptions detector;
  FaceMeshOptions mesh;
  ComposerOptions composer;
};

// What `photo check --debug-dir` writes: the stages a person can look at.
struct PortraitDebugImages {
  cv::Mat frame;     // the photo in the profile's frame before background replacement
  cv::Mat matte;     // CV_8U refined person matte in that frame (255 = person)
  cv::Mat finished;  // the finished photo (the pixels of the JPEG before encoding)
  // Maps the upload's full-resolution pixels into the frame (2×3 CV_64F), for tools that
  // compare the matte with a reference drawn on the upload.
  cv::Mat original_to_frame;
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
  // The models stay loaded in the checker; `engine` may go away after Load.
  static Result<PortraitChecker> Load(const ModelPaths& models, const InferenceEngine& engine,
                                      PortraitCheckerOptions options = {});

  // `debug`, when given, receives the intermediate images (only when a face was found).
  PortraitReport Check(std::span<const uint8_t> bytes, const PhotoProfile& profile,
                       PortraitDebugImages* debug = nullptr) const;

  const FaceDetector& detector() const { return detector_; }
  const PersonMatter& matter() const { return matter_; }
  const FaceMesh& mesh() const { return mesh_; }

 private:
  PortraitChecker(FaceDetector detector, FaceMesh mesh, PersonMatter matter,
                  PortraitCheckerOptions options)
      : detector_(std::move(detector)),
        mesh_(std::move(mesh)),
        matter_(std::move(matter)),
        options_(options) {}
  FaceDetector detector_;
  FaceMesh mesh_;
  PersonMatter matter_;
  PortraitCheckerOptions options_;
};

// The report as one JSON object: {"pass", "issues": [{"code","message","hint"}], "face",
// "measurements", "timings_ms", ...} (without the JPEG bytes).
std::string PortraitReportToJson(const PortraitReport& report);

}  // namespace examphoto::imaging
