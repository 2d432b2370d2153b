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
    const int w = stats.at<int>(label, cv::CC_STAT_WIDTH), h = stats.at<int>(label, cv::CC_STAT_HEIGHT);
    const bool touches_border = x == 0 || y == 0 || x + w == person.cols || y + h == person.rows;
    if (touches_border || stats.at<int>(label, cv::CC_STAT_AREA) > max_area) continue;
    person.setTo(255, labels == label);
  }
}

}  // namespace

cv::Mat FaceRegionMask(const FaceLandmarks& face, cv::Size size) {
  cv::Mat mask = cv::Mat::zeros(size, CV_8U);
  std::vector<cv::Point> outline = Points(
      face, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 26, 25, 24, 23, 22, 21, 20,
             19, 18, 17});
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
  const double limit = options.max_head_half_width * fw, fade = 0.15 * fw;
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

  // The guided filter sees only a box around the band (the whole outline, usually most of the
  // frame's upper part) plus its window.
  cv::Rect box = cv::boundingRect(unsure);
  if (box.empty()) return alpha.clone();
  box.x -= 2 * radius;
  box.y -= 2 * radius;
  box.width += 4 * radius;
  box.height += 4 * radius;
  box &= cv::Rect(0, 0, frame.cols, frame.rows);

  cv::Mat guide;
  frame(box).convertTo(guide, CV_32FC3, 1.0 / 255);
  cv::Mat filtered;
  cv::ximgproc::guidedFilter(guide, alpha(box), filtered, radius, options.guided_epsilon, CV_32F);
  // The filter spreads an edge over its window; hair needs it about half as wide.
  filtered = (filtered - 0.5) * 1.5 + 0.5;
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
  const int bottom =
      std::clamp(cvRound(geometry.chin.y + 0.5 * fw), 1, coarse_alpha.rows);
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
