#include "idcard/card_text.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace examphoto {
namespace {

// Text lower than this (photo pixels) is detected again on a crop at higher resolution.
constexpr double kSmallTextHeight = 28;
constexpr int kMaxCropSide = 1600;
// Lines asked for their orientation (the longest ones; votes are averaged).
constexpr size_t kOrientationVotes = 4;

double Distance(cv::Point2f a, cv::Point2f b) { return std::hypot(a.x - b.x, a.y - b.y); }

double LongSide(const std::array<cv::Point2f, 4>& c) {
  return std::max(Distance(c[0], c[1]), Distance(c[1], c[2]));
}
double ShortSide(const std::array<cv::Point2f, 4>& c) {
  return std::min(Distance(c[0], c[1]), Distance(c[1], c[2]));
}

}  // namespace

cv::Point2f DominantTextDirection(const std::vector<DetectedText>& boxes) {
  std::vector<std::pair<double, double>> angles;  // (angle in [0, pi), weight)
  double total = 0;
  for (const DetectedText& box : boxes) {
    const auto& c = box.corners;
    const double a = Distance(c[0], c[1]), b = Distance(c[1], c[2]);
    const double length = std::max(a, b), height = std::min(a, b);
    if (height <= 0 || length < 2.0 * height) continue;
    const cv::Point2f along = a >= b ? c[1] - c[0] : c[2] - c[1];
    double angle = std::atan2(along.y, along.x);
    if (angle < 0) angle += CV_PI;
    if (angle >= CV_PI) angle -= CV_PI;
    angles.emplace_back(angle, length);
    total += length;
  }
  if (angles.empty()) return {1, 0};
  // A circular quantity: measure from the angle that best centres the others.
  double best_spread = 1e18, best_angle = 0;
  for (const auto& [reference, ignored] : angles) {
    std::vector<std::pair<double, double>> shifted;
    double spread = 0;
    for (const auto& [angle, weight] : angles) {
      double d = angle - reference;
      if (d > CV_PI / 2) d -= CV_PI;
      if (d < -CV_PI / 2) d += CV_PI;
      shifted.emplace_back(d, weight);
      spread += std::abs(d) * weight;
    }
    if (spread < best_spread) {
      std::sort(shifted.begin(), shifted.end());
      double seen = 0, median = 0;
      for (const auto& [d, weight] : shifted) {
        seen += weight;
        if (seen >= total / 2) {
          median = d;
          break;
        }
      }
      best_spread = spread;
      best_angle = reference + median;
    }
  }
  cv::Point2f direction(static_cast<float>(std::cos(best_angle)),
                        static_cast<float>(std::sin(best_angle)));
  // Point right, or down when vertical: the orientation classifier decides the rest.
  if (direction.x < -1e-6 || (std::abs(direction.x) <= 1e-6 && direction.y < 0)) {
    direction = -direction;
  }
  return direction;
}

std::array<cv::Point2f, 4> OrientBox(const std::array<cv::Point2f, 4>& corners,
                                     cv::Point2f direction) {
  const cv::Point2f center = (corners[0] + corners[1] + corners[2] + corners[3]) * 0.25f;
  const cv::Point2f up(direction.y, -direction.x);  // image y grows downwards
  // Each corner's place: ahead or behind along the text, above or below it.
  std::array<cv::Point2f, 4> ordered = corners;
  auto key = [&](const cv::Point2f& p, double sign_along, double sign_up) {
    const cv::Point2f d = p - center;
    return sign_along * d.dot(direction) + sign_up * d.dot(up);
  };
  std::array<bool, 4> used{};
  const double signs[4][2] = {{-1, 1}, {1, 1}, {1, -1}, {-1, -1}};  // TL, TR, BR, BL
  for (int k = 0; k < 4; ++k) {
    int best = -1;
    double best_key = -1e18;
    for (int i = 0; i < 4; ++i) {
      if (used[i]) continue;
      const double value = key(corners[i], signs[k][0], signs[k][1]);
      if (value > best_key) {
        best_key = value;
        best = i;
      }
    }
    used[best] = true;
    ordered[k] = corners[best];
  }
  return ordered;
}

Result<CardText> ReadCardText(const cv::Mat& bgr, const TextDetector& detector,
                              const TextRecognizer& recognizer) {
  CardText text;
  auto detected = detector.Detect(bgr);
  if (!detected.ok()) return detected.error();
  std::vector<DetectedText> boxes = std::move(detected.value());
  text.detection_scale = std::min(1.0, 960.0 / std::max(bgr.cols, bgr.rows));
  // Small text: detect again on the region around it, at up to full resolution.
  if (!boxes.empty()) {
    std::vector<double> heights;
    std::vector<cv::Point2f> points;
    for (const DetectedText& box : boxes) {
      heights.push_back(ShortSide(box.corners));
      points.insert(points.end(), box.corners.begin(), box.corners.end());
    }
    std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
    const double median_height = heights[heights.size() / 2];
    cv::Rect region = cv::boundingRect(points);
    const int margin = static_cast<int>(std::max(region.width, region.height) * 0.15);
    region = cv::Rect(region.x - margin, region.y - margin, region.width + 2 * margin,
                      region.height + 2 * margin) &
             cv::Rect(0, 0, bgr.cols, bgr.rows);
    const double crop_scale =
        std::min(1.0, static_cast<double>(kMaxCropSide) / std::max(region.width, region.height));
    if (median_height * text.detection_scale < kSmallTextHeight * 0.5 &&
        crop_scale > text.detection_scale * 1.5) {
      auto again = detector.Detect(bgr(region), kMaxCropSide);
      if (!again.ok()) return again.error();
      if (!again->empty()) {
        boxes = std::move(again.value());
        for (DetectedText& box : boxes) {
          for (cv::Point2f& p : box.corners) p += cv::Point2f(region.tl());
        }
        text.detection_scale = crop_scale;
      }
    }
  }
  if (boxes.empty()) return text;

  cv::Point2f direction = DominantTextDirection(boxes);
  // Upright or upside down: ask the classifier about the longest lines.
  std::vector<const DetectedText*> longest;
  for (const DetectedText& box : boxes) longest.push_back(&box);
  std::sort(longest.begin(), longest.end(), [](const DetectedText* a, const DetectedText* b) {
    return LongSide(a->corners) > LongSide(b->corners);
  });
  double votes = 0;
  size_t asked = 0;
  for (const DetectedText* box : longest) {
    if (asked == kOrientationVotes) break;
    if (LongSide(box->corners) < 2.0 * ShortSide(box->corners)) continue;
    auto upside_down = recognizer.UpsideDownProbability(bgr, OrientBox(box->corners, direction));
    if (!upside_down.ok()) return upside_down.error();
    votes += *upside_down;
    ++asked;
  }
  text.upside_down_probability = asked ? votes / asked : 0;
  if (text.upside_down_probability > 0.5) direction = -direction;
  text.reading_direction = direction;

  for (const DetectedText& box : boxes) {
    auto line = recognizer.Recognize(bgr, OrientBox(box.corners, direction));
    if (!line.ok()) return line.error();
    if (line->characters.empty()) continue;
    text.lines.push_back(std::move(line.value()));
  }
  return text;
}

}  // namespace examphoto
