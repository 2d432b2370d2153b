// Tells the two sides of a resident ID card apart on a straightened card image, and whether
// it is upside down: the emblem side has the red national emblem in its top-left corner, the
// portrait side a printed face photo on the right. Pure function.
#pragma once

#include <opencv2/core.hpp>
#include <optional>

#include "idcard/id_card_reading.h"

namespace examphoto {

struct SideGuess {
  std::optional<CardSide> side;  // nullopt: neither side's marks found (not a card)
  bool upside_down = false;      // rotate the canonical image by 180° to make it upright
  double emblem_score = 0;       // share of red in the emblem's place
  double photo_score = 0;        // share of non-card colours in the photo's place
};

// `card` is a canonical landscape card image (card_layout proportions), any resolution.
SideGuess ClassifySide(const cv::Mat& card);

}  // namespace examphoto
