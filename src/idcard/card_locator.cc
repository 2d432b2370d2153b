#include "idcard/card_locator.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <vector>

#include "idcard/card_layout.h"

namespace examphoto {
namespace {

struct Line {
  cv::Point2f point;
  cv::Point2f direction;
};

std::optional<cv::Point2f> Intersect(const Line& a, const Line& b) {
  const float cross = a.direction.x * b.direction.y - a.direction.y * b.direction.x;
  if (std::abs(cross) < 1e-6f) return std::nullopt;
  const cv::Point2f d = b.point - a.point;
  const float t = (d.x * b.direction.y - d.y * b.direction.x) / cross;
  return a.point + a.direction * t;
}

float Length(cv::Point2f v) { return std::hypot(v.x, v.y); }

float Sample(const cv::Mat& image, cv::Point2f p) {
  const int x = std::clamp(static_cast<int>(std::lround(p.x)), 0, image.cols - 1);
  const int y = std::clamp(static_cast<int>(std::lround(p.y)), 0, image.rows - 1);
  return image.at<float>(y, x);
}

// Moves each side of a rough quadrilateral onto the strongest edge nearby (searching along
// the side's normal), fits a line through those edge points and intersects neighbouring
// lines. Rounded card corners do not disturb it: only the middle of each side is used.
std::optional<std::array<cv::Point2f, 4>> RefineQuad(const std::vector<cv::Point>& rough,
                                                     const cv::Mat& gradient, double* support) {
  std::array<Line, 4> lines;
  int strong = 0, total = 0;
  const float threshold = 24.0f;
  for (int i = 0; i < 4; ++i) {
    const cv::Point2f a = rough[i], b = rough[(i + 1) % 4];
    const float length = Length(b - a);
    if (length < 20) return std::nullopt;
    const cv::Point2f along = (b - a) / length;
    const cv::Point2f normal(-along.y, along.x);
    const float reach = std::max(4.0f, length * 0.03f);
    std::vector<cv::Point2f> points;
    constexpr int kSamples = 40;
    for (int s = 0; s < kSamples; ++s) {
      const cv::Point2f base = a + (b - a) * (0.12f + 0.76f * s / (kSamples - 1));
      float best = -1, best_offset = 0;
      for (float offset = -reach; offset <= reach; offset += 0.5f) {
        const float g = Sample(gradient, base + normal * offset);
        if (g > best) best = g, best_offset = offset;
      }
      ++total;
      if (best >= threshold) {
        ++strong;
        points.push_back(base + normal * best_offset);
      }
    }
    if (points.size() < kSamples / 3) return std::nullopt;
    cv::Vec4f fitted;
    cv::fitLine(points, fitted, cv::DIST_HUBER, 0, 0.01, 0.01);
    lines[i] = {{fitted[2], fitted[3]}, {fitted[0], fitted[1]}};
  }
  std::array<cv::Point2f, 4> corners;
  for (int i = 0; i < 4; ++i) {
    auto p = Intersect(lines[(i + 3) % 4], lines[i]);
    if (!p) return std::nullopt;
    corners[i] = *p;
  }
  *support = static_cast<double>(strong) / total;
  return corners;
}

bool PlausibleCardShape(const std::array<cv::Point2f, 4>& c) {
  std::vector<cv::Point2f> polygon(c.begin(), c.end());
  if (!cv::isContourConvex(polygon)) return false;
  const float side01 = (Length(c[1] - c[0]) + Length(c[3] - c[2])) / 2;
  const float side12 = (Length(c[2] - c[1]) + Length(c[0] - c[3])) / 2;
  const float ratio = std::max(side01, side12) / std::min(side01, side12);
  // 85.6/54 = 1.585; a 20° tilt and the perspective of a close phone move it by about 20 %.
  if (ratio < 1.25f || ratio > 2.05f) return false;
  for (int i = 0; i < 4; ++i) {
    const cv::Point2f u = c[(i + 1) % 4] - c[i], v = c[(i + 3) % 4] - c[i];
    const float cosine = (u.x * v.x + u.y * v.y) / (Length(u) * Length(v));
    if (std::abs(cosine) > 0.5f) return false;  // corners between 60° and 120°
  }
  return true;
}

// Clockwise order, starting so that corners[0]→corners[1] is a long side.
std::array<cv::Point2f, 4> OrderCorners(std::array<cv::Point2f, 4> c) {
  cv::Point2f center = (c[0] + c[1] + c[2] + c[3]) / 4;
  std::sort(c.begin(), c.end(), [&](cv::Point2f a, cv::Point2f b) {
    return std::atan2(a.y - center.y, a.x - center.x) < std::atan2(b.y - center.y, b.x - center.x);
  });
  // atan2 with y down sorts clockwise on screen.
  const float side01 = Length(c[1] - c[0]) + Length(c[3] - c[2]);
  const float side12 = Length(c[2] - c[1]) + Length(c[0] - c[3]);
  if (side12 > side01) std::rotate(c.begin(), c.begin() + 1, c.end());
  return c;
}

struct Candidate {
  std::array<cv::Point2f, 4> corners;
  double support = 0;
  double area_fraction = 0;
  bool touches_border = false;
};

}  // namespace

CardLocation LocateAtScale(const cv::Mat& bgr, int search_long_side) {
  CardLocation location;
  const double scale =
      std::min(1.0, static_cast<double>(search_long_side) / std::max(bgr.cols, bgr.rows));
  cv::Mat small;
  cv::resize(bgr, small, {}, scale, scale, cv::INTER_AREA);
  cv::GaussianBlur(small, small, {5, 5}, 0);
  const double image_area = static_cast<double>(small.total());

  // Gradient of the colour image: the largest Sobel magnitude over the three channels, so a
  // card on a table of the same brightness but another colour still has an edge.
  cv::Mat gradient = cv::Mat::zeros(small.size(), CV_32F);
  std::vector<cv::Mat> channels;
  cv::split(small, channels);
  for (const cv::Mat& channel : channels) {
    cv::Mat gx, gy, magnitude;
    cv::Sobel(channel, gx, CV_32F, 1, 0, 3);
    cv::Sobel(channel, gy, CV_32F, 0, 1, 3);
    cv::magnitude(gx, gy, magnitude);
    gradient = cv::max(gradient, magnitude / 4);
  }

  // Regions bounded by edges: the card's inside is one region whatever lies around it.
  cv::Mat edges;
  cv::threshold(gradient, edges, 18, 255, cv::THRESH_BINARY);
  edges.convertTo(edges, CV_8U);
  cv::dilate(edges, edges, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  cv::Mat regions;
  cv::Mat stats, centroids;
  const int count = cv::connectedComponentsWithStats(~edges, regions, stats, centroids, 4);

  std::vector<std::vector<cv::Point>> outlines;
  for (int label = 1; label < count; ++label) {
    const int area = stats.at<int>(label, cv::CC_STAT_AREA);
    if (area < 0.004 * image_area) continue;
    const cv::Rect box(
        stats.at<int>(label, cv::CC_STAT_LEFT), stats.at<int>(label, cv::CC_STAT_TOP),
        stats.at<int>(label, cv::CC_STAT_WIDTH), stats.at<int>(label, cv::CC_STAT_HEIGHT));
    cv::Mat mask = regions(box) == label;
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE, box.tl());
    for (auto& contour : contours) outlines.push_back(std::move(contour));
  }
  // Bright, colourless blobs: the card's white stock, in case its outline has a gap.
  {
    cv::Mat whiteness;
    cv::Mat minimum = cv::min(cv::min(channels[0], channels[1]), channels[2]);
    cv::threshold(minimum, whiteness, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    cv::morphologyEx(whiteness, whiteness, cv::MORPH_OPEN,
                     cv::getStructuringElement(cv::MORPH_ELLIPSE, {9, 9}));
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(whiteness, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    for (auto& contour : contours) {
      if (cv::contourArea(contour) >= 0.004 * image_area) outlines.push_back(std::move(contour));
    }
  }

  std::vector<Candidate> candidates;
  bool cut_card_seen = false;
  for (const auto& outline : outlines) {
    std::vector<cv::Point> hull;
    cv::convexHull(outline, hull);
    const double hull_area = cv::contourArea(hull);
    if (hull_area < 0.005 * image_area || hull_area > 0.97 * image_area) continue;
    const double solidity = cv::contourArea(outline) / hull_area;
    int border_points = 0;
    for (const cv::Point& p : outline) {
      border_points += p.x <= 1 || p.y <= 1 || p.x >= small.cols - 2 || p.y >= small.rows - 2;
    }
    const bool touches_border = border_points > 0;
    std::vector<cv::Point> polygon;
    cv::approxPolyDP(hull, polygon, 0.02 * cv::arcLength(hull, true), true);
    if (touches_border) {
      // A card running off the frame: a compact, solid, bright shape that meets the border
      // over a short stretch only (the table meets it all round).
      const double border_share =
          static_cast<double>(border_points) / (2 * (small.cols + small.rows));
      if (solidity > 0.75 && border_share < 0.3 && polygon.size() >= 4 && polygon.size() <= 6 &&
          hull_area < 0.8 * image_area) {
        cv::Mat mask = cv::Mat::zeros(small.size(), CV_8U);
        cv::fillConvexPoly(mask, hull, 255);
        // The card stock's colour: the median under the shape (the photo and print are a
        // minority), light and nearly grey.
        std::vector<uint8_t> values[3];
        for (int y = 0; y < small.rows; y += 3) {
          for (int x = 0; x < small.cols; x += 3) {
            if (!mask.at<uint8_t>(y, x)) continue;
            const cv::Vec3b pixel = small.at<cv::Vec3b>(y, x);
            for (int c = 0; c < 3; ++c) values[c].push_back(pixel[c]);
          }
        }
        double median[3] = {0, 0, 0};
        for (int c = 0; c < 3 && !values[c].empty(); ++c) {
          std::nth_element(values[c].begin(), values[c].begin() + values[c].size() / 2,
                           values[c].end());
          median[c] = values[c][values[c].size() / 2];
        }
        const double lowest = std::min({median[0], median[1], median[2]});
        const double highest = std::max({median[0], median[1], median[2]});
        // Print inside (text, a photo, the emblem): a blank sheet of paper has none.
        cv::erode(mask, mask, cv::getStructuringElement(cv::MORPH_RECT, {9, 9}));
        const double inside = std::max(1, cv::countNonZero(mask));
        const double print = cv::countNonZero(edges & mask) / inside;
        if (lowest > 90 && highest - lowest < 50 && print > 0.02 && print < 0.5)
          cut_card_seen = true;
      }
      continue;
    }
    if (polygon.size() != 4 || solidity < 0.8) continue;
    Candidate candidate;
    auto refined = RefineQuad(polygon, gradient, &candidate.support);
    if (!refined || !PlausibleCardShape(*refined)) continue;
    candidate.corners = *refined;
    candidate.area_fraction =
        cv::contourArea(std::vector<cv::Point2f>(refined->begin(), refined->end())) / image_area;
    for (const auto& p : *refined) {
      if (p.x < 1 || p.y < 1 || p.x > small.cols - 2 || p.y > small.rows - 2)
        candidate.touches_border = true;
    }
    if (candidate.support < 0.6) continue;
    candidates.push_back(candidate);
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.support * std::sqrt(a.area_fraction) > b.support * std::sqrt(b.area_fraction);
  });
  // Near-duplicates (the same card found by both methods) collapse into the first.
  for (const Candidate& candidate : candidates) {
    if (candidate.touches_border) {
      cut_card_seen = true;
      continue;
    }
    std::array<cv::Point2f, 4> corners;
    for (int i = 0; i < 4; ++i) corners[i] = candidate.corners[i] * (1.0 / scale);
    corners = OrderCorners(corners);
    bool duplicate = false;
    for (const auto& seen : location.candidates) {
      float distance = 0;
      for (const auto& p : seen) {
        float nearest = 1e9f;
        for (const auto& q : corners) nearest = std::min(nearest, Length(p - q));
        distance = std::max(distance, nearest);
      }
      duplicate |= distance < 0.03 * std::max(bgr.cols, bgr.rows);
    }
    if (duplicate) continue;
    if (location.candidates.empty()) {
      location.edge_support = candidate.support;
      location.area_fraction = candidate.area_fraction;
    }
    location.candidates.push_back(corners);
  }
  location.cut_card_seen = cut_card_seen;
  if (!location.candidates.empty()) {
    location.outcome = CardLocation::Outcome::kFound;
    location.corners = location.candidates.front();
  } else if (cut_card_seen) {
    location.outcome = CardLocation::Outcome::kCornerCut;
  }
  return location;
}

CardLocation LocateCard(const cv::Mat& bgr) {
  if (bgr.empty()) return {};
  // A coarse second look finds cards whose edges are too blurred to show at the finer scale
  // (the blur check then reports them, instead of "no card").
  CardLocation fine = LocateAtScale(bgr, 960);
  if (fine.outcome == CardLocation::Outcome::kFound) return fine;
  CardLocation coarse = LocateAtScale(bgr, 360);
  if (coarse.outcome == CardLocation::Outcome::kFound) {
    coarse.cut_card_seen |= fine.cut_card_seen;
    return coarse;
  }
  return fine.outcome == CardLocation::Outcome::kCornerCut ? fine : coarse;
}

cv::Mat RectifyCard(const cv::Mat& bgr, const std::array<cv::Point2f, 4>& corners,
                    double pixels_per_mm) {
  const cv::Size size(static_cast<int>(std::lround(card_layout::kWidthMm * pixels_per_mm)),
                      static_cast<int>(std::lround(card_layout::kHeightMm * pixels_per_mm)));
  const std::array<cv::Point2f, 4> target = {cv::Point2f(0, 0), cv::Point2f(size.width, 0),
                                             cv::Point2f(size.width, size.height),
                                             cv::Point2f(0, size.height)};
  // Perspective warps cannot average (no INTER_AREA): halve the card's neighbourhood with
  // pyrDown until it is at most twice the target, so small print does not alias.
  const cv::Rect bounds =
      cv::boundingRect(std::vector<cv::Point2f>(corners.begin(), corners.end())) &
      cv::Rect(0, 0, bgr.cols, bgr.rows);
  cv::Mat source = bgr(bounds);
  double shrink = 1.0;
  double card_width = std::max(Length(corners[1] - corners[0]), Length(corners[2] - corners[3]));
  while (card_width * shrink > 2.0 * size.width) {
    cv::Mat half;
    cv::pyrDown(source, half);
    source = half;
    shrink *= 0.5;
  }
  std::array<cv::Point2f, 4> local;
  for (int i = 0; i < 4; ++i) {
    local[i] = (corners[i] - cv::Point2f(bounds.x, bounds.y)) * static_cast<float>(shrink);
  }
  const cv::Mat homography = cv::getPerspectiveTransform(local.data(), target.data());
  cv::Mat card;
  cv::warpPerspective(source, card, homography, size, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  return card;
}

}  // namespace examphoto
