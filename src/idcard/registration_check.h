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
  double deficit = 0;               // natural log: how much less likely than the free reading
  int unverifiable_characters = 0;  // registered characters the recogniser cannot output
};

struct RegistrationThresholds {
  // Chosen on the tuning set (docs/performance/idcard.md): true entries cost 0-3.2 there,
  // near misses 5.9 and more. A match when the registered text costs at most this much
  // against the free reading (or is exactly the sure reading)...
  double match_deficit = 4.0;
  // ...a mismatch when it costs at least this much and the reading is sure.
  double mismatch_deficit = 5.0;
  double sure_confidence = 0.9;
};

// `field` as made by LayOutCardText from `lines`; `registered` the roster's value.
RegistrationVerdict CheckAgainstRegistration(const std::vector<TextLine>& lines,
                                             const FieldReading& field, std::string_view registered,
                                             const CharacterSet& characters,
                                             const RegistrationThresholds& thresholds = {});

}  // namespace examphoto
