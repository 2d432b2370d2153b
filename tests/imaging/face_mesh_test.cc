// The face mesh's own logic (pose from the mesh's symmetry, eyes, mouth) on drawn meshes:
// no model, so the sanitizer pass runs it.
#include "imaging/face_mesh.h"

#include <gtest/gtest.h>

#include <cmath>

namespace examphoto::imaging {
namespace {

// A symmetric face looking straight at the camera: each mirror twin at (∓x, y, z), the
// midline at x = 0, eyes open, lips closed. Pixels, z smaller = nearer the camera.
FaceMeshLandmarks FrontalMesh() {
  FaceMeshLandmarks mesh;
  for (auto& p : mesh.points) p = {0, 0, 0};
  auto pair = [&](int left, int right, float x, float y, float z) {
    mesh.points[left] = {-x, y, z};
    mesh.points[right] = {x, y, z};
  };
  pair(33, 263, 45, -30, 10);  // outer eye corners
  pair(133, 362, 15, -30, 5);  // inner eye corners
  pair(160, 387, 35, -36, 4);  // upper lids
  pair(158, 385, 25, -36, 4);
  pair(144, 373, 35, -24, 4);  // lower lids
  pair(153, 380, 25, -24, 4);
  pair(159, 386, 30, -36, 4);
  pair(145, 374, 30, -24, 4);
  pair(70, 300, 50, -45, 8);  // brows
  pair(105, 334, 35, -50, 2);
  pair(107, 336, 15, -48, 0);
  pair(109, 338, 20, -95, 10);  // forehead
  pair(67, 297, 40, -90, 18);
  pair(103, 332, 55, -80, 25);
  pair(54, 284, 65, -70, 32);
  pair(21, 251, 72, -55, 40);
  pair(162, 389, 75, -40, 45);
  pair(127, 356, 78, -25, 50);  // cheeks to the jaw
  pair(234, 454, 80, -10, 55);
  pair(93, 323, 78, 10, 52);
  pair(132, 361, 74, 25, 48);
  pair(58, 288, 68, 40, 42);
  pair(172, 397, 60, 55, 36);
  pair(136, 365, 50, 65, 30);
  pair(150, 379, 40, 72, 25);
  pair(149, 378, 30, 77, 20);
  pair(176, 400, 20, 80, 16);
  pair(148, 377, 10, 82, 13);
  pair(61, 291, 28, 40, 10);  // outer mouth corners
  pair(78, 308, 24, 40, 8);   // inner mouth corners
  pair(82, 312, 8, 40, 2);    // inner lips either side of the middle
  pair(87, 317, 8, 40, 2);
  mesh.points[13] = {0, 40, 0};  // inner lips, middle
  mesh.points[14] = {0, 40, 0};
  mesh.points[10] = {0, -100, 12};  // forehead top
  mesh.points[152] = {0, 85, 12};   // chin
  mesh.points[1] = {0, 10, -30};    // nose tip
  mesh.presence = 1;
  return mesh;
}

// Turns the head by roll (in the image plane: the eye on the image's right lower for
// positive), then pitch (about the horizontal: chin up for positive), then yaw (about the
// vertical: nose to the image's right for positive), each about the camera's axes; then moves
// it into a photo.
FaceMeshLandmarks Turned(FaceMeshLandmarks mesh, double yaw, double pitch, double roll) {
  const double y = yaw * CV_PI / 180, p = pitch * CV_PI / 180, r = roll * CV_PI / 180;
  for (auto& point : mesh.points) {
    const double x = point.x, v = point.y, z = point.z;
    // Roll: +x moves to +y.
    const double x1 = x * std::cos(r) - v * std::sin(r), v1 = x * std::sin(r) + v * std::cos(r);
    // Pitch: the nose (z < 0) moves up (−y).
    const double v2 = v1 * std::cos(p) + z * std::sin(p), z2 = -v1 * std::sin(p) + z * std::cos(p);
    // Yaw: the nose moves to +x.
    const double x3 = x1 * std::cos(y) - z2 * std::sin(y), z3 = x1 * std::sin(y) + z2 * std::cos(y);
    point = cv::Point3f(static_cast<float>(x3 + 300), static_cast<float>(v2 + 400),
                        static_cast<float>(z3));
  }
  return mesh;
}

TEST(MeshPoseTest, AFrontalFaceReadsZero) {
  const HeadPose pose = MeshPose(Turned(FrontalMesh(), 0, 0, 0), 0);
  EXPECT_NEAR(pose.yaw, 0, 0.01);
  EXPECT_NEAR(pose.pitch, 0, 0.01);
  EXPECT_NEAR(pose.roll, 0, 0.01);
}

TEST(MeshPoseTest, ReadsEachTurnWithItsSign) {
  for (double angle : {-30.0, -12.0, 8.0, 25.0}) {
    const HeadPose yawed = MeshPose(Turned(FrontalMesh(), angle, 0, 0), 0);
    EXPECT_NEAR(yawed.yaw, angle, 0.5) << angle;
    EXPECT_NEAR(yawed.pitch, 0, 0.5) << angle;
    const HeadPose pitched = MeshPose(Turned(FrontalMesh(), 0, angle, 0), 0);
    EXPECT_NEAR(pitched.pitch, angle, 0.5) << angle;
    EXPECT_NEAR(pitched.yaw, 0, 0.5) << angle;
    const HeadPose rolled = MeshPose(Turned(FrontalMesh(), 0, 0, angle), 0);
    EXPECT_NEAR(rolled.roll, angle, 0.5) << angle;
    EXPECT_NEAR(rolled.yaw, 0, 0.5) << angle;
    EXPECT_NEAR(rolled.pitch, 0, 0.5) << angle;
  }
}

TEST(MeshPoseTest, CombinedTurnsKeepTheirSignsAndSizes) {
  const HeadPose pose = MeshPose(Turned(FrontalMesh(), 20, -12, 6), 0);
  EXPECT_NEAR(pose.yaw, 20, 0.5);
  EXPECT_NEAR(pose.pitch, -12, 0.5);
  EXPECT_NEAR(pose.roll, 6, 0.5);
}

TEST(MeshPoseTest, PitchOffsetIsAdded) { EXPECT_NEAR(MeshPose(FrontalMesh(), 14).pitch, 14, 0.01); }

TEST(MeshPoseTest, ANoisyOrAsymmetricFaceStillReadsNearItsTurn) {
  // A face is never exactly symmetric: one jaw side 6 px wider, the chin 4 px off.
  FaceMeshLandmarks mesh = FrontalMesh();
  for (int i : {234, 93, 132, 58}) mesh.points[i].x -= 6;
  mesh.points[152].x += 4;
  const HeadPose pose = MeshPose(Turned(mesh, 10, 5, 0), 0);
  EXPECT_NEAR(pose.yaw, 10, 3);
  EXPECT_NEAR(pose.pitch, 5, 3);
}

TEST(MeshEyesAndMouthTest, OpenEyesAndClosedLipsReadSo) {
  const FaceMeshLandmarks mesh = FrontalMesh();
  EXPECT_NEAR(MeshEyeOpenness(mesh), 0.4, 0.01);  // lids 12 px apart, corners 30
  EXPECT_GT(MeshEyeOpenness(mesh), 0.3);
  EXPECT_LT(MeshMouthOpenness(mesh), 0.01);
}

TEST(MeshEyesAndMouthTest, ClosedEyesAndAnOpenMouthReadSo) {
  FaceMeshLandmarks mesh = FrontalMesh();
  for (int i : {160, 158, 159, 387, 385, 386}) mesh.points[i].y = -29;
  for (int i : {144, 153, 145, 373, 380, 374}) mesh.points[i].y = -31;
  mesh.points[14].y = 60;
  mesh.points[87].y = 56;
  mesh.points[317].y = 56;
  EXPECT_LT(MeshEyeOpenness(mesh), 0.1);
  EXPECT_GT(MeshMouthOpenness(mesh), 0.3);
}

}  // namespace
}  // namespace examphoto::imaging
