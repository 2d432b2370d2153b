// Does this card belong to the registered candidate? Scores the registered name and number
// against the recogniser's output on the card's name and number lines (ctc_alignment.h),
// beside the free reading: "match" when the registered text is about as likely as what the
// recogniser read (so a rare name character the recogniser cannot output still matches when
// the rest agrees), "mismatch" only when the line clearly shows something else and the free
// reading is sure, "unsure" otherwise (the candidate retakes the photo; nobody is sent to
// the office on a doubtful reading). Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "idcard/card_fields.h"
#include "idcard/character_set.h"
#include "idcard/text_line.h"

namespace examphoto {

enum class Agreement { kMatch, kMismatch, kUnsure };
std::string_view ToString(Agreement agreement);

struct RegistrationVerdict {
  Agreement agreement = Agreement::kUnsure;
  // Natural log: how much less likely the registered text is than the free reading, with
  // each registered character outside the alphabet fitting only where the recogniser is
  // unsure (UnknownCharacterScore::kUnclaimed).
  double deficit = 0;
  // The same with such characters fitting anything: the evidence about the known ones.
  double known_characters_deficit = 0;
  int unverifiable_characters = 0;  // registered characters the recogniser cannot output
};

// Chosen on the tuning sets (docs/performance/idcard.md).
struct RegistrationThresholds {
  // A sure reading equal to the registered text is a match. Otherwise a match needs the
  // registered text to cost at most this much against the free reading, and the free
  // reading to be unsure or to differ only where a registered character is unverifiable:
  // a sure reading of another name (a character added, dropped or changed) is no match
  // however close the costs come.
  double match_deficit = 4.0;
  // A mismatch: the reading is sure and the registered text's known characters cost at
  // least this much.
  double mismatch_deficit = 2.5;
  double sure_confidence = 0.9;
};

// A roster value as the card prints it: no spaces, the number's x upper-case.
std::string NormalisedRegistered(std::string_view registered);

// `field` as made by LayOutCardText from `lines`; `registered` the roster's value.
RegistrationVerdict CheckAgainstRegistration(const std::vector<TextLine>& lines,
                                             const FieldReading& field, std::string_view registered,
                                             const CharacterSet& characters,
                                             const RegistrationThresholds& thresholds = {});

}  // namespace examphoto
