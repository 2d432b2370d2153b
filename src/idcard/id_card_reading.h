// What the ID card reader returns for one uploaded photo: which side it shows, the printed
// fields as read, a confidence per field, the problems found (each a catalogue code), the
// straightened card and, on the portrait side, the printed face photo. Plain values.
#pragma once

#include <map>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domain/card_side.h"
#include "domain/result.h"

namespace examphoto {

// Printed fields, as read. Dates are ISO "YYYY-MM-DD"; valid_to may be "长期". Fields of the
// side not shown stay empty.
struct IdCardFields {
  std::string name;
  std::string sex;        // "男" or "女"
  std::string ethnicity;  // one of the 56, without 族
  std::string birth_date;
  std::string address;
  std::string id_number;  // 18 characters, upper-case X
  std::string authority;
  std::string valid_from;
  std::string valid_to;
};

// The field names used in JSON, confidences and mismatch lists.
inline constexpr const char* kIdCardFieldNames[] = {"name",       "sex",        "ethnicity",
                                                    "birth_date", "address",    "id_number",
                                                    "authority",  "valid_from", "valid_to"};

const std::string& FieldValue(const IdCardFields& fields, std::string_view name);

struct IdCardIssue {
  std::string code;  // stable, e.g. "idcard.blurred"; text from config/messages/idcard.json
  std::string message;
  std::string hint;
  std::string field;  // the field concerned, if any
};

// One character where Tesseract and the glyph classifier were both consulted (low
// confidence, or the two disagree): for the benchmark's diagnostics and for tuning.
struct CharacterCheck {
  std::string field;
  int position = 0;
  std::string tesseract;  // Tesseract's character ("" if it gave none)
  double tesseract_confidence = 0;
  std::string classifier;  // the classifier's best
  double classifier_score = 0;
  double tesseract_score = 0;   // the classifier's similarity to Tesseract's character
  double runner_up_score = 0;   // its second best
  bool tesseract_knows = true;  // the classifier's best is in Tesseract's character set
  bool replaced = false;        // the classifier's character was taken
};

struct IdCardReading {
  std::optional<CardSide> side;  // nullopt when no card was found
  IdCardFields fields;
  std::map<std::string, double> confidence;  // field name -> 0..1, for the fields read
  std::vector<IdCardIssue> issues;
  cv::Mat portrait;                          // BGR face photo cut from the portrait side
  std::vector<uint8_t> canonical_card_jpeg;  // the straightened card, upright
  std::vector<CharacterCheck> character_checks;
  bool unusable_input = false;  // nothing could be read: not an image, no card, cut, blurred...
  std::optional<Error> decode_error;  // the decoder's refusal when the bytes are no usable image

  bool HasIssue(std::string_view code) const;
  // Read, and no issue at all.
  bool Valid() const { return !unusable_input && side.has_value() && issues.empty(); }
};

}  // namespace examphoto
