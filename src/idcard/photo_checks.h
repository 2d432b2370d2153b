// Checks on the photo itself rather than on what it says: is anything in it sharp, is the
// card's text washed out by glare, does the card show its printed colours (a black-and-white
// photocopy does not), is it a screen showing the card. Model-free pure functions over images;
// thresholds live with the reader.
#pragma once

#include <array>
#include <opencv2/core.hpp>
#include <optional>

#include "domain/card_side.h"

namespace examphoto {

struct PhotoSharpness {
  // Steepest edges (the 99.97th percentile of the gradient on a 1,024-px grey copy) relative
  // to `contrast`: about 1 / (blur sigma × 2.5) for a blurred step edge, so print that can be
  // read scores 0.25 and more, a photo blurred past reading under 0.1.
  double sharpness = 0;
  double contrast = 0;  // lightest minus darkest grey level on that copy
};
PhotoSharpness MeasureSharpness(const cv::Mat& bgr);

// Share of the card's text area washed out to white: saturated pixels that stay saturated
// over a patch the size of a character (print would break such a patch up). `card`: the
// straightened card (card_layout.h proportions), BGR.
double GlareShare(const cv::Mat& card, CardSide side);

// How coloured the card's coloured print is, against its own background: on the portrait
// side the blue labels (姓名 性别 ...), on the emblem side the red and gold emblem; the
// distance in CIELAB (a*, b*) between their ink and the card's background around them. A
// colour cast moves both alike; a black-and-white copy leaves about 0 (printed cards: 15+).
// nullopt when the area holds too little ink or background to tell.
std::optional<double> PrintColourfulness(const cv::Mat& card, CardSide side);

// A screen's pixel grid in one patch of the card at full resolution (BGR, square, a power of
// two wide): the isolated peaks of its spectrum, away from the lowest frequencies and from
// the JPEG block lattice. A screen's grid, resolved or folded into moiré, gives a lattice of them
// (6–30 in 256-px patches of the generated captures); print, paper, text and noise give none or
// one.
int ScreenGridPeaks(const cv::Mat& patch);

}  // namespace examphoto

namespace examphoto {

// The card's corners (top-left, top-right, bottom-right, bottom-left) moved onto its edges as
// the photo shows them. `predicted`: where the label fit puts them, which can be millimetres
// off far from the labels (perspective). Each side is searched for within `search_px` of
// where it is predicted: the offset that the most points along it agree on, a straight
// gradient edge. A side with no such edge in the photo (cut off, or no contrast against the
// surface) keeps its prediction. A corner between two found sides is where they meet; one
// between a found side and a side not found is where the found side's edge ends in the photo
// (plus the card's corner radius), unless that edge runs on to the photo's border: the
// prediction can be far off there (blind 0010: 20 mm at the far corners of a steep capture).
// `found_sides` counts the sides found, `placed_corners` the corners placed by the photo.
std::array<cv::Point2f, 4> SnapCornersToEdges(const cv::Mat& bgr,
                                              const std::array<cv::Point2f, 4>& predicted,
                                              double search_px, int* found_sides = nullptr,
                                              int* placed_corners = nullptr);

}  // namespace examphoto
