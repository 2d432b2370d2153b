#include "imaging/matte_refinement.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>
#include <utility>

#include "drawn_face.h"

namespace examphoto::imaging {
namespace {

using testing::DrawnFaceLandmarks;

// A 240×320 frame with a face 100 px wide, eyes at (120, 130).
constexpr float kFaceWidth = 100;
const cv::Point2f kEyes(120, 130);

cv::Mat PersonAlpha() {
  cv::Mat alpha(320, 240, CV_32F, cv::Scalar(0));
  cv::ellipse(alpha, cv::Point(120, 135), cv::Size(60, 85), 0, 0, 360, cv::Scalar(1), cv::FILLED);
  cv::rectangle(alpha, cv::Rect(20, 230, 200, 90), cv::Scalar(1), cv::FILLED);
  cv::rectangle(alpha, cv::Rect(95, 200, 50, 40), cv::Scalar(1), cv::FILLED);
  return alpha;
}

TEST(MatteRefinementTest, AnchoringDropsABlobBesideTheHead) {
  const FaceLandmarks face = DrawnFaceLandmarks(kEyes, kFaceWidth);
  const FaceGeometry geometry = MeasureFace(face, {240, 320});
  cv::Mat alpha = PersonAlpha();
  // Background the model took for person, level with the eyes and clear of the head.
  cv::circle(alpha, cv::Point(225, 120), 12, cv::Scalar(1), cv::FILLED);
  const cv::Mat anchored = AnchorMatteToFace(alpha, face, geometry);
  EXPECT_LT(anchored.at<float>(120, 225), 0.05f);
  EXPECT_FLOAT_EQ(anchored.at<float>(135, 120), 1.0f);
  EXPECT_FLOAT_EQ(anchored.at<float>(300, 30), 1.0f);  // the shoulders stay
}

TEST(MatteRefinementTest, AnchoringDropsBackgroundFarBesideTheHeadEvenWhenConnected) {
  // A face 80 px wide, so that the frame reaches 1.5 face widths beside the midline.
  const FaceLandmarks face = DrawnFaceLandmarks(kEyes, 80);
  const FaceGeometry geometry = MeasureFace(face, {240, 320});
  cv::Mat alpha = PersonAlpha();
  // A shelf joined to the hair, reaching the frame's edge at eye level.
  cv::rectangle(alpha, cv::Rect(150, 100, 90, 20), cv::Scalar(1), cv::FILLED);
  const cv::Mat anchored = AnchorMatteToFace(alpha, face, geometry);
  EXPECT_LT(anchored.at<float>(110, 235), 0.05f);       // 1.44 face widths from the midline
  EXPECT_FLOAT_EQ(anchored.at<float>(110, 170), 1.0f);  // 0.6 face widths: hair may be there
}

TEST(MatteRefinementTest, AnchoringKeepsBigHairWhole) {
  // Loose curls reaching 1.2 face widths either side of the midline at eye level (the tune
  // part's s3-curly): none of them is cut, least of all along a straight line.
  const FaceLandmarks face = DrawnFaceLandmarks(kEyes, 80);
  const FaceGeometry geometry = MeasureFace(face, {240, 320});
  cv::Mat alpha = PersonAlpha();
  cv::ellipse(alpha, cv::Point(120, 140), cv::Size(96, 80), 0, 0, 360, cv::Scalar(1), cv::FILLED);
  const cv::Mat anchored = AnchorMatteToFace(alpha, face, geometry);
  for (int y = 132; y <= 148; y += 4) {
    EXPECT_FLOAT_EQ(anchored.at<float>(y, 120 + 94), 1.0f) << "row " << y;
    EXPECT_FLOAT_EQ(anchored.at<float>(y, 120 - 94), 1.0f) << "row " << y;
  }
}

TEST(MatteRefinementTest, AnchoringMakesTheFaceSurelyPerson) {
  const FaceLandmarks face = DrawnFaceLandmarks(kEyes, kFaceWidth);
  const FaceGeometry geometry = MeasureFace(face, {240, 320});
  cv::Mat alpha = PersonAlpha();
  // The model lost the face against a skin-coloured wall.
  cv::circle(alpha, cv::Point(120, 150), 30, cv::Scalar(0.1), cv::FILLED);
  const cv::Mat anchored = AnchorMatteToFace(alpha, face, geometry);
  EXPECT_FLOAT_EQ(anchored.at<float>(150, 120), 1.0f);
}

TEST(MatteRefinementTest, AnchoringFillsSmallHolesOnly) {
  const FaceLandmarks face = DrawnFaceLandmarks(kEyes, kFaceWidth);
  const FaceGeometry geometry = MeasureFace(face, {240, 320});
  cv::Mat alpha = PersonAlpha();
  cv::circle(alpha, cv::Point(60, 280), 5, cv::Scalar(0), cv::FILLED);          // a logo
  cv::rectangle(alpha, cv::Rect(150, 260, 40, 60), cv::Scalar(0), cv::FILLED);  // open to the edge
  const cv::Mat anchored = AnchorMatteToFace(alpha, face, geometry);
  EXPECT_FLOAT_EQ(anchored.at<float>(280, 60), 1.0f);
  EXPECT_FLOAT_EQ(anchored.at<float>(290, 170), 0.0f);
}

// Draws the person (dark) over `frame`'s left up to x = 120; the coarse matte ends at
// `coarse_edge`, blurred by `blur`. Returns the refined matte and the coarse one.
std::pair<cv::Mat, cv::Mat> RefineAStraightEdge(cv::Mat& frame, int coarse_edge, double blur) {
  frame(cv::Rect(0, 0, 120, 320)).setTo(cv::Scalar(60, 50, 40));
  cv::Mat coarse(320, 240, CV_32F, cv::Scalar(0));
  coarse(cv::Rect(0, 0, coarse_edge, 320)).setTo(1.0f);
  cv::GaussianBlur(coarse, coarse, cv::Size(0, 0), blur);
  FaceGeometry geometry;
  geometry.face_width = kFaceWidth;
  return {RefineMatte(frame, coarse, geometry), coarse};
}

TEST(MatteRefinementTest, RefinementMovesACoarseEdgeOntoThePhotosEdge) {
  // Before a plain wall; the coarse matte is blurred and 4 px too wide.
  cv::Mat frame(320, 240, CV_8UC3, cv::Scalar(230, 230, 230));
  const auto [refined, coarse] = RefineAStraightEdge(frame, 124, 5);
  EXPECT_GT(refined.at<float>(160, 116), 0.85f);
  EXPECT_LT(refined.at<float>(160, 123), 0.15f);
  EXPECT_FLOAT_EQ(refined.at<float>(160, 20), 1.0f);   // sure person
  EXPECT_FLOAT_EQ(refined.at<float>(160, 220), 0.0f);  // sure background
  // The coarse matte was still undecided there.
  EXPECT_GT(coarse.at<float>(160, 123), 0.3f);
}

TEST(MatteRefinementTest, RefinementDoesNotTakeABusyBackgroundsDarkSpotsForThePerson) {
  // The person (dark) ends at x = 120 before a street-like texture: 2×2 blocks of light
  // and dark colours, some as dark as the person. The coarse matte's edge is in the right
  // place, blurred. A dark block beside the edge must not become a streak of person.
  cv::Mat frame(320, 240, CV_8UC3);
  cv::RNG rng(7);
  const cv::Scalar palette[] = {{60, 50, 40}, {220, 220, 225}, {90, 120, 160},
                                {40, 40, 45}, {200, 170, 120}, {150, 150, 150}};
  for (int y = 0; y < frame.rows; y += 2) {
    for (int x = 0; x < frame.cols; x += 2) {
      frame(cv::Rect(x, y, 2, 2)).setTo(palette[rng.uniform(0, 6)]);
    }
  }
  const cv::Mat refined = RefineAStraightEdge(frame, 120, 3).first;
  // Just outside the edge, rows 40–280: how many pixels read mostly person.
  const cv::Mat outside = refined(cv::Rect(121, 40, 3, 240));
  EXPECT_LT(cv::countNonZero(outside > 0.6f), outside.total() / 50);
  EXPECT_GT(refined.at<float>(160, 110), 0.9f);  // the person stays
}

TEST(MatteRefinementTest, ConfidenceTellsASharpMatteFromAFuzzyOne) {
  const FaceLandmarks face = DrawnFaceLandmarks(kEyes, kFaceWidth);
  const FaceGeometry geometry = MeasureFace(face, {240, 320});
  const cv::Mat sharp = PersonAlpha();
  cv::Mat fuzzy;
  cv::GaussianBlur(sharp, fuzzy, cv::Size(0, 0), 25);
  const MatteConfidence sure = MeasureMatteConfidence(sharp, face, geometry);
  const MatteConfidence unsure = MeasureMatteConfidence(fuzzy, face, geometry);
  EXPECT_LT(sure.unsure_band_face_widths, 0.05);
  EXPECT_GT(unsure.unsure_band_face_widths, 0.15);
  EXPECT_DOUBLE_EQ(sure.face_covered_fraction, 1.0);
  const MatteConfidence empty =
      MeasureMatteConfidence(cv::Mat(320, 240, CV_32F, cv::Scalar(0)), face, geometry);
  EXPECT_DOUBLE_EQ(empty.face_covered_fraction, 0.0);
}

}  // namespace
}  // namespace examphoto::imaging
