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

// A card with ISO 7810's rounded corners, its top-left corner at `at` and turned by
// `degrees`, `px_per_mm` large, on `photo`; returns where its straight edges would meet.
std::array<cv::Point2f, 4> DrawRoundedCard(cv::Mat& photo, cv::Point2f at, double degrees,
                                           double px_per_mm) {
  const double w = 85.6, h = 53.98, r = 3.18;
  const double c = std::cos(degrees * CV_PI / 180), s = std::sin(degrees * CV_PI / 180);
  auto place = [&](double x, double y) {
    return cv::Point2f(static_cast<float>(at.x + px_per_mm * (c * x - s * y)),
                       static_cast<float>(at.y + px_per_mm * (s * x + c * y)));
  };
  std::vector<cv::Point> outline;
  const std::array<std::array<double, 3>, 4> arcs = {
      {{w - r, r, -90}, {w - r, h - r, 0}, {r, h - r, 90}, {r, r, 180}}};
  for (const auto& [cx, cy, from] : arcs) {
    for (int k = 0; k <= 12; ++k) {
      const double a = (from + 90.0 * k / 12) * CV_PI / 180;
      const cv::Point2f p = place(cx + r * std::cos(a), cy + r * std::sin(a));
      outline.emplace_back(cvRound(p.x), cvRound(p.y));
    }
  }
  cv::fillConvexPoly(photo, outline, cv::Scalar(232, 236, 238), cv::LINE_AA);
  return {place(0, 0), place(w, 0), place(w, h), place(0, h)};
}

TEST(PhotoChecks, PlacesAFarCornerWhereTheCardsEdgeEndsWhenItsSideIsPredictedWrong) {
  // A steep capture's label fit can put the far side 20 mm off (blind 0010): here the right
  // side is predicted 25 mm too far right, past the photo's border. The top and bottom edges
  // end inside the photo, and there are the corners: the card is not cut.
  cv::Mat photo(1500, 2000, CV_8UC3, cv::Scalar(40, 40, 45));
  const auto truth = DrawRoundedCard(photo, {250, 300}, 4, 18);
  std::array<cv::Point2f, 4> predicted = truth;
  const cv::Point2f off(25 * 18, 0);
  predicted[1] += off;
  predicted[2] += off;
  int found = 0, placed = 0;
  const auto corners = SnapCornersToEdges(photo, predicted, 120, &found, &placed);
  EXPECT_EQ(found, 3);
  EXPECT_EQ(placed, 4);
  for (int i = 0; i < 4; ++i) {
    EXPECT_LT(cv::norm(corners[i] - truth[i]), 18) << i;  // a millimetre
  }
}

TEST(PhotoChecks, LeavesACornerOutsideWhenTheCardsEdgeRunsToThePhotosBorder) {
  // The same card moved 10 mm past the photo's left border: the top and bottom edges run
  // into the border, so nothing places the left corners but the prediction.
  cv::Mat photo(1500, 2000, CV_8UC3, cv::Scalar(40, 40, 45));
  const auto truth = DrawRoundedCard(photo, {-180, 300}, 4, 18);
  int found = 0, placed = 0;
  const auto corners = SnapCornersToEdges(photo, truth, 120, &found, &placed);
  EXPECT_EQ(found, 3);
  EXPECT_EQ(placed, 2);
  EXPECT_LT(corners[0].x, 0);
  EXPECT_LT(corners[3].x, 0);
}

// 256 px of a card as a phone sees it: pale paper, strokes of print, sensor noise; on a
// screen, every screen pixel is red, green and blue stripes with a dark row below them,
// `photo_px_per_screen_px` photo pixels wide, turned by `degrees`.
cv::Mat CardPatch(double photo_px_per_screen_px, double degrees) {
  const int n = 256;
  cv::Mat print(n, n, CV_8UC3, cv::Scalar(226, 230, 234));
  cv::putText(print, "2015.03.01", {10, 90}, cv::FONT_HERSHEY_SIMPLEX, 1.4, cv::Scalar(40, 40, 45),
              3);
  cv::putText(print, "110105", {20, 190}, cv::FONT_HERSHEY_SIMPLEX, 1.8, cv::Scalar(40, 40, 45), 4);
  cv::Mat photo = print;
  if (photo_px_per_screen_px > 0) {
    // The screen's pixels at 3 x 3 sub-pixels each, then seen by the camera.
    const int screen = static_cast<int>(n / photo_px_per_screen_px) + 8;
    cv::Mat shown;
    cv::resize(print, shown, {screen, screen}, 0, 0, cv::INTER_AREA);
    cv::Mat lit(screen * 3, screen * 3, CV_8UC3);
    for (int y = 0; y < lit.rows; ++y) {
      for (int x = 0; x < lit.cols; ++x) {
        const cv::Vec3b p = shown.at<cv::Vec3b>(y / 3, x / 3);
        cv::Vec3b out;
        for (int c = 0; c < 3; ++c)
          out[c] = cv::saturate_cast<uchar>(p[c] * (c == 2 - x % 3 ? 1.0 : 0.3));
        lit.at<cv::Vec3b>(y, x) = y % 3 == 2 ? out * 0.5 : out;
      }
    }
    const double scale = photo_px_per_screen_px / 3;
    cv::Mat turn = cv::getRotationMatrix2D({lit.cols / 2.0f, lit.rows / 2.0f}, degrees, scale);
    turn.at<double>(0, 2) += n / 2.0 - lit.cols / 2.0;
    turn.at<double>(1, 2) += n / 2.0 - lit.rows / 2.0;
    cv::warpAffine(lit, photo, turn, {n, n}, cv::INTER_AREA, cv::BORDER_REFLECT);
  }
  cv::GaussianBlur(photo, photo, {0, 0}, 0.7);
  cv::Mat noise(photo.size(), CV_16SC3);
  cv::randn(noise, 0, 4);
  photo.convertTo(photo, CV_16SC3);
  photo += noise;
  photo.convertTo(photo, CV_8UC3);
  return photo;
}

TEST(PhotoChecks, SeesAScreensPixelGridAndNotPrint) {
  // (A grid of exactly 8 px along the axes is JPEG's block lattice, which is not counted.)
  for (double px : {3.5, 4.5, 6.0, 7.5}) {
    for (double degrees : {0.0, 4.0, 11.0}) {
      EXPECT_GE(ScreenGridPeaks(CardPatch(px, degrees)), 4) << px << " px, " << degrees << " deg";
    }
  }
  for (double degrees : {0.0, 4.0, 11.0}) EXPECT_LE(ScreenGridPeaks(CardPatch(0, degrees)), 1);
  // Nothing but noise, a blank, or a patch of the wrong shape.
  cv::Mat noise(256, 256, CV_8UC3);
  cv::randu(noise, cv::Scalar::all(0), cv::Scalar::all(255));
  EXPECT_LE(ScreenGridPeaks(noise), 1);
  EXPECT_EQ(ScreenGridPeaks(cv::Mat(256, 256, CV_8UC3, cv::Scalar::all(128))), 0);
  EXPECT_EQ(ScreenGridPeaks(cv::Mat(100, 256, CV_8UC3, cv::Scalar::all(128))), 0);
}

}  // namespace
}  // namespace examphoto
