#include "imaging/face_geometry.h"

#include <cmath>
#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace examphoto::imaging {
namespace {

cv::Point2f Mean(const FaceLandmarks& face, int first, int last) {
  cv::Point2f sum(0, 0);
  for (int i = first; i <= last; ++i) sum += face.points[i];
  return sum / static_cast<float>(last - first + 1);
}

double Distance(cv::Point2f a, cv::Point2f b) { return std::hypot(a.x - b.x, a.y - b.y); }

double EyeAspectRatio(const FaceLandmarks& face, int first) {
  const auto& p = face.points;
  const double width = Distance(p[first], p[first + 3]);
  if (width <= 0) return 0;
  return (Distance(p[first + 1], p[first + 5]) + Distance(p[first + 2], p[first + 4])) /
         (2.0 * width);
}

// A generic adult head in millimetres, in the camera's axes for a face looking straight at
// it (x right, y down, z away from the camera), origin at the nose tip. Average proportions,
// not any one person: good to a few degrees, which is what the pose limits need.
const std::vector<cv::Point3d>& GenericHead() {
  static const std::vector<cv::Point3d> model = {
      {0, 0, 0},       // 30 nose tip
      {0, 66, 14},     // 8 chin
      {-44, -33, 27},  // 36 outer corner of the eye on the image's left
      {44, -33, 27},   // 45 outer corner of the eye on the image's right
      {-26, 29, 19},   // 48 mouth corner, image left
      {26, 29, 19},    // 54 mouth corner, image right
      {0, -34, 20},    // 27 nose bridge between the eyes
      {-71, -26, 88},  // 0 jaw at ear level, image left
      {71, -26, 88},   // 16 jaw at ear level, image right
  };
  return model;
}
constexpr int kModelLandmarks[] = {30, 8, 36, 45, 48, 54, 27, 0, 16};

// With the generic head, faces that look straight into the lens read about 11° chin-down
// (measured on the face-api sample photos): dlib's chin and nose points sit lower than the
// model's. The offset brings "looking at the camera" to 0.
constexpr double kPitchCalibration = 11.0;

HeadPose EstimatePose(const FaceLandmarks& face, cv::Size image_size) {
  std::vector<cv::Point2d> image_points;
  for (int index : kModelLandmarks) image_points.emplace_back(face.points[index]);
  // A phone's main camera sees about 65–75° across its long side: focal ≈ long side.
  const double focal = std::max(image_size.width, image_size.height);
  cv::Mat camera = (cv::Mat_<double>(3, 3) << focal, 0, image_size.width / 2.0, 0, focal,
                    image_size.height / 2.0, 0, 0, 1);
  cv::Mat rotation_vector, translation;
  HeadPose pose;
  if (!cv::solvePnP(GenericHead(), image_points, camera, cv::Mat(), rotation_vector, translation,
                    false, cv::SOLVEPNP_ITERATIVE)) {
    return pose;
  }
  cv::Mat rotation;
  cv::Rodrigues(rotation_vector, rotation);
  cv::Mat r_upper, q_orthogonal;
  const cv::Vec3d euler = cv::RQDecomp3x3(rotation, r_upper, q_orthogonal);
  // RQDecomp3x3 returns rotations about x (pitch), y (yaw), z (roll). With y pointing down,
  // a chin-up head is a negative rotation about x.
  pose.pitch = -euler[0] + kPitchCalibration;
  pose.yaw = euler[1];
  pose.roll = euler[2];
  // Angles near ±180 mean the decomposition picked the flipped solution.
  auto wrap = [](double a) {
    while (a > 90) a -= 180;
    while (a < -90) a += 180;
    return a;
  };
  pose.pitch = wrap(pose.pitch);
  pose.yaw = wrap(pose.yaw);
  pose.roll = wrap(pose.roll);
  return pose;
}

}  // namespace

FaceGeometry MeasureFace(const FaceLandmarks& face, cv::Size image_size) {
  FaceGeometry g;
  const auto& p = face.points;
  g.eye_left = Mean(face, 36, 41);
  g.eye_right = Mean(face, 42, 47);
  g.eye_centre = (g.eye_left + g.eye_right) * 0.5f;
  g.nose_tip = p[30];
  g.mouth_centre = Mean(face, 60, 67);
  g.chin = p[8];
  g.face_box = face.box;
  g.eye_distance = Distance(g.eye_left, g.eye_right);
  g.face_width = Distance(p[0], p[16]);

  // The face's own "up": perpendicular to the eye line, pointing away from the chin.
  cv::Point2f across = g.eye_right - g.eye_left;
  const float across_length = std::max(1e-3f, static_cast<float>(cv::norm(across)));
  across /= across_length;
  cv::Point2f up(across.y, -across.x);
  if ((g.chin - g.eye_centre).dot(up) > 0) up = -up;
  const double eye_to_chin = -(g.chin - g.eye_centre).dot(up);
  // Either cue alone fails on some faces: a head bowed or raised shortens eye-to-chin, a
  // turned head narrows the face; the larger of the two estimates holds for both.
  const double eye_to_top = std::max(1.05 * eye_to_chin, 0.85 * g.face_width);
  g.head_top = g.eye_centre + up * static_cast<float>(eye_to_top);
  g.face_height = eye_to_top + eye_to_chin;

  g.eye_left_openness = EyeAspectRatio(face, 36);
  g.eye_right_openness = EyeAspectRatio(face, 42);
  const double mouth_width = Distance(p[60], p[64]);
  if (mouth_width > 0) {
    g.mouth_openness = (Distance(p[61], p[67]) + Distance(p[62], p[66]) + Distance(p[63], p[65])) /
                       (3.0 * mouth_width);
  }

  g.pose = EstimatePose(face, image_size);
  // Yaw from the nose alone: the fitted yaw leans on the jaw's ends, which hair over the
  // ears drags about. Turning the head by θ moves the nose tip sideways, relative to the
  // midpoint of the outer eye corners, by depth · sin θ, where the tip stands about 0.36
  // outer-corner distances in front of the corners (average adult proportions).
  {
    const cv::Point2f corner_left = p[36], corner_right = p[45];
    const double corner_distance = Distance(corner_left, corner_right);
    if (corner_distance > 0) {
      const cv::Point2f middle = (corner_left + corner_right) * 0.5f;
      const double offset = (p[30] - middle).dot(across);
      g.pose.yaw = std::atan2(offset, 0.36 * corner_distance) * 180.0 / CV_PI;
    }
  }
  // Roll is measured directly from the eye line: steadier than the fitted rotation.
  g.pose.roll =
      std::atan2(g.eye_right.y - g.eye_left.y, g.eye_right.x - g.eye_left.x) * 180.0 / CV_PI;
  return g;
}

cv::Mat FaceSkinMask(const FaceLandmarks& face, cv::Size image_size) {
  cv::Mat mask = cv::Mat::zeros(image_size, CV_8U);
  auto polygon = [&](std::initializer_list<int> indices) {
    std::vector<cv::Point> points;
    for (int i : indices) points.emplace_back(cvRound(face.points[i].x), cvRound(face.points[i].y));
    return points;
  };
  std::vector<cv::Point> outline = polygon(
      {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17});
  std::vector<cv::Point> hull;
  cv::convexHull(outline, hull);
  cv::fillConvexPoly(mask, hull, cv::Scalar(255));
  const int thickness = std::max(2, cvRound(Distance(face.points[36], face.points[45]) * 0.06));
  for (const auto& part : {polygon({36, 37, 38, 39, 40, 41}), polygon({42, 43, 44, 45, 46, 47}),
                           polygon({48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59})}) {
    cv::fillConvexPoly(mask, part, cv::Scalar(0));
    cv::polylines(mask, part, true, cv::Scalar(0), 2 * thickness);
  }
  for (const auto& brow : {polygon({17, 18, 19, 20, 21}), polygon({22, 23, 24, 25, 26})}) {
    cv::polylines(mask, brow, false, cv::Scalar(0), 3 * thickness);
  }
  return mask;
}

FaceLandmarks TransformLandmarks(const FaceLandmarks& face, const cv::Mat& affine) {
  FaceLandmarks out = face;
  std::vector<cv::Point2f> points(face.points.begin(), face.points.end());
  cv::transform(points, points, affine);
  std::copy(points.begin(), points.end(), out.points.begin());
  std::vector<cv::Point2f> corners = {face.box.tl(),
                                      {face.box.x + face.box.width, face.box.y},
                                      face.box.br(),
                                      {face.box.x, face.box.y + face.box.height}};
  cv::transform(corners, corners, affine);
  out.box = cv::boundingRect(corners);
  return out;
}

int MaskedPercentile(const cv::Mat& grey, const cv::Mat& mask, double fraction) {
  int histogram[256] = {};
  int total = 0;
  for (int y = 0; y < grey.rows; ++y) {
    const uint8_t* g = grey.ptr<uint8_t>(y);
    const uint8_t* k = mask.ptr<uint8_t>(y);
    for (int x = 0; x < grey.cols; ++x) {
      histogram[g[x]] += k[x] != 0;
      total += k[x] != 0;
    }
  }
  int seen = 0, level = 0;
  while (level < 255 && (seen += histogram[level]) < fraction * total) ++level;
  return level;
}

}  // namespace examphoto::imaging
