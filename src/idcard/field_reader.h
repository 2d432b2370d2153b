// Reads the printed fields of an upright, straightened card: each field is cut from its
// place in the layout, cleaned (labels are blue, values black; light is evened out) and
// given to Tesseract with settings for that field (digits and X for the number, one line,
// the 56 ethnic groups as a closed list, date patterns). Characters Tesseract is unsure of
// get a second opinion from the glyph classifier. Thread-safe: engines are leased.
#pragma once

#include <map>
#include <opencv2/core.hpp>
#include <string>

#include "idcard/glyph_classifier.h"
#include "idcard/id_card_reading.h"
#include "idcard/tesseract_pool.h"

namespace examphoto {

struct FieldReadout {
  IdCardFields fields;
  std::map<std::string, double> confidence;
  std::vector<CharacterCheck> character_checks;
};

// `card` is upright and canonical (card_layout proportions, ideally 12 px/mm or more).
// `glyphs` (may be null) re-reads the characters Tesseract is unsure of and the 民族 field.
FieldReadout ReadPortraitFields(const cv::Mat& card, TesseractPool& pool,
                                const GlyphClassifier* glyphs);
FieldReadout ReadEmblemFields(const cv::Mat& card, TesseractPool& pool,
                              const GlyphClassifier* glyphs);

// The printed face photo, cut from an upright portrait side.
cv::Mat CutPortraitPhoto(const cv::Mat& card);

// Character-level edit distance (UTF-8 code points), used to snap readings to known lists.
int CharacterEditDistance(std::string_view a, std::string_view b);

}  // namespace examphoto
