// Reads the printed fields of an upright, straightened card: each field is cut from its
// place in the layout, cleaned (labels are blue, values black; light is evened out) and
// given to Tesseract with settings for that field (digits and X for the number, one line,
// the 56 ethnic groups as a closed list, date patterns). Thread-safe: engines are leased.
#pragma once

#include <map>
#include <opencv2/core.hpp>
#include <string>

#include "idcard/id_card_reading.h"
#include "idcard/tesseract_pool.h"

namespace examphoto {

struct FieldReadout {
  IdCardFields fields;
  std::map<std::string, double> confidence;
};

// `card` is upright and canonical (card_layout proportions, ideally 12 px/mm or more).
FieldReadout ReadPortraitFields(const cv::Mat& card, TesseractPool& pool);
FieldReadout ReadEmblemFields(const cv::Mat& card, TesseractPool& pool);

// The printed face photo, cut from an upright portrait side.
cv::Mat CutPortraitPhoto(const cv::Mat& card);

// Character-level edit distance (UTF-8 code points), used to snap readings to known lists.
int CharacterEditDistance(std::string_view a, std::string_view b);

}  // namespace examphoto
