#include "idcard/photo_checks.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <vector>

#include "idcard/card_layout.h"

namespace examphoto {

namespace layout = card_layout;

PhotoSharpness MeasureSharpness(const cv::Mat& bgr) {
  cv::Mat gray;
  const double scale = 1024.0 / std::max(bgr.cols, bgr.rows);
  cv::resize(bgr, gray, {}, scale, scale, cv::INTER_AREA);
  cv::cvtColor(gray, gray, cv::COLOR_BGR2GRAY);
  cv::Mat gx, gy, magnitude;
  cv::Sobel(gray, gx, CV_32F, 1, 0, 3);
  cv::Sobel(gray, gy, CV_32F, 0, 1, 3);
  cv::magnitude(gx, gy, magnitude);
  std::vector<float> values(magnitude.begin<float>(), magnitude.end<float>());
  const size_t k = values.size() * 9997 / 10000;
  std::nth_element(values.begin(), values.begin() + k, values.end());
  double dark = 0, light = 0;
  cv::minMaxLoc(gray, &dark, &light);
  return {values[k] / std::max(20.0, light - dark) / 8.0, light - dark};
}

double GlareShare(const cv::Mat& card, CardSide side) {
  const double sx = card.cols / layout::kWidthMm, sy = card.rows / layout::kHeightMm;
  const layout::RectMm text =
      side == CardSide::kPortrait ? layout::RectMm{4, 4, 50, 47} : layout::RectMm{14, 36, 70, 16};
  const cv::Rect card_area(0, 0, card.cols, card.rows);
  const cv::Rect r =
      cv::Rect(static_cast<int>(text.x * sx), static_cast<int>(text.y * sy),
               static_cast<int>(text.width * sx), static_cast<int>(text.height * sy)) &
      card_area;
  if (r.area() <= 0) return 0;
  // Saturated spots at least k px across: an opening, which reaches k px past a pixel, so
  // only the text area and k px around it are measured (the same as over the whole card).
  const int k = std::max(3, static_cast<int>(card.cols / layout::kWidthMm * 2.5)) | 1;
  const cv::Rect around = cv::Rect(r.x - k, r.y - k, r.width + 2 * k, r.height + 2 * k) & card_area;
  std::vector<cv::Mat> channels;
  cv::split(card(around), channels);
  cv::Mat lowest = cv::min(cv::min(channels[0], channels[1]), channels[2]);
  cv::Mat saturated = lowest >= 245;
  cv::morphologyEx(saturated, saturated, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_ELLIPSE, {k, k}));
  return cv::countNonZero(saturated(r - around.tl())) / static_cast<double>(r.area());
}

std::optional<double> PrintColourfulness(const cv::Mat& card, CardSide side) {
  const double sx = card.cols / layout::kWidthMm, sy = card.rows / layout::kHeightMm;
  // The label column of the portrait side; the emblem with a margin of background.
  const layout::RectMm area = side == CardSide::kPortrait ? layout::RectMm{4.5, 5.5, 9.5, 25.0}
                                                          : layout::RectMm{4.5, 2.5, 19.0, 19.0};
  const cv::Rect r =
      cv::Rect(static_cast<int>(area.x * sx), static_cast<int>(area.y * sy),
               static_cast<int>(area.width * sx), static_cast<int>(area.height * sy)) &
      cv::Rect(0, 0, card.cols, card.rows);
  if (r.area() < 16) return std::nullopt;
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
  if (paper_gray <= 0.05) return std::nullopt;
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
  if (ink < 20 || paper < 20) return std::nullopt;
  const cv::Vec2d difference = ink_sum / ink - paper_sum / paper;
  return std::hypot(difference[0], difference[1]);
}

int ScreenGridPeaks(const cv::Mat& patch) {
  const int n = patch.cols;
  if (patch.empty() || patch.rows != n || n < 64) return 0;
  cv::Mat grey;
  cv::cvtColor(patch, grey, cv::COLOR_BGR2GRAY);
  grey.convertTo(grey, CV_32F);
  // Texture only: the patch less its blur, under a window so its borders add no streaks.
  cv::Mat blurred, window;
  cv::GaussianBlur(grey, blurred, {0, 0}, 3);
  grey -= blurred;
  cv::createHanningWindow(window, grey.size(), CV_32F);
  grey = grey.mul(window);
  cv::Mat spectrum;
  cv::dft(grey, spectrum, cv::DFT_COMPLEX_OUTPUT);
  std::vector<cv::Mat> parts;
  cv::split(spectrum, parts);
  cv::Mat magnitude;
  cv::magnitude(parts[0], parts[1], magnitude);
  // Frequencies (fu, fv) in -n/2..n/2-1; the magnitude is symmetric, so half the plane.
  auto at = [&](int fu, int fv) { return magnitude.at<float>((fv + n) % n, (fu + n) % n); };
  const float* first = magnitude.ptr<float>();  // continuous: made by cv::magnitude
  std::vector<float> all(first, first + magnitude.total());
  std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(all.size() / 2),
                   all.end());
  const float median = all[all.size() / 2];
  // JPEG's 8- and 16-px blocks (4:2:0 chroma) repeat at multiples of n/16.
  const int block_step = n / 16;
  auto near_block_lattice = [&](int f) {
    const int m = ((f % block_step) + block_step) % block_step;
    return m <= 2 || m >= block_step - 2;
  };
  constexpr float kStrength = 8;      // times the spectrum's median
  constexpr float kIsolation = 2.5f;  // times the strongest bin 3–4 bins away
  int peaks = 0;
  for (int fv = 0; fv < n / 2 - 4; ++fv) {
    for (int fu = -n / 2 + 5; fu < n / 2 - 4; ++fu) {
      // Half the plane (fv = 0: fu > 0 only); away from the lowest frequencies (the print's
      // layout, a patterned surface) and the block lattice. Strokes and edges give ridges
      // through the origin, which the isolation test below turns away.
      const float p = at(fu, fv);
      if (p < kStrength * median) continue;  // first: it turns away almost every bin
      if ((fv == 0 && fu <= 0) || std::hypot(fu, fv) < n / 12.0) continue;
      if (near_block_lattice(fu) && near_block_lattice(fv)) continue;
      bool highest = true;
      float ring = 0;
      for (int dv = -4; dv <= 4 && highest; ++dv) {
        for (int du = -4; du <= 4; ++du) {
          const int d = std::max(std::abs(du), std::abs(dv));
          const float q = at(fu + du, fv + dv);
          if (d <= 1 && q > p) {
            highest = false;
            break;
          }
          if (d >= 3) ring = std::max(ring, q);
        }
      }
      peaks += highest && p > kIsolation * ring;
    }
  }
  return peaks;
}

}  // namespace examphoto

namespace examphoto {
namespace {

float Sample(const cv::Mat& gray, cv::Point2f p) {
  const int x = static_cast<int>(p.x), y = static_cast<int>(p.y);
  const float fx = p.x - x, fy = p.y - y;
  const float* r0 = gray.ptr<float>(y);
  const float* r1 = gray.ptr<float>(y + 1);
  return (r0[x] * (1 - fx) + r0[x + 1] * fx) * (1 - fy) + (r1[x] * (1 - fx) + r1[x + 1] * fx) * fy;
}

cv::Point2f Intersect(cv::Point2f a, cv::Point2f da, cv::Point2f b, cv::Point2f db) {
  const float cross = da.x * db.y - da.y * db.x;
  if (std::abs(cross) < 1e-6f) return a;
  const cv::Point2f d = b - a;
  const float t = (d.x * db.y - d.y * db.x) / cross;
  return a + da * t;
}

}  // namespace

std::array<cv::Point2f, 4> SnapCornersToEdges(const cv::Mat& bgr,
                                              const std::array<cv::Point2f, 4>& predicted,
                                              double search_px, int* found_sides,
                                              int* placed_corners) {
  // Work on a copy of the photo about 1,000 px across (card edges are long, and this keeps
  // it cheap), of the part that the outline and the search band around it cover.
  const double scale = std::min(1.0, 1024.0 / std::max(bgr.cols, bgr.rows));
  if (found_sides) *found_sides = 0;
  if (placed_corners) *placed_corners = 0;
  const double far = 4.0 * std::max(bgr.cols, bgr.rows);  // a wild fit: nothing to snap to
  for (const cv::Point2f& p : predicted) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || std::abs(p.x) > far || std::abs(p.y) > far) {
      return predicted;
    }
  }
  const int reach = static_cast<int>(std::ceil(search_px + 4 / scale));
  const cv::Rect outline =
      cv::boundingRect(std::vector<cv::Point2f>(predicted.begin(), predicted.end()));
  const cv::Rect area = cv::Rect(outline.x - reach, outline.y - reach, outline.width + 2 * reach,
                                 outline.height + 2 * reach) &
                        cv::Rect(0, 0, bgr.cols, bgr.rows);
  if (area.width < 8 || area.height < 8) return predicted;
  cv::Mat gray;
  cv::resize(bgr(area), gray, {}, scale, scale, cv::INTER_AREA);
  cv::cvtColor(gray, gray, cv::COLOR_BGR2GRAY);
  gray.convertTo(gray, CV_32F);
  const float s = static_cast<float>(scale);
  const cv::Point2f origin(area.tl());
  std::array<cv::Point2f, 4> local;  // the predicted corners in `gray`
  for (int i = 0; i < 4; ++i) local[i] = (predicted[i] - origin) * s;
  const cv::Point2f centre = (local[0] + local[1] + local[2] + local[3]) * 0.25f;
  const int band = std::max(3, static_cast<int>(search_px * scale));
  const cv::Rect inside(2, 2, gray.cols - 4, gray.rows - 4);
  constexpr int kSamples = 40;
  std::array<cv::Point2f, 4> point, direction;
  std::array<bool, 4> seen{};
  int found = 0;
  for (int side = 0; side < 4; ++side) {
    const cv::Point2f a = local[side], b = local[(side + 1) % 4];
    const cv::Point2f along = (b - a) / static_cast<float>(cv::norm(b - a));
    cv::Point2f normal(-along.y, along.x);
    if ((a - centre).dot(normal) < 0) normal = -normal;  // pointing out of the card
    point[side] = a;
    direction[side] = along;
    // For each sample along the side, the offsets of its strongest gradients.
    std::vector<std::vector<int>> peaks(kSamples);
    int usable = 0;
    for (int k = 0; k < kSamples; ++k) {
      const cv::Point2f p = a + (b - a) * (0.1f + 0.8f * k / (kSamples - 1));
      std::vector<std::pair<float, int>> strengths;
      for (int o = -band; o <= band; ++o) {
        const cv::Point2f q = p + normal * static_cast<float>(o);
        if (!inside.contains(q + normal) || !inside.contains(q - normal)) continue;
        strengths.emplace_back(std::abs(Sample(gray, q + normal) - Sample(gray, q - normal)), o);
      }
      if (strengths.size() < 3) continue;
      ++usable;
      std::partial_sort(strengths.begin(), strengths.begin() + 3, strengths.end(),
                        [](const auto& x, const auto& y) { return x.first > y.first; });
      for (int i = 0; i < 3; ++i) {
        if (strengths[i].first >= 12) peaks[k].push_back(strengths[i].second);  // grey levels
      }
    }
    if (usable < kSamples / 3) continue;
    // The straight line (offset linear along the side) through a peak near each end that
    // the most samples agree with: the card's edge runs the whole side, print does not.
    auto offset_at = [&](int k) { return 0.1 + 0.8 * k / (kSamples - 1); };
    double best_start = 0, best_end = 0;
    int best_support = 0;
    for (int k1 = 0; k1 < kSamples / 4; ++k1) {
      for (int k2 = kSamples * 3 / 4; k2 < kSamples; ++k2) {
        for (int o1 : peaks[k1]) {
          for (int o2 : peaks[k2]) {
            const double t1 = offset_at(k1), t2 = offset_at(k2);
            const double slope = (o2 - o1) / (t2 - t1);
            int support = 0;
            for (int k = 0; k < kSamples; ++k) {
              const double expected = o1 + slope * (offset_at(k) - t1);
              for (int o : peaks[k]) {
                if (std::abs(o - expected) <= 1.5) {
                  ++support;
                  break;
                }
              }
            }
            if (support > best_support) {
              best_support = support;
              best_start = o1 - slope * t1;
              best_end = o1 + slope * (1 - t1);
            }
          }
        }
      }
    }
    if (best_support < usable * 6 / 10) continue;
    const cv::Point2f start = a + normal * static_cast<float>(best_start);
    const cv::Point2f end = b + normal * static_cast<float>(best_end);
    point[side] = start;
    direction[side] = (end - start) / static_cast<float>(cv::norm(end - start));
    seen[side] = true;
    ++found;
  }
  if (found_sides) *found_sides = found;
  // The scale from a side found whole (it and both its neighbours found), else from the
  // prediction (which is off by as much as the far side is).
  double px_per_mm =
      0.5 * (cv::norm(local[1] - local[0]) + cv::norm(local[2] - local[3])) / layout::kWidthMm;
  for (int side = 0; side < 4; ++side) {
    const int before = (side + 3) % 4, after = (side + 1) % 4;
    if (!seen[before] || !seen[side] || !seen[after]) continue;
    const cv::Point2f from =
        Intersect(point[before], direction[before], point[side], direction[side]);
    const cv::Point2f to = Intersect(point[side], direction[side], point[after], direction[after]);
    px_per_mm = cv::norm(to - from) / (side % 2 == 0 ? layout::kWidthMm : layout::kHeightMm);
    break;
  }
  const double radius_px = layout::kCornerRadiusMm * px_per_mm;
  const auto beyond_end = static_cast<float>(std::max(0.0, radius_px - std::sqrt(8 * radius_px)));
  // Where a found side's edge ends, walking from its middle along its line towards one end
  // (`forward`: towards the next corner): the last point of clear contrast across the line
  // before it fades for a few pixels, moved on to where the straight edges would meet. The
  // contrast is taken within 3 px of the line (the fitted line can be that far off near its
  // ends); the rounded corner leaves the line at the tangent point, a radius r before the
  // meeting point, and is still found until it is 4 px off, √(8r) further: so r − √(8r) on.
  // None when the walk reaches the border of the region searched first (the photo's: the
  // card runs on out of it; or 12 mm past the predicted corner: the prediction was short).
  auto edge_end = [&](int side, bool forward) -> std::optional<cv::Point2f> {
    const cv::Point2f a = local[side], b = local[(side + 1) % 4];
    const cv::Point2f d = direction[side];
    const cv::Point2f n(-d.y, d.x);
    const cv::Point2f middle = point[side] + d * (((a + b) * 0.5f - point[side]).dot(d));
    auto contrast = [&](cv::Point2f p) {
      float strongest = 0;
      for (int o = -3; o <= 3; ++o) {
        const cv::Point2f q = p + n * static_cast<float>(o);
        if (!inside.contains(q + n * 2.f) || !inside.contains(q - n * 2.f)) return -1.0f;
        strongest = std::max(strongest, std::abs(Sample(gray, q + n) - Sample(gray, q - n)));
      }
      return strongest;
    };
    // The edge's usual contrast: the median over the middle half of the side.
    const float half = static_cast<float>(cv::norm(b - a)) / 2;
    std::vector<float> middle_contrast;
    for (float t = -half / 2; t <= half / 2; t += 1) {
      const float c = contrast(middle + d * t);
      if (c >= 0) middle_contrast.push_back(c);
    }
    if (middle_contrast.size() < 8) return std::nullopt;
    std::nth_element(middle_contrast.begin(), middle_contrast.begin() + middle_contrast.size() / 2,
                     middle_contrast.end());
    const float strong = std::max(8.0f, 0.4f * middle_contrast[middle_contrast.size() / 2]);
    const cv::Point2f step = forward ? d : -d;
    cv::Point2f last = middle;
    int faded = 0;
    for (float t = 0; t < 4 * half; t += 1) {
      const cv::Point2f p = middle + step * t;
      const float c = contrast(p);
      if (c < 0) return std::nullopt;  // the photo's border, the edge still there
      if (c >= strong) {
        last = p;
        faded = 0;
      } else if (++faded > 4) {
        return last + step * beyond_end;
      }
    }
    return std::nullopt;
  };
  std::array<cv::Point2f, 4> corners;
  int placed = 0;
  for (int i = 0; i < 4; ++i) {
    // Corner i joins side i-1 (ending there) and side i (starting there).
    const int previous = (i + 3) % 4;
    cv::Point2f corner = Intersect(point[previous], direction[previous], point[i], direction[i]);
    if (seen[previous] && seen[i]) {
      ++placed;
    } else if (seen[previous] != seen[i]) {
      const std::optional<cv::Point2f> end =
          seen[previous] ? edge_end(previous, true) : edge_end(i, false);
      if (end) {
        corner = *end;
        ++placed;
      }
    }
    corners[i] = corner / s + origin;
  }
  if (placed_corners) *placed_corners = placed;
  return corners;
}

}  // namespace examphoto
