// What the ID card reader returns for one uploaded photo: which side it shows, the printed
// fields as read with a confidence each, whether the card agrees with the registration, the
// problems found (each a catalogue code), the straightened card with where each field sits on
// it and, on the portrait side, the printed face photo. Plain values.
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

// The registered name and number the card is checked against.
struct RegisteredIdentity {
  std::string name;
  std::string id_number;
};

// How a registered value compares with the card ("match", "mismatch", "unsure").
struct RegistrationComparison {
  std::string agreement;
  double deficit = 0;  // natural log, see registration_check.h
  int unverifiable_characters = 0;
  // On a match the field shows the registered value (the line supports it, and it may hold
  // a character the recogniser cannot output); this is what the recogniser read freely.
  std::string free_reading;
};

struct IdCardReading {
  std::optional<CardSide> side;  // nullopt when no card was found
  IdCardFields fields;
  std::map<std::string, double> confidence;  // field name -> 0..1, for the fields read
  // Field name -> whether it is sure enough to show as read (an unsure field also has an
  // issue asking for a retake).
  std::map<std::string, bool> sure;
  // "name" / "id_number" -> comparison with the registration, when one was given.
  std::map<std::string, RegistrationComparison> registration;
  std::vector<IdCardIssue> issues;
  cv::Mat portrait;                          // BGR face photo cut from the portrait side
  std::vector<uint8_t> canonical_card_jpeg;  // the straightened card, upright
  // Field name -> its place on the straightened card, as fractions of its width and height.
  std::map<std::string, cv::Rect2f> field_boxes;
  bool unusable_input = false;  // nothing could be read: not an image, no card, cut, blurred...
  double text_height_px = 0;    // median text line height in the photo (diagnostics)
  // Of the card's coloured print (photo_checks.h), -1 when not measured. Diagnostics.
  double print_colourfulness = -1;
  // How far the card's farthest corner lies outside the photo, as the label fit places it
  // (card millimetres; negative: inside). Diagnostics.
  double corner_outside_mm = 0;
  // Isolated spectral peaks of the card's texture at full resolution (median over patches;
  // photo_checks.h ScreenGridPeaks): a screen's pixel grid shows here. Diagnostics.
  int screen_grid_peaks = 0;
  std::optional<Error> decode_error;  // the decoder's refusal when the bytes are no usable image

  bool HasIssue(std::string_view code) const;
  // Read, and no issue at all.
  bool Valid() const { return !unusable_input && side.has_value() && issues.empty(); }
};

}  // namespace examphoto
