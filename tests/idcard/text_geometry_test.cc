// Model-free parts of the OCR: the detector's post-processing, orienting boxes, greedy CTC
// decoding, and the editing-software check.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "idcard/card_text.h"
#include "idcard/id_card_reader.h"
#include "idcard/text_detector.h"
#include "idcard/text_recognizer.h"

namespace examphoto {
namespace {

TEST(TextDetector, TurnsAProbabilityMapIntoGrownBoxes) {
  cv::Mat map = cv::Mat::zeros(100, 200, CV_32F);
  cv::rectangle(map, cv::Rect(20, 40, 120, 10), 0.9, -1);
  cv::rectangle(map, cv::Rect(150, 80, 3, 3), 0.9, -1);  // too small to be text
  cv::rectangle(map, cv::Rect(20, 70, 60, 8), 0.4, -1);  // too faint
  const auto boxes = BoxesFromProbabilityMap(map, {});
  ASSERT_EQ(boxes.size(), 1u);
  const cv::Rect bounds =
      cv::boundingRect(std::vector<cv::Point2f>(boxes[0].corners.begin(), boxes[0].corners.end()));
  // Grown by area * 1.5 / perimeter = 120*10*1.5/260 ≈ 7 px on each side.
  EXPECT_NEAR(bounds.height, 10 + 2 * 6.9, 2.5);
  EXPECT_NEAR(bounds.width, 120 + 2 * 6.9, 2.5);
  EXPECT_NEAR(boxes[0].score, 0.9, 1e-3);
}

std::array<cv::Point2f, 4> Box(cv::Point2f center, double length, double height, double degrees) {
  std::array<cv::Point2f, 4> corners;
  cv::RotatedRect(center, cv::Size2f(length, height), degrees).points(corners.data());
  return corners;
}

TEST(TextGeometry, FindsTheDirectionOfTheLongLines) {
  std::vector<DetectedText> boxes;
  for (int i = 0; i < 5; ++i) boxes.push_back({Box({100.0f, 50.0f + 30 * i}, 200, 20, 92), 0.9f});
  boxes.push_back({Box({300, 300}, 20, 20, 0), 0.9f});  // a single character says nothing
  const cv::Point2f d = DominantTextDirection(boxes);
  EXPECT_NEAR(std::abs(d.y), 1.0, 0.01);
  EXPECT_GE(d.x, 0);  // pointing right (the classifier decides the rest)
}

TEST(TextGeometry, OrdersCornersInReadingOrder) {
  const auto corners = Box({100, 100}, 80, 20, 30);
  const cv::Point2f d(std::cos(CV_PI / 6), std::sin(CV_PI / 6));
  const auto q = OrientBox(corners, d);
  EXPECT_GT((q[1] - q[0]).dot(d), 70);                       // top edge runs along the text
  EXPECT_GT((q[3] - q[0]).dot(cv::Point2f(-d.y, d.x)), 15);  // left edge runs down
  const auto turned = OrientBox(corners, -d);
  EXPECT_LT(cv::norm(turned[0] - q[2]), 1e-3);  // upside down: the far corner comes first
}

TEST(TextRecognizer, DecodesGreedilyWithCharacterFrames) {
  const CharacterSet characters = CharacterSet::FromKeys({"李", "四"});
  // Classes: blank, 李, 四, space. Frames: 李 李 blank 四 blank.
  const float p[] = {0.1f, 0.9f, 0.0f,  0.0f, 0.2f,  0.8f, 0.0f, 0.0f, 0.9f, 0.1f,
                     0.0f, 0.0f, 0.05f, 0.0f, 0.95f, 0.0f, 1.0f, 0.0f, 0.0f, 0.0f};
  const TextLine line = DecodeCtc(p, 5, 4, 5, characters);
  EXPECT_EQ(line.text, "李四");
  ASSERT_EQ(line.characters.size(), 2u);
  EXPECT_EQ(line.characters[0].first_frame, 0);
  EXPECT_EQ(line.characters[0].last_frame, 1);
  EXPECT_FLOAT_EQ(line.characters[0].probability, 0.9f);
  EXPECT_EQ(line.characters[1].first_frame, 3);
  EXPECT_NEAR(line.score, 0.925, 1e-5);
  ASSERT_EQ(line.frames.size(), 5u);
  EXPECT_EQ(line.frames[3].top.front().first, 2);
}

TEST(IdCardReader, RecognisesEditingSoftwareInExif) {
  EXPECT_TRUE(NamesEditingSoftware("Adobe Photoshop 24.1 (Windows)"));
  EXPECT_TRUE(NamesEditingSoftware("美图秀秀"));
  EXPECT_FALSE(NamesEditingSoftware("MIUI Camera"));
  EXPECT_FALSE(NamesEditingSoftware(""));
}

}  // namespace
}  // namespace examphoto

namespace examphoto {
namespace {

TEST(TextDetector, DetectsOnOneCanvasShapePerOrientation) {
  EXPECT_EQ(DetectionCanvas({4000, 3000}, 640), cv::Size(640, 480));
  EXPECT_EQ(DetectionCanvas({3000, 4000}, 640), cv::Size(480, 640));
  EXPECT_EQ(DetectionCanvas({1920, 1080}, 640), cv::Size(640, 480));
  EXPECT_EQ(DetectionCanvas({2000, 2000}, 960), cv::Size(960, 736));
  // A small photo is not enlarged: its own size, rounded up to multiples of 32.
  EXPECT_EQ(DetectionCanvas({400, 300}, 640), cv::Size(416, 320));
}

DetectedText Box(float x0, float y0, float x1, float y1) {
  DetectedText box;
  box.corners = {cv::Point2f(x0, y0), {x1, y0}, {x1, y1}, {x0, y1}};
  box.score = 0.9f;
  return box;
}

TEST(TextGeometry, JoinsWidelySpacedCharactersOfOneRow) {
  // 姓 and 名 as two boxes with a gap under a character's height; the next row apart.
  const std::vector<DetectedText> boxes = {Box(100, 100, 130, 130), Box(150, 101, 180, 131),
                                           Box(100, 160, 180, 190)};
  const std::vector<DetectedText> joined = JoinRowNeighbours(boxes, {1, 0});
  ASSERT_EQ(joined.size(), 2u);
  // A value far along the row stays apart.
  EXPECT_EQ(JoinRowNeighbours({Box(100, 100, 130, 130), Box(260, 100, 300, 130)}, {1, 0}).size(),
            2u);
}

}  // namespace
}  // namespace examphoto
