// Checks on the photo itself rather than on what it says: is anything in it sharp, is the
// card's text washed out by glare, does the card show its printed colours (a black-and-white
// photocopy does not). Model-free pure functions over images; thresholds live with the reader.
#pragma once

#include <opencv2/core.hpp>

#include "domain/card_side.h"

namespace examphoto {

// Steepest edges (99.8th percentile of the gradient on a 1,024-px grey copy) relative to the
// photo's contrast: about 1 / (blur sigma × 2.5) for a blurred step edge, so print that can
// be read scores 0.3 and more, a photo blurred past reading under 0.1.
double PhotoSharpness(const cv::Mat& bgr);

// Share of the card's text area washed out to white: saturated pixels that stay saturated
// over a patch the size of a character (print would break such a patch up). `card`: the
// straightened card (card_layout.h proportions), BGR.
double GlareShare(const cv::Mat& card, CardSide side);

// How coloured the card's coloured print is, against its own background: on the portrait
// side the blue labels (姓名 性别 ...), on the emblem side the red and gold emblem; the
// distance in CIELAB (a*, b*) between their ink and the card's background around them. A
// colour cast moves both alike; a black-and-white copy leaves about 0 (printed cards: 15+).
double PrintColourfulness(const cv::Mat& card, CardSide side);

}  // namespace examphoto
