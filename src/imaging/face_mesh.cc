#include "imaging/face_mesh.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "domain/messages.h"
#include "imaging/model_input.h"

namespace examphoto::imaging {
namespace {

// Mirror twins of the mesh (image left, image right on a frontal face), found by fitting the
// model to a face and to its mirror image: eye corners and lids, brows, forehead, cheeks and
// the jaw line from the ears to the chin. Far-apart pairs weigh more in the sum of their
// differences, which suits: their direction is the surest.
constexpr std::array<std::array<int, 2>, 28> kMirrorPairs = {{
    {33, 263},  {133, 362}, {159, 386}, {145, 374}, {70, 300},  {105, 334}, {107, 336},
    {109, 338}, {67, 297},  {103, 332}, {54, 284},  {21, 251},  {162, 389}, {127, 356},
    {234, 454}, {93, 323},  {132, 361}, {58, 288},  {172, 397}, {136, 365}, {150, 379},
    {149, 378}, {176, 400}, {148, 377}, {61, 291},  {78, 308},  {82, 312},  {87, 317},
}};

cv::Vec3d AsVector(const cv::Point3f& p) { return {p.x, p.y, p.z}; }

double Distance2d(const cv::Point3f& a, const cv::Point3f& b) {
  return std::hypot(a.x - b.x, a.y - b.y);
}

double Degrees(double radians) { return radians * 180.0 / CV_PI; }

// Eye aspect ratio from six points: outer corner, two upper lid points, inner corner, two
// lower lid points (the upper and lower of each pair face each other).
double EyeAspectRatio(const FaceMeshLandmarks& mesh, const std::array<int, 6>& index) {
  const auto& p = mesh.points;
  const double width = Distance2d(p[index[0]], p[index[3]]);
  if (width <= 0) return 0;
  return (Distance2d(p[index[1]], p[index[5]]) + Distance2d(p[index[2]], p[index[4]])) /
         (2.0 * width);
}

}  // namespace

HeadPose MeshPose(const FaceMeshLandmarks& mesh, double pitch_offset) {
  const auto& p = mesh.points;
  cv::Vec3d across(0, 0, 0);
  for (const auto& [left, right] : kMirrorPairs) across += AsVector(p[right]) - AsVector(p[left]);
  HeadPose pose;
  if (cv::norm(across) <= 0) return pose;
  across = cv::normalize(across);
  cv::Vec3d down = AsVector(p[mesh_index::kChin]) - AsVector(p[mesh_index::kForeheadTop]);
  down -= across * down.dot(across);
  if (cv::norm(down) <= 0) return pose;
  down = cv::normalize(down);
  // Camera axes: x right, y down, z away from the camera. The face looks along −(across ×
  // down): towards the camera when frontal.
  const cv::Vec3d facing = -across.cross(down);
  pose.yaw = Degrees(std::atan2(facing[0], -facing[2]));
  // Chin up tilts the facing direction up the image (−y). The offset turns "the forehead-to-
  // chin line upright" into "looking at the lens".
  pose.pitch = Degrees(std::atan2(-facing[1], std::hypot(facing[0], facing[2]))) + pitch_offset;
  // Roll about the facing direction itself (not the eye line's slope in the image, which a
  // turned and raised head tilts without any roll): against the across and down directions
  // the head would have with the same yaw and pitch and no roll.
  const cv::Vec3d level = cv::normalize(cv::Vec3d(-facing[2], 0, facing[0]));
  const cv::Vec3d level_down = (-facing).cross(level);
  pose.roll = Degrees(std::atan2(across.dot(level_down), across.dot(level)));
  return pose;
}

double MeshEyeOpenness(const FaceMeshLandmarks& mesh) {
  const double left = EyeAspectRatio(mesh, {33, 160, 158, 133, 153, 144});
  const double right = EyeAspectRatio(mesh, {263, 387, 385, 362, 380, 373});
  return std::min(left, right);
}

double MeshMouthOpenness(const FaceMeshLandmarks& mesh) {
  const auto& p = mesh.points;
  const double width = Distance2d(p[mesh_index::kMouthLeft], p[mesh_index::kMouthRight]);
  if (width <= 0) return 0;
  // Three gaps between the inner lips: the middle and either side of it.
  const double gap =
      Distance2d(p[13], p[14]) + Distance2d(p[82], p[87]) + Distance2d(p[312], p[317]);
  return gap / (3.0 * width);
}

MeshMeasurements MeasureMesh(const FaceMeshLandmarks& mesh, double pitch_offset) {
  return {MeshPose(mesh, pitch_offset), MeshEyeOpenness(mesh), MeshMouthOpenness(mesh),
          mesh.presence};
}

Result<FaceMesh> FaceMesh::Load(const InferenceEngine& engine,
                                const std::filesystem::path& model_file, FaceMeshOptions options) {
  auto model = engine.Load(model_file);
  if (!model.ok()) return model.error();
  const std::vector<int64_t> shape = (*model)->input_shape(0);
  if (shape != std::vector<int64_t>{1, kInputSize, kInputSize, 3} ||
      (*model)->output_names().size() != 3) {
    return MakeError(ErrorKind::kInternal, "models.load_failed",
                     model_file.string() + " is not the 1×192×192×3 face mesh model");
  }
  FaceMesh mesh(std::shared_ptr<const InferenceModel>(std::move(model).value()), options);
  // The first run of a session sets up its kernels: pay it at load.
  const cv::Mat grey(kInputSize, kInputSize, CV_8UC3, cv::Scalar(128, 128, 128));
  if (auto warm = mesh.FitCrop(grey, {96, 96}, kInputSize, 0); !warm.ok()) return warm.error();
  return mesh;
}

Result<FaceMeshLandmarks> FaceMesh::FitCrop(const cv::Mat& bgr, cv::Point2f centre, double side,
                                            double angle) const {
  const double scale = kInputSize / std::max(1.0, side);
  cv::Mat to_crop = cv::getRotationMatrix2D(centre, angle, scale);
  to_crop.at<double>(0, 2) += kInputSize / 2.0 - centre.x;
  to_crop.at<double>(1, 2) += kInputSize / 2.0 - centre.y;

  // A crop shrunk more than twice is first reduced by an integer factor with area averaging,
  // so that the bilinear warp does not alias.
  cv::Mat crop;
  const int factor = static_cast<int>(std::floor(1.0 / scale));
  cv::Rect region;
  if (factor >= 2) {
    cv::Mat from_crop;
    cv::invertAffineTransform(to_crop, from_crop);
    std::vector<cv::Point2f> corners = {
        {0, 0}, {kInputSize, 0}, {0, kInputSize}, {kInputSize, kInputSize}};
    cv::transform(corners, corners, from_crop);
    region = cv::boundingRect(corners) & cv::Rect(0, 0, bgr.cols, bgr.rows);
    region.width = region.width / factor * factor;
    region.height = region.height / factor * factor;
  }
  if (!region.empty()) {
    cv::Mat reduced;
    cv::resize(bgr(region), reduced, cv::Size(region.width / factor, region.height / factor), 0, 0,
               cv::INTER_AREA);
    const double f = factor;
    // reduced(x, y) covers bgr(region.x + f·x … + f, …): its centre is f·x + (f − 1)/2.
    cv::Mat from_reduced = (cv::Mat_<double>(3, 3) << f, 0, region.x + (f - 1) / 2, 0, f,
                            region.y + (f - 1) / 2, 0, 0, 1);
    cv::Mat to_crop3 = cv::Mat::eye(3, 3, CV_64F);
    to_crop.copyTo(to_crop3(cv::Rect(0, 0, 3, 2)));
    const cv::Mat map = cv::Mat(to_crop3 * from_reduced)(cv::Rect(0, 0, 3, 2));
    cv::warpAffine(reduced, crop, map, cv::Size(kInputSize, kInputSize), cv::INTER_LINEAR,
                   cv::BORDER_CONSTANT);
  } else {
    cv::warpAffine(bgr, crop, to_crop, cv::Size(kInputSize, kInputSize), cv::INTER_LINEAR,
                   cv::BORDER_CONSTANT);
  }
  cv::Mat input;
  const TensorInput tensor = RgbUnitTensor(crop, input);
  auto outputs = model_->Run(std::span<const TensorInput>(&tensor, 1));
  if (!outputs.ok()) return outputs.error();
  // Outputs in the converted model's order: mesh (1404), face flag (1), contours.
  const Tensor* mesh = nullptr;
  const Tensor* flag = nullptr;
  for (const Tensor& out : *outputs) {
    if (out.values.size() == size_t{468} * 3) mesh = &out;
    if (out.values.size() == 1) flag = &out;
  }
  if (mesh == nullptr || flag == nullptr) {
    return MakeError(ErrorKind::kInternal, "internal.error", "face mesh outputs have wrong sizes");
  }
  cv::Mat from_crop;
  cv::invertAffineTransform(to_crop, from_crop);
  const double* m = from_crop.ptr<double>();
  FaceMeshLandmarks out;
  out.presence = flag->values[0];
  for (size_t i = 0; i < 468; ++i) {
    const double x = mesh->values[3 * i], y = mesh->values[3 * i + 1];
    out.points[i] = cv::Point3f(static_cast<float>(m[0] * x + m[1] * y + m[2]),
                                static_cast<float>(m[3] * x + m[4] * y + m[5]),
                                static_cast<float>(mesh->values[3 * i + 2] / scale));
  }
  return out;
}

Result<FaceMeshLandmarks> FaceMesh::Fit(const cv::Mat& bgr, const FaceLandmarks& face) const {
  // First crop: around dlib's 68 points, upright by their eye line.
  cv::Rect2f extent =
      cv::boundingRect(std::vector<cv::Point2f>(face.points.begin(), face.points.end()));
  const cv::Point2f eye_left = (face.points[36] + face.points[39]) * 0.5f;
  const cv::Point2f eye_right = (face.points[42] + face.points[45]) * 0.5f;
  double angle = Degrees(std::atan2(eye_right.y - eye_left.y, eye_right.x - eye_left.x));
  cv::Point2f centre(extent.x + extent.width / 2, extent.y + extent.height / 2);
  double side = options_.crop_scale * std::max(extent.width, extent.height);
  auto fitted = FitCrop(bgr, centre, side, angle);
  if (!fitted.ok() || !options_.refit) return fitted;

  // Second crop: placed by the mesh itself (its extent in its own upright frame).
  const auto& p = fitted->points;
  const cv::Point3f outer_left = p[mesh_index::kEyeLeftOuter];
  const cv::Point3f outer_right = p[mesh_index::kEyeRightOuter];
  angle = Degrees(std::atan2(outer_right.y - outer_left.y, outer_right.x - outer_left.x));
  const double c = std::cos(angle * CV_PI / 180), s = std::sin(angle * CV_PI / 180);
  double min_u = 1e9, max_u = -1e9, min_v = 1e9, max_v = -1e9;
  for (const auto& point : p) {
    const double u = c * point.x + s * point.y, v = -s * point.x + c * point.y;
    min_u = std::min(min_u, u);
    max_u = std::max(max_u, u);
    min_v = std::min(min_v, v);
    max_v = std::max(max_v, v);
  }
  const double mid_u = 0.5 * (min_u + max_u), mid_v = 0.5 * (min_v + max_v);
  centre = cv::Point2f(static_cast<float>(c * mid_u - s * mid_v),
                       static_cast<float>(s * mid_u + c * mid_v));
  side = options_.crop_scale * std::max(max_u - min_u, max_v - min_v);
  auto refitted = FitCrop(bgr, centre, side, angle);
  if (!refitted.ok()) return refitted;
  // A refit that lost the face (a strange first fit) keeps the first answer.
  return refitted->presence >= fitted->presence * 0.5 ? refitted : fitted;
}

}  // namespace examphoto::imaging
