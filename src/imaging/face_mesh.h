// Head pose, eyes and mouth from a learned 3-D face mesh: MediaPipe's face mesh (468 points,
// Apache-2.0; converted to ONNX at install time by tools/model_converter/tfjs_to_onnx.py) run
// through the inference engine on one core. dlib's 68 points follow the detection box, which
// the background and the crop move (the same face read −3° and 18° of pitch on two
// backgrounds); the mesh is fitted twice, the second time on a crop placed by its own first
// result, so where the face is found no longer matters, and its depth gives the pose without
// a generic head model. Load once per process; Fit is const and thread-safe.
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <opencv2/core.hpp>

#include "domain/result.h"
#include "imaging/face_detector.h"
#include "imaging/face_geometry.h"
#include "inference/inference_engine.h"

namespace examphoto::imaging {

// The model's 468 points on the photo: x, y in the photo's pixels; z the depth in the same
// units, smaller = nearer the camera (relative to the head's centre, as the model gives it).
struct FaceMeshLandmarks {
  std::array<cv::Point3f, 468> points;
  double presence = 0;  // the model's face flag, 0..1: the crop holds a face
};

// Indices into the mesh (MediaPipe's topology), as seen in the image of a frontal face:
// "left" is the image's left (the subject's right).
namespace mesh_index {
inline constexpr int kForeheadTop = 10;
inline constexpr int kNoseBridge = 168;
inline constexpr int kNoseTip = 1;
inline constexpr int kChin = 152;
inline constexpr int kEyeLeftOuter = 33;
inline constexpr int kEyeLeftInner = 133;
inline constexpr int kEyeRightInner = 362;
inline constexpr int kEyeRightOuter = 263;
inline constexpr int kMouthLeft = 78;  // inner corner of the lips
inline constexpr int kMouthRight = 308;
}  // namespace mesh_index

// Degrees, with HeadPose's signs, as turns applied in the order yaw (about the vertical),
// pitch (about the head's across axis), roll (about its facing direction). The face's own
// axes come from the mesh: across = the mean direction from each point on the image's left
// to its mirror twin on the right (eye corners, brows, cheeks, jaw: the face's symmetry,
// whatever the person's proportions); down = from the forehead's top to the chin, square to
// across. Pitch is offset by `pitch_offset` (that line leans back in most faces; the offset
// is what faces looking at the lens read).
HeadPose MeshPose(const FaceMeshLandmarks& mesh, double pitch_offset);

// Eye aspect ratio of each eye (two lid distances over the corner distance), the less open
// of the two: ≈ 0.25–0.35 open, below ≈ 0.15 closed; and the inner lips' gap over the inner
// mouth width: ≈ 0–0.05 closed.
double MeshEyeOpenness(const FaceMeshLandmarks& mesh);
double MeshMouthOpenness(const FaceMeshLandmarks& mesh);

// What the checks take from the mesh.
struct MeshMeasurements {
  HeadPose pose;
  double eye_openness = 0;
  double mouth_openness = 0;
  double presence = 0;
};
MeshMeasurements MeasureMesh(const FaceMeshLandmarks& mesh, double pitch_offset);

struct FaceMeshOptions {
  // The crop is this many times the face's extent, square, turned upright (as MediaPipe
  // crops for this model).
  double crop_scale = 1.5;
  // A second fit on the crop the first one places: the answer no longer depends on the
  // detector's box.
  bool refit = true;
  // Degrees added to the pitch so that faces looking into the lens read 0 (the forehead-to-
  // chin line leans back): chosen on the tune part of the development set.
  double pitch_offset = 6.0;
};

class FaceMesh {
 public:
  static constexpr int kInputSize = 192;

  static Result<FaceMesh> Load(const InferenceEngine& engine,
                               const std::filesystem::path& model_file,
                               FaceMeshOptions options = {});

  // The mesh of the face that dlib found (its 68 points place the first crop), in the
  // pixels of `bgr`. An inference failure is an error.
  Result<FaceMeshLandmarks> Fit(const cv::Mat& bgr, const FaceLandmarks& face) const;

  const FaceMeshOptions& options() const { return options_; }

 private:
  FaceMesh(std::shared_ptr<const InferenceModel> model, FaceMeshOptions options)
      : model_(std::move(model)), options_(options) {}
  // One run on the square of side `side` centred at `centre`, turned by `angle` degrees.
  Result<FaceMeshLandmarks> FitCrop(const cv::Mat& bgr, cv::Point2f centre, double side,
                                    double angle) const;
  std::shared_ptr<const InferenceModel> model_;
  FaceMeshOptions options_;
};

}  // namespace examphoto::imaging
