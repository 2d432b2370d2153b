// Finds an ID card in a photo and straightens it: the card's four corners (which must all be
// inside the frame), then a perspective warp to a canonical landscape image at the card's
// real 85.6 × 54 mm proportions. Pure functions over cv::Mat.
#pragma once

#include <array>
#include <opencv2/core.hpp>
#include <vector>

namespace examphoto {

struct CardLocation {
  enum class Outcome { kFound, kNotFound, kCornerCut };
  Outcome outcome = Outcome::kNotFound;
  // Corners in the input image, clockwise, starting at a corner of a long side so that
  // corners[0]→corners[1] runs along the card's long edge. Upright or upside down: the
  // side classifier decides.
  std::array<cv::Point2f, 4> corners{};
  double edge_support = 0;   // fraction of the outline with a strong edge under it
  double area_fraction = 0;  // card area / image area
  // Every card-shaped outline found, best first (corners[] is the first); the reader tries
  // the next when the first turns out not to be a card (a sheet of paper, a phone).
  std::vector<std::array<cv::Point2f, 4>> candidates;
  // A card-like shape running off the frame was seen as well (reported when none of the
  // candidates turns out to be a card).
  bool cut_card_seen = false;
};

// `bgr` is the whole photo at any resolution; the search runs on a reduced copy.
CardLocation LocateCard(const cv::Mat& bgr);

// Warps the card to `pixels_per_mm` (width = 85.6 * pixels_per_mm).
cv::Mat RectifyCard(const cv::Mat& bgr, const std::array<cv::Point2f, 4>& corners,
                    double pixels_per_mm);

}  // namespace examphoto
