#include "idcard/side_classifier.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "idcard/card_layout.h"

namespace examphoto {
namespace {

namespace layout = card_layout;

cv::Rect RegionPixels(const layout::RectMm& mm, const cv::Size& card, bool rotated) {
  const double sx = card.width / layout::kWidthMm, sy = card.height / layout::kHeightMm;
  double x = mm.x, y = mm.y;
  if (rotated) {
    x = layout::kWidthMm - mm.x - mm.width;
    y = layout::kHeightMm - mm.y - mm.height;
  }
  return cv::Rect(static_cast<int>(x * sx), static_cast<int>(y * sy),
                  static_cast<int>(mm.width * sx), static_cast<int>(mm.height * sy)) &
         cv::Rect(0, 0, card.width, card.height);
}

double Share(const cv::Mat& mask, const cv::Rect& region) {
  return cv::countNonZero(mask(region)) / static_cast<double>(region.area());
}

}  // namespace

SideGuess ClassifySide(const cv::Mat& card) {
  SideGuess guess;
  cv::Mat hsv;
  cv::cvtColor(card, hsv, cv::COLOR_BGR2HSV);
  // The emblem's red: hue within ~15° of red, clearly saturated.
  cv::Mat red_low, red_high, red;
  cv::inRange(hsv, cv::Scalar(0, 110, 60), cv::Scalar(9, 255, 255), red_low);
  cv::inRange(hsv, cv::Scalar(168, 110, 60), cv::Scalar(180, 255, 255), red_high);
  red = red_low | red_high;
  const double emblem_upright = Share(red, RegionPixels(layout::kEmblem, card.size(), false));
  const double emblem_rotated = Share(red, RegionPixels(layout::kEmblem, card.size(), true));

  // The photo: pixels far from the card's own background colour (its median).
  cv::Mat small;
  cv::resize(card, small, {}, 0.25, 0.25, cv::INTER_AREA);
  std::vector<cv::Mat> channels;
  cv::split(small, channels);
  cv::Mat differs = cv::Mat::zeros(small.size(), CV_8U);
  for (cv::Mat& channel : channels) {
    std::vector<uint8_t> values(channel.begin<uint8_t>(), channel.end<uint8_t>());
    std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
    cv::Mat distance;
    cv::absdiff(channel, cv::Scalar(values[values.size() / 2]), distance);
    differs |= distance > 45;
  }
  const double photo_upright = Share(differs, RegionPixels(layout::kPhoto, small.size(), false));
  const double photo_rotated = Share(differs, RegionPixels(layout::kPhoto, small.size(), true));

  guess.emblem_score = std::max(emblem_upright, emblem_rotated);
  guess.photo_score = std::max(photo_upright, photo_rotated);
  // Thresholds from the generated captures: the emblem covers ~45 % of its box in red, a
  // printed photo leaves well over half of its box unlike the card; text fills ~20 %.
  if (guess.emblem_score > 0.15 &&
      guess.emblem_score > 3 * std::min(emblem_upright, emblem_rotated)) {
    guess.side = CardSide::kEmblem;
    guess.upside_down = emblem_rotated > emblem_upright;
  } else if (guess.photo_score > 0.4 &&
             guess.photo_score > 1.5 * std::min(photo_upright, photo_rotated)) {
    guess.side = CardSide::kPortrait;
    guess.upside_down = photo_rotated > photo_upright;
  }
  return guess;
}

}  // namespace examphoto
