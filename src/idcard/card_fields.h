// Makes the card's fields out of the text lines read on a photo, using the printed label
// words (姓名 性别 民族 出生 住址 公民身份号码 on the portrait side, 签发机关 有效期限 and the
// title on the emblem side) and the card's geometry: lines are placed in the frame of the
// reading direction, rows are grouped along the card's tilt, a value is what follows its label
// on the label's row (the address: the rows down to the number), and the printed photo's area
// is left out. The label positions also fit the card's outline in the photo (card_layout.h),
// for the corner check, the straightened card and the face photo. Pure function.
#pragma once

#include <array>
#include <map>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domain/card_side.h"
#include "idcard/text_line.h"

namespace examphoto {

// Where part of a field was read: characters [first_char, end_char) of line `line`, and the
// recogniser frames [first_frame, end_frame) that hold them.
struct FieldSource {
  int line = 0;
  int first_char = 0;
  int end_char = 0;
  int first_frame = 0;
  int end_frame = 0;
};

struct FieldReading {
  std::string text;  // normalised (dates ISO, number upper-case, no spaces)
  std::vector<FieldSource> sources;
  std::vector<float> character_probabilities;  // of the characters the text came from
  // The lowest character probability, lowered further by the checks (0..1).
  double confidence = 0;
  std::vector<std::string> doubts;  // why the field is not sure (catalogue codes)
  // When doubtful first characters were dropped as remnants of the label (below): the frame
  // where the first source began before, so that a check against an expected value can also
  // try them as the value's own (黄 of 黄雨 read at 0.4). -1: nothing was dropped.
  int remnant_first_frame = -1;
};

struct CardTextLayout {
  std::optional<CardSide> side;  // nullopt: neither side's labels were found
  int portrait_labels = 0;       // label words found of each side
  int emblem_labels = 0;
  std::map<std::string, FieldReading> fields;  // by kIdCardFieldNames
  // Card millimetres (card_layout.h) to photo pixels, when enough labels were found.
  std::optional<cv::Matx33d> card_to_photo;
  int anchors = 0;            // label characters the fit used
  double fit_error_mm = 0;    // their mean distance from where the fit puts them
  double text_height_px = 0;  // median line height in the photo
};

// `lines` upright along `direction` (CardText).
CardTextLayout LayOutCardText(const std::vector<TextLine>& lines, cv::Point2f direction);

// Characters that are radicals or stroke fragments rather than characters: never part of a
// printed name or address, so a reading holding one is not sure.
bool IsRadicalFragment(std::string_view character);

// A CJK ideograph (U+3400–U+9FFF), as one UTF-8 character.
bool IsIdeograph(std::string_view character);

// The photo position of a point given in card millimetres.
cv::Point2f CardToPhoto(const cv::Matx33d& card_to_photo, cv::Point2f card_mm);

// Whether a fit could be a card seen by a camera: all corners in front of it, opposite sides
// in a ratio under 1.8 (a card tilted 35° before a phone's lens shows about 1.4). The labels
// sit in the card's left half; a perspective fit from them, extrapolated to the right edge,
// once made the near side three times the far one (a capture tilted 14.5°), which put a
// corner far outside the photo and called a whole card cut. Such a fit is not used.
bool PlausibleCardPerspective(const cv::Matx33d& card_to_photo);

}  // namespace examphoto
