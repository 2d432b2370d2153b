// Checks on the photo itself, on drawn images: sharpness of print against blur, glare over the
// text, and the colours a printed card shows that a black-and-white copy does not.
#include "idcard/photo_checks.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "idcard/card_layout.h"

namespace examphoto {
namespace {

namespace layout = card_layout;
constexpr double kPpm = 12;  // the straightened card's pixels per millimetre

cv::Point Mm(double x, double y) {
  return {static_cast<int>(x * kPpm), static_cast<int>(y * kPpm)};
}

// A straightened portrait side: pale card, blue label blocks in the label column, black
// value blocks beside them.
cv::Mat PortraitCard() {
  cv::Mat card(static_cast<int>(layout::kHeightMm * kPpm),
               static_cast<int>(layout::kWidthMm * kPpm), CV_8UC3, cv::Scalar(236, 238, 240));
  for (double y : {7.5, 13.7, 19.9, 26.1}) {
    for (double x : {5.5, 9.3}) {
      cv::rectangle(card, Mm(x, y), Mm(x + 2.4, y + 2.4), cv::Scalar(170, 105, 35), 2);
    }
    cv::rectangle(card, Mm(15.5, y), Mm(30, y + 2.9), cv::Scalar(35, 35, 38), -1);
  }
  return card;
}

TEST(PhotoChecks, PrintIsSharpAndHeavyBlurIsNot) {
  cv::Mat photo(1500, 2000, CV_8UC3, cv::Scalar(90, 100, 110));
  cv::Mat card = PortraitCard();
  cv::resize(card, card, {1200, 757});
  card.copyTo(photo(cv::Rect(400, 350, card.cols, card.rows)));
  EXPECT_GT(MeasureSharpness(photo).sharpness, 0.3);
  cv::Mat blurred;
  cv::GaussianBlur(photo, blurred, {0, 0}, 16);
  EXPECT_LT(MeasureSharpness(blurred).sharpness, 0.1);
  EXPECT_GT(MeasureSharpness(blurred).contrast, 100);
}

TEST(PhotoChecks, GlareIsAWashedOutPatchOverTheText) {
  cv::Mat card = PortraitCard();
  EXPECT_LT(GlareShare(card, CardSide::kPortrait), 0.01);
  cv::ellipse(card, Mm(22, 20), cv::Size(static_cast<int>(9 * kPpm), static_cast<int>(6 * kPpm)), 0,
              0, 360, cv::Scalar::all(255), -1);
  EXPECT_GT(GlareShare(card, CardSide::kPortrait), 0.04);
}

TEST(PhotoChecks, ABlackAndWhiteCopyHasNoColourfulPrint) {
  const cv::Mat card = PortraitCard();
  EXPECT_GT(PrintColourfulness(card, CardSide::kPortrait).value_or(0), 15);
  // Under a warm cast the labels stay bluer than the card around them.
  cv::Mat warm;
  cv::multiply(card, cv::Scalar(0.8, 0.95, 1.1), warm);
  EXPECT_GT(PrintColourfulness(warm, CardSide::kPortrait).value_or(0), 10);
  cv::Mat gray, copy;
  cv::cvtColor(card, gray, cv::COLOR_BGR2GRAY);
  cv::cvtColor(gray, copy, cv::COLOR_GRAY2BGR);
  EXPECT_LT(PrintColourfulness(copy, CardSide::kPortrait).value_or(99), 3);
  // The same copy photographed under warm light: the cast moves ink and paper alike.
  cv::multiply(copy, cv::Scalar(0.8, 0.95, 1.1), warm);
  EXPECT_LT(PrintColourfulness(warm, CardSide::kPortrait).value_or(99), 6);
  // A blank card (no ink at all) cannot be judged either way.
  const cv::Mat blank(card.size(), CV_8UC3, cv::Scalar(236, 238, 240));
  EXPECT_FALSE(PrintColourfulness(blank, CardSide::kPortrait).has_value());
}

}  // namespace
}  // namespace examphoto

namespace examphoto {
namespace {

TEST(PhotoChecks, SnapsCornersPredictedMillimetresOffOntoTheCardsEdges) {
  // A pale card, tilted, on a darker cloth, with print near its edges.
  cv::Mat photo(1500, 2000, CV_8UC3, cv::Scalar(60, 90, 120));
  const std::array<cv::Point2f, 4> truth = {
      cv::Point2f(300, 250), {1700, 330}, {1650, 1210}, {260, 1130}};
  std::vector<cv::Point> polygon(truth.begin(), truth.end());
  cv::fillConvexPoly(photo, polygon, cv::Scalar(232, 236, 238), cv::LINE_AA);
  for (int row = 0; row < 6; ++row) {
    cv::rectangle(photo, {380, 330 + row * 130}, {1000, 380 + row * 130}, cv::Scalar(40, 40, 40),
                  -1);
  }
  // Predicted 40-60 px (a few millimetres at this scale) off, and turned a little.
  const std::array<cv::Point2f, 4> predicted = {
      cv::Point2f(270, 230), {1745, 295}, {1700, 1250}, {235, 1170}};
  int found = 0;
  const auto corners = SnapCornersToEdges(photo, predicted, 120, &found);
  EXPECT_EQ(found, 4);
  for (int i = 0; i < 4; ++i) {
    EXPECT_LT(cv::norm(corners[i] - truth[i]), 6) << i;
  }
  // A side outside the photo keeps its prediction.
  const std::array<cv::Point2f, 4> cut = {
      cv::Point2f(-300, 250), {1700, 330}, {1650, 1210}, {-340, 1130}};
  SnapCornersToEdges(photo, cut, 120, &found);
  EXPECT_LT(found, 4);
}

}  // namespace
}  // namespace examphoto
