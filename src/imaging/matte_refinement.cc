#include "imaging/matte_refinement.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <opencv2/ximgproc/edge_filter.hpp>
#include <vector>

namespace examphoto::imaging {
namespace {

std::vector<cv::Point> Points(const FaceLandmarks& face, std::initializer_list<int> indices) {
  std::vector<cv::Point> points;
  for (int i : indices) points.emplace_back(cvRound(face.points[i].x), cvRound(face.points[i].y));
  return points;
}

// Fills the holes of `person` (CV_8U 0/255) smaller than `max_area` pixels: regions of
// background that do not reach the frame's border.
void FillSmallHoles(cv::Mat& person, int max_area) {
  cv::Mat background = person == 0;
  cv::Mat labels, stats, centroids;
  const int count = cv::connectedComponentsWithStats(background, labels, stats, centroids, 4);
  for (int label = 1; label < count; ++label) {
    const int x = stats.at<int>(label, cv::CC_STAT_LEFT), y = stats.at<int>(label, cv::CC_STAT_TOP);
    const int w = stats.at<int>(label, cv::CC_STAT_WIDTH),
              h = stats.at<int>(label, cv::CC_STAT_HEIGHT);
    const bool touches_border = x == 0 || y == 0 || x + w == person.cols || y + h == person.rows;
    if (touches_border || stats.at<int>(label, cv::CC_STAT_AREA) > max_area) continue;
    person.setTo(255, labels == label);
  }
}

}  // namespace

cv::Mat FaceRegionMask(const FaceLandmarks& face, cv::Size size) {
  cv::Mat mask = cv::Mat::zeros(size, CV_8U);
  std::vector<cv::Point> outline =
      Points(face, {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13,
                    14, 15, 16, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17});
  std::vector<cv::Point> hull;
  cv::convexHull(outline, hull);
  cv::fillConvexPoly(mask, hull, cv::Scalar(255));
  return mask;
}

cv::Mat AnchorMatteToFace(const cv::Mat& alpha, const FaceLandmarks& face,
                          const FaceGeometry& geometry, const MatteRefinementOptions& options) {
  CV_Assert(alpha.type() == CV_32F);
  cv::Mat out = alpha.clone();
  const double fw = std::max(1.0, geometry.face_width);

  // Above the chin nothing of the person lies farther out than big hair does.
  const double midline = geometry.eye_centre.x;
  const int chin_row = std::clamp(cvRound(geometry.chin.y), 0, out.rows);
  const double limit = options.max_head_half_width * fw, fade = 0.1 * fw;
  for (int y = 0; y < chin_row; ++y) {
    float* row = out.ptr<float>(y);
    for (int x = 0; x < out.cols; ++x) {
      const double beyond = std::abs(x - midline) - limit;
      if (beyond > 0) row[x] *= static_cast<float>(std::max(0.0, 1.0 - beyond / fade));
    }
  }

  // The face is the person, whatever the model thought of it.
  const cv::Mat face_region = FaceRegionMask(face, out.size());
  out.setTo(1.0f, face_region);

  // Keep what is connected to the face; fill small holes.
  cv::Mat person = out > 0.5f;
  cv::Mat labels;
  const int count = cv::connectedComponents(person, labels, 8, CV_32S);
  if (count > 2) {
    const cv::Point nose(std::clamp(cvRound(geometry.nose_tip.x), 0, out.cols - 1),
                         std::clamp(cvRound(geometry.nose_tip.y), 0, out.rows - 1));
    const int keep = labels.at<int>(nose);
    cv::Mat others = (labels != keep) & person;
    // Drop the other blobs together with their soft rims.
    cv::dilate(others, others, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5)));
    cv::Mat kept_near;
    cv::dilate(labels == keep, kept_near, cv::getStructuringElement(cv::MORPH_ELLIPSE, {5, 5}));
    out.setTo(0.0f, others & ~kept_near);
    person = (labels == keep);
  }
  cv::Mat filled = person.clone();
  FillSmallHoles(filled, static_cast<int>(options.max_hole_fraction * out.total()));
  out.setTo(1.0f, filled & ~person);
  return out;
}

cv::Mat RefineMatte(const cv::Mat& frame, const cv::Mat& alpha, const FaceGeometry& geometry,
                    const MatteRefinementOptions& options) {
  CV_Assert(frame.type() == CV_8UC3 && alpha.type() == CV_32F && frame.size() == alpha.size());
  const double fw = std::max(8.0, geometry.face_width);
  const int band = std::max(2, cvRound(options.band_face_widths * fw));
  const int radius = std::max(2, cvRound(options.guided_face_widths * fw));

  // Trimap: the band is everything within `band` px of the coarse outline.
  const cv::Mat person = alpha > 0.5f;
  const cv::Mat element =
      cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * band + 1, 2 * band + 1));
  cv::Mat sure_person, sure_background;
  cv::erode(person, sure_person, element);
  cv::erode(~person, sure_background, element);
  const cv::Mat unsure = ~(sure_person | sure_background);

  // Work in a box around the band (the whole outline, usually most of the frame's upper
  // part) plus the reach of the local colour estimates.
  cv::Rect box = cv::boundingRect(unsure);
  if (box.empty()) return alpha.clone();
  const int reach = 3 * band + 2 * radius;
  box.x -= reach;
  box.y -= reach;
  box.width += 2 * reach;
  box.height += 2 * reach;
  box &= cv::Rect(0, 0, frame.cols, frame.rows);

  cv::Mat image;
  frame(box).convertTo(image, CV_32FC3);
  // Local colours of the person (F) and of the background (B) next to each band pixel: the
  // average of the sure pixels of each within 3 band widths (normalised box filters), and
  // how much the background varies about it (a street's texture does, a wall does not).
  // They change slowly, so they are worked out at a quarter of the size and enlarged. The
  // variance counts only quarter-size pixels wholly inside the sure part (a pixel that
  // straddles the outline is a mix, not texture), with the squares averaged at full size
  // (so that texture finer than four pixels still counts).
  const double quarter = 0.25;
  cv::Mat small_image, small_square;
  cv::resize(image, small_image, cv::Size(), quarter, quarter, cv::INTER_AREA);
  cv::resize(image.mul(image), small_square, small_image.size(), 0, 0, cv::INTER_AREA);
  const int window_side = std::max(3, 2 * cvRound(3 * band * quarter) + 1);
  const cv::Size window(window_side, window_side);
  auto as3 = [](const cv::Mat& one) {
    cv::Mat three;
    cv::merge(std::vector<cv::Mat>{one, one, one}, three);
    return three;
  };
  auto local_sum = [&](const cv::Mat& values) {
    cv::Mat sum;
    cv::boxFilter(values, sum, CV_32F, window, cv::Point(-1, -1), false);
    return sum;
  };
  auto local_colour = [&](const cv::Mat& sure, cv::Mat& mean, cv::Mat& weight, cv::Mat* spread) {
    cv::Mat w;
    sure(box).convertTo(w, CV_32F, 1.0 / 255);
    cv::resize(w, w, small_image.size(), 0, 0, cv::INTER_AREA);
    weight = local_sum(w);
    // Back to the box's size as averages (sum / weight), where some sure pixel was seen.
    const cv::Mat average = local_sum(small_image.mul(as3(w))) / cv::max(as3(weight), 1e-3);
    if (spread != nullptr) {
      cv::Mat whole;
      cv::threshold(w, whole, 0.99, 1.0, cv::THRESH_BINARY);
      const cv::Mat count3 = cv::max(as3(local_sum(whole)), 1e-3);
      const cv::Mat whole3 = as3(whole);
      const cv::Mat mean_whole = local_sum(small_image.mul(whole3)) / count3;
      const cv::Mat variance =
          cv::max(local_sum(small_square.mul(whole3)) / count3 - mean_whole.mul(mean_whole), 0.0);
      cv::Mat channels[3];
      cv::split(variance, channels);
      cv::resize(channels[0] + channels[1] + channels[2], *spread, box.size(), 0, 0,
                 cv::INTER_LINEAR);
    }
    cv::resize(average, mean, box.size(), 0, 0, cv::INTER_LINEAR);
    cv::resize(weight, weight, box.size(), 0, 0, cv::INTER_LINEAR);
  };
  cv::Mat f_mean, f_weight, b_mean, b_weight, b_spread;
  local_colour(sure_person, f_mean, f_weight, nullptr);
  local_colour(sure_background, b_mean, b_weight, &b_spread);

  // In the band, each pixel as a mix of its local F and B: α = (I − B)·(F − B) / |F − B|².
  // The mix says little where F and B are alike, or where the background varies about B
  // as much as F and B differ (hair before a street: the pixel's own background is not the
  // local average, and a dark spot of it would read as hair). There the model's own alpha
  // is kept instead, in proportion.
  constexpr float kDistinct = 30.0f;  // colour distance (0–255 units) that counts as "unlike"
  const auto texture_weight = static_cast<float>(options.background_texture_weight);
  cv::Mat estimate(box.size(), CV_32F, cv::Scalar(0));
  estimate.setTo(1.0f, sure_person(box));
  alpha(box).copyTo(estimate, unsure(box));
  for (int y = 0; y < box.height; ++y) {
    const uint8_t* in_band = unsure.ptr<uint8_t>(y + box.y) + box.x;
    const cv::Vec3f* pixel = image.ptr<cv::Vec3f>(y);
    const cv::Vec3f* fs = f_mean.ptr<cv::Vec3f>(y);
    const cv::Vec3f* bs = b_mean.ptr<cv::Vec3f>(y);
    const float* fw_row = f_weight.ptr<float>(y);
    const float* bw_row = b_weight.ptr<float>(y);
    const float* b_var = b_spread.ptr<float>(y);
    float* out = estimate.ptr<float>(y);
    for (int x = 0; x < box.width; ++x) {
      // At a quarter of the size a weight of 1/16 is one full-size sure pixel.
      if (!in_band[x] || fw_row[x] < 0.1f || bw_row[x] < 0.1f) continue;
      const cv::Vec3f f = fs[x], b = bs[x];
      const cv::Vec3f d = f - b;
      const float distance2 = d.dot(d);
      const float mix = std::clamp((pixel[x] - b).dot(d) / std::max(distance2, 1.0f), 0.0f, 1.0f);
      const float trust =
          distance2 / (distance2 + kDistinct * kDistinct + texture_weight * b_var[x]);
      out[x] = trust * mix + (1 - trust) * out[x];
    }
  }
  // A guided filter (on luma: a colour guide costs 3× as much for little gain once the
  // colours have placed the edge) smooths the estimate's noise without crossing the edges.
  cv::Mat guide;
  cv::cvtColor(frame(box), guide, cv::COLOR_BGR2GRAY);
  guide.convertTo(guide, CV_32F, 1.0 / 255);
  cv::Mat filtered;
  cv::ximgproc::guidedFilter(guide, estimate, filtered, radius, options.guided_epsilon, CV_32F);
  cv::min(cv::max(filtered, 0.0), 1.0, filtered);

  cv::Mat out(alpha.size(), CV_32F, cv::Scalar(0));
  out.setTo(1.0f, sure_person);
  filtered.copyTo(out(box), unsure(box));
  return out;
}

MatteConfidence MeasureMatteConfidence(const cv::Mat& coarse_alpha, const FaceLandmarks& face,
                                       const FaceGeometry& geometry) {
  CV_Assert(coarse_alpha.type() == CV_32F);
  MatteConfidence confidence;
  const cv::Mat face_region = FaceRegionMask(face, coarse_alpha.size());
  const int face_pixels = cv::countNonZero(face_region);
  if (face_pixels > 0) {
    confidence.face_covered_fraction =
        cv::countNonZero((coarse_alpha > 0.5f) & face_region) / static_cast<double>(face_pixels);
  }
  // Along the head and neck: rows above the chin plus half a face width.
  const double fw = std::max(1.0, geometry.face_width);
  const int bottom = std::clamp(cvRound(geometry.chin.y + 0.5 * fw), 1, coarse_alpha.rows);
  const cv::Mat region = coarse_alpha(cv::Rect(0, 0, coarse_alpha.cols, bottom));
  const int unsure = cv::countNonZero((region > 0.25f) & (region < 0.75f));
  // The outline's length: the boundary pixels of the person at 0.5.
  const cv::Mat person = region > 0.5f;
  cv::Mat eroded;
  cv::erode(person, eroded, cv::Mat());
  const int outline = cv::countNonZero(person & ~eroded);
  if (outline > 0) confidence.unsure_band_face_widths = unsure / static_cast<double>(outline) / fw;
  return confidence;
}

}  // namespace examphoto::imaging
