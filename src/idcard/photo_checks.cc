#include "idcard/photo_checks.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "idcard/card_layout.h"

namespace examphoto {

namespace layout = card_layout;

double PhotoSharpness(const cv::Mat& bgr) {
  cv::Mat gray;
  const double scale = 1024.0 / std::max(bgr.cols, bgr.rows);
  cv::resize(bgr, gray, {}, scale, scale, cv::INTER_AREA);
  cv::cvtColor(gray, gray, cv::COLOR_BGR2GRAY);
  cv::Mat gx, gy, magnitude;
  cv::Sobel(gray, gx, CV_32F, 1, 0, 3);
  cv::Sobel(gray, gy, CV_32F, 0, 1, 3);
  cv::magnitude(gx, gy, magnitude);
  std::vector<float> values(magnitude.begin<float>(), magnitude.end<float>());
  const size_t k = values.size() * 998 / 1000;
  std::nth_element(values.begin(), values.begin() + k, values.end());
  double dark = 0, light = 0;
  cv::minMaxLoc(gray, &dark, &light);
  return values[k] / std::max(20.0, light - dark) / 8.0;
}

double GlareShare(const cv::Mat& card, CardSide side) {
  std::vector<cv::Mat> channels;
  cv::split(card, channels);
  cv::Mat lowest = cv::min(cv::min(channels[0], channels[1]), channels[2]);
  cv::Mat saturated = lowest >= 245;
  const int k = std::max(3, static_cast<int>(card.cols / layout::kWidthMm * 2.5)) | 1;
  cv::morphologyEx(saturated, saturated, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_ELLIPSE, {k, k}));
  const double sx = card.cols / layout::kWidthMm, sy = card.rows / layout::kHeightMm;
  const layout::RectMm text =
      side == CardSide::kPortrait ? layout::RectMm{4, 4, 50, 47} : layout::RectMm{14, 36, 70, 16};
  const cv::Rect r =
      cv::Rect(static_cast<int>(text.x * sx), static_cast<int>(text.y * sy),
               static_cast<int>(text.width * sx), static_cast<int>(text.height * sy)) &
      cv::Rect(0, 0, card.cols, card.rows);
  return r.area() > 0 ? cv::countNonZero(saturated(r)) / static_cast<double>(r.area()) : 0;
}

double PrintColourfulness(const cv::Mat& card, CardSide side) {
  const double sx = card.cols / layout::kWidthMm, sy = card.rows / layout::kHeightMm;
  // The label column of the portrait side; the emblem with a margin of background.
  const layout::RectMm area = side == CardSide::kPortrait ? layout::RectMm{4.5, 5.5, 9.5, 25.0}
                                                          : layout::RectMm{4.5, 2.5, 19.0, 19.0};
  const cv::Rect r =
      cv::Rect(static_cast<int>(area.x * sx), static_cast<int>(area.y * sy),
               static_cast<int>(area.width * sx), static_cast<int>(area.height * sy)) &
      cv::Rect(0, 0, card.cols, card.rows);
  if (r.area() < 16) return 0;
  // White balance on the card's own background (its lightest fifth): a colour cast of the
  // light scales each channel, and dividing by the background's colour takes it out.
  cv::Mat region;
  card(r).convertTo(region, CV_32FC3, 1.0 / 255);
  cv::Mat gray;
  cv::cvtColor(region, gray, cv::COLOR_BGR2GRAY);
  std::vector<float> values(gray.begin<float>(), gray.end<float>());
  std::nth_element(values.begin(), values.begin() + values.size() * 8 / 10, values.end());
  const float background = values[values.size() * 8 / 10];
  const cv::Scalar paper_color = cv::mean(region, gray >= background);
  const double paper_gray = (paper_color[0] + paper_color[1] + paper_color[2]) / 3;
  if (paper_gray <= 0.05) return 0;
  cv::multiply(region,
               cv::Scalar(paper_gray / std::max(1e-3, paper_color[0]),
                          paper_gray / std::max(1e-3, paper_color[1]),
                          paper_gray / std::max(1e-3, paper_color[2])),
               region);
  cv::Mat lab;
  cv::cvtColor(region, lab, cv::COLOR_BGR2Lab);  // L 0..100, a and b about -127..127
  // Ink: clearly darker than the background; paper: about as light as it.
  const float light = background * 100;
  cv::Vec2d ink_sum(0, 0), paper_sum(0, 0);
  int ink = 0, paper = 0;
  for (int y = 0; y < lab.rows; ++y) {
    for (int x = 0; x < lab.cols; ++x) {
      const cv::Vec3f p = lab.at<cv::Vec3f>(y, x);
      const cv::Vec2d ab(p[1], p[2]);
      if (p[0] < light - 15) {
        ink_sum += ab;
        ++ink;
      } else if (p[0] >= light - 3) {
        paper_sum += ab;
        ++paper;
      }
    }
  }
  if (ink < 20 || paper < 20) return 0;
  const cv::Vec2d difference = ink_sum / ink - paper_sum / paper;
  return std::hypot(difference[0], difference[1]);
}

}  // namespace examphoto
