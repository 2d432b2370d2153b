#include "imaging/face_detector.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "imaging/face_geometry.h"

namespace examphoto::imaging {
namespace {

const FaceDetector& Detector() {
  static const FaceDetector detector = [] {
    auto loaded = FaceDetector::Load(EXAMPHOTO_SHAPE_PREDICTOR);
    if (!loaded.ok()) throw std::runtime_error(loaded.error().detail);
    return std::move(loaded).value();
  }();
  return detector;
}

cv::Mat Sample(int n) {
  cv::Mat image =
      cv::imread(std::string(EXAMPHOTO_SAMPLE_DIR) + "/sample" + std::to_string(n) + ".jpg");
  if (image.empty()) ADD_FAILURE() << "sample photos missing: run scripts/install-models.sh";
  return image;
}

TEST(FaceDetectorTest, RefusesMissingModelFile) {
  auto loaded = FaceDetector::Load("/nonexistent/shape_predictor.dat");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, "photo.model_missing");
}

TEST(FaceDetectorTest, FindsNoFaceInPlainWall) {
  cv::Mat wall(480, 360, CV_8UC3, cv::Scalar(200, 180, 160));
  EXPECT_TRUE(Detector().Detect(wall).empty());
}

TEST(FaceDetectorTest, LandmarksLieInsideTheFaceBoxOnRealPhotos) {
  for (int n = 1; n <= 6; ++n) {
    cv::Mat image = Sample(n);
    auto faces = Detector().Detect(image);
    ASSERT_FALSE(faces.empty()) << "sample" << n;
    const auto& face = faces.front();
    cv::Rect2f grown(face.box.x - face.box.width * 0.3f, face.box.y - face.box.height * 0.3f,
                     face.box.width * 1.6f, face.box.height * 1.6f);
    for (const auto& point : face.points) EXPECT_TRUE(grown.contains(point)) << "sample" << n;
    FaceGeometry geometry = MeasureFace(face, image.size());
    EXPECT_LT(geometry.eye_centre.y, geometry.nose_tip.y);
    EXPECT_LT(geometry.nose_tip.y, geometry.chin.y);
    EXPECT_LT(geometry.head_top.y, geometry.eye_centre.y);
    EXPECT_GT(geometry.eye_distance, 0.25 * geometry.face_width);
  }
}

TEST(FaceDetectorTest, LandmarksFollowTheFaceWhenThePhotoIsScaled) {
  cv::Mat image = Sample(1);
  cv::Mat half;
  cv::resize(image, half, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
  auto full_faces = Detector().Detect(image);
  auto half_faces = Detector().Detect(half);
  ASSERT_FALSE(full_faces.empty());
  ASSERT_FALSE(half_faces.empty());
  auto full = MeasureFace(full_faces[0], image.size());
  auto small = MeasureFace(half_faces[0], half.size());
  EXPECT_NEAR(full.eye_centre.x, 2 * small.eye_centre.x, 0.04 * full.face_width);
  EXPECT_NEAR(full.eye_centre.y, 2 * small.eye_centre.y, 0.04 * full.face_width);
}

TEST(FaceDetectorTest, RollFollowsARotatedPhoto) {
  cv::Mat image = Sample(1);
  auto faces = Detector().Detect(image);
  ASSERT_FALSE(faces.empty());
  const double original_roll = MeasureFace(faces[0], image.size()).pose.roll;
  cv::Point2f centre(image.cols / 2.0f, image.rows / 2.0f);
  cv::Mat rotation = cv::getRotationMatrix2D(centre, -12, 1.0);  // clockwise 12°
  cv::Mat rotated;
  cv::warpAffine(image, rotated, rotation, image.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  auto rotated_faces = Detector().Detect(rotated);
  ASSERT_FALSE(rotated_faces.empty());
  EXPECT_NEAR(MeasureFace(rotated_faces[0], rotated.size()).pose.roll, original_roll + 12, 3);
}

TEST(FaceDetectorTest, DetectIsSafeFromSeveralThreads) {
  cv::Mat image = Sample(2);
  const size_t expected = Detector().Detect(image).size();
  std::vector<size_t> counts(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] { counts[i] = Detector().Detect(image).size(); });
  }
  for (auto& thread : threads) thread.join();
  for (size_t count : counts) EXPECT_EQ(count, expected);
}

}  // namespace
}  // namespace examphoto::imaging
