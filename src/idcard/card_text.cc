#include "idcard/card_text.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace examphoto {
namespace {

// Detection runs on the whole photo at the detector's own size (TextDetectorOptions); text
// boxes lower than kSmallTextAtDetection there, or fewer than kFewBoxes of them, send it
// again at kMaxDetectionSide, and then on the region holding the text.
constexpr double kFirstDetectionSide = TextDetectorOptions{}.max_side;
constexpr int kMaxDetectionSide = 960;
constexpr double kSmallTextAtDetection = 10;
constexpr size_t kFewBoxes = 4;
// ...or when fewer than this share of them are lines (LineShare).
constexpr double kFewLines = 0.3;
// Lines are read this many line heights beyond each end of their box.
constexpr double kLineEndMargin = 0.25;
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

std::vector<DetectedText> JoinRowNeighbours(std::vector<DetectedText> boxes,
                                            cv::Point2f direction) {
  const cv::Point2f down(-direction.y, direction.x);
  struct Extent {
    double u0, u1, v, height;
  };
  auto extent = [&](const DetectedText& box) {
    Extent e{1e18, -1e18, 0, 0};
    double v0 = 1e18, v1 = -1e18;
    for (const cv::Point2f& p : box.corners) {
      e.u0 = std::min<double>(e.u0, p.dot(direction));
      e.u1 = std::max<double>(e.u1, p.dot(direction));
      v0 = std::min<double>(v0, p.dot(down));
      v1 = std::max<double>(v1, p.dot(down));
    }
    e.v = (v0 + v1) / 2;
    e.height = v1 - v0;
    return e;
  };
  for (bool joined = true; joined;) {
    joined = false;
    for (size_t i = 0; i < boxes.size() && !joined; ++i) {
      for (size_t j = 0; j < boxes.size() && !joined; ++j) {
        if (i == j) continue;
        const Extent a = extent(boxes[i]), b = extent(boxes[j]);
        const double height = std::max(a.height, b.height);
        // b starts after a ends, on the same row, about as tall.
        if (b.u0 < a.u0 || std::min(a.height, b.height) < 0.6 * height ||
            std::abs(a.v - b.v) > 0.3 * height || b.u0 - a.u1 > 0.9 * height ||
            b.u0 - a.u1 < -0.3 * height) {
          continue;
        }
        std::vector<cv::Point2f> points(boxes[i].corners.begin(), boxes[i].corners.end());
        points.insert(points.end(), boxes[j].corners.begin(), boxes[j].corners.end());
        DetectedText merged;
        cv::minAreaRect(points).points(merged.corners.data());
        merged.score = std::min(boxes[i].score, boxes[j].score);
        boxes[i] = merged;
        boxes.erase(boxes.begin() + static_cast<long>(j));
        joined = true;
      }
    }
  }
  return boxes;
}

double MedianBoxHeight(const std::vector<DetectedText>& boxes) {
  if (boxes.empty()) return 0;
  std::vector<double> heights;
  heights.reserve(boxes.size());
  for (const DetectedText& box : boxes) heights.push_back(ShortSide(box.corners));
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  return heights[heights.size() / 2];
}

// Share of the boxes that are lines (at least twice as long as high): a card's text is
// mostly lines; a checked or dotted surface, fragmented at a low resolution, is not.
double LineShare(const std::vector<DetectedText>& boxes) {
  if (boxes.empty()) return 0;
  size_t lines = 0;
  for (const DetectedText& box : boxes) {
    lines += LongSide(box.corners) >= 2 * ShortSide(box.corners);
  }
  return static_cast<double>(lines) / boxes.size();
}

Result<std::vector<DetectedText>> DetectCardText(const cv::Mat& bgr, const TextDetector& detector) {
  auto boxes = detector.Detect(bgr);
  if (!boxes.ok()) return boxes.error();
  const double long_side = std::max(bgr.cols, bgr.rows);
  const double scale = std::min(1.0, kFirstDetectionSide / long_side);
  if (scale < 1 && (boxes->size() < kFewBoxes || LineShare(*boxes) < kFewLines ||
                    MedianBoxHeight(*boxes) * scale < kSmallTextAtDetection)) {
    auto again = detector.Detect(bgr, kMaxDetectionSide);
    if (!again.ok()) return again.error();
    if (again->size() >= boxes->size() || LineShare(*again) > LineShare(*boxes)) {
      boxes = std::move(again);
    }
  }
  return DetectSmallTextAgain(bgr, std::move(boxes.value()), detector);
}

Result<std::vector<DetectedText>> DetectSmallTextAgain(const cv::Mat& bgr,
                                                       std::vector<DetectedText> boxes,
                                                       const TextDetector& detector, bool always,
                                                       double margin_share) {
  if (boxes.empty()) return boxes;
  const double median_height = MedianBoxHeight(boxes);
  std::vector<cv::Point2f> points;
  for (const DetectedText& box : boxes) {
    points.insert(points.end(), box.corners.begin(), box.corners.end());
  }
  cv::Rect region = cv::boundingRect(points);
  const int margin = static_cast<int>(std::max(region.width, region.height) * margin_share);
  region = cv::Rect(region.x - margin, region.y - margin, region.width + 2 * margin,
                    region.height + 2 * margin) &
           cv::Rect(0, 0, bgr.cols, bgr.rows);
  const double photo_scale =
      std::min(1.0, static_cast<double>(kMaxDetectionSide) / std::max(bgr.cols, bgr.rows));
  const double region_scale =
      std::min(1.0, static_cast<double>(kMaxDetectionSide) / std::max(region.width, region.height));
  // Text that was small even at the larger size, and a region that would show it larger.
  if ((!always && median_height * photo_scale >= kSmallTextAtDetection) ||
      region_scale < photo_scale * 1.5) {
    return boxes;
  }
  auto again = detector.Detect(bgr(region), kMaxDetectionSide);
  if (!again.ok()) return again.error();
  if (again->empty()) return boxes;
  for (DetectedText& box : *again) {
    for (cv::Point2f& p : box.corners) p += cv::Point2f(region.tl());
  }
  return std::move(again.value());
}

Result<CardText> ReadCardText(const cv::Mat& bgr, const TextDetector& detector,
                              const TextRecognizer& recognizer) {
  auto boxes = DetectCardText(bgr, detector);
  if (!boxes.ok()) return boxes.error();
  return RecognizeCardText(bgr, *boxes, recognizer);
}

Result<CardText> RecognizeCardText(const cv::Mat& bgr, const std::vector<DetectedText>& detected,
                                   const TextRecognizer& recognizer) {
  CardText text;
  if (detected.empty()) return text;
  cv::Point2f direction = DominantTextDirection(detected);
  const std::vector<DetectedText> boxes = JoinRowNeighbours(detected, direction);
  // Upright or upside down: ask the classifier about the longest lines.
  std::vector<const DetectedText*> longest;
  longest.reserve(boxes.size());
  for (const DetectedText& box : boxes) longest.push_back(&box);
  std::sort(longest.begin(), longest.end(), [](const DetectedText* a, const DetectedText* b) {
    return LongSide(a->corners) > LongSide(b->corners);
  });
  std::vector<const DetectedText*> voters;
  for (const DetectedText* box : longest) {
    if (voters.size() == kOrientationVotes) break;
    if (LongSide(box->corners) >= 2.0 * ShortSide(box->corners)) voters.push_back(box);
  }
  // The mean vote decides; the classifier is not asked once the votes still to come could
  // not change that (each is between 0 and 1).
  const double half = 0.5 * static_cast<double>(voters.size());
  double votes = 0;
  size_t asked = 0;
  for (const DetectedText* box : voters) {
    if (votes > half || votes + static_cast<double>(voters.size() - asked) <= half) break;
    auto upside_down = recognizer.UpsideDownProbability(bgr, OrientBox(box->corners, direction));
    if (!upside_down.ok()) return upside_down.error();
    votes += *upside_down;
    ++asked;
  }
  text.upside_down_probability = asked ? votes / asked : 0;
  if (text.upside_down_probability > 0.5) direction = -direction;
  text.reading_direction = direction;

  // Each line is read with a margin at both ends: boxes from a reduced photo are coarse, and
  // a last digit cut at its edge is dropped rather than misread.
  std::vector<std::array<cv::Point2f, 4>> quads;
  for (const DetectedText& box : boxes) {
    std::array<cv::Point2f, 4> q = OrientBox(box.corners, direction);
    const float margin = static_cast<float>(kLineEndMargin * ShortSide(box.corners));
    q[0] -= direction * margin;
    q[3] -= direction * margin;
    q[1] += direction * margin;
    q[2] += direction * margin;
    quads.push_back(q);
  }
  auto lines = recognizer.RecognizeLines(bgr, quads);
  if (!lines.ok()) return lines.error();
  for (TextLine& line : *lines) {
    if (!line.characters.empty()) text.lines.push_back(std::move(line));
  }
  return text;
}

}  // namespace examphoto
