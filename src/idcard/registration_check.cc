#include "idcard/registration_check.h"

#include <cctype>

#include "idcard/ctc_alignment.h"

namespace examphoto {

std::string_view ToString(Agreement agreement) {
  switch (agreement) {
    case Agreement::kMatch:
      return "match";
    case Agreement::kMismatch:
      return "mismatch";
    case Agreement::kUnsure:
      return "unsure";
  }
  return "unsure";
}

RegistrationVerdict CheckAgainstRegistration(const std::vector<TextLine>& lines,
                                             const FieldReading& field, std::string_view registered,
                                             const CharacterSet& characters,
                                             const RegistrationThresholds& thresholds) {
  RegistrationVerdict verdict;
  std::string expected;
  for (char c : registered) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    expected.push_back(c == 'x' ? 'X' : c);
  }
  if (field.sources.empty() || expected.empty()) return verdict;
  // The frames of every piece of the field, in order, as one sequence.
  std::vector<FramePosteriors> frames;
  for (const FieldSource& source : field.sources) {
    const TextLine& line = lines.at(source.line);
    for (int t = source.first_frame;
         t < source.end_frame && t < static_cast<int>(line.frames.size()); ++t) {
      frames.push_back(line.frames[t]);
    }
  }
  const std::vector<int> labels = LabelsOf(expected, characters);
  const int end = static_cast<int>(frames.size());
  const CtcAlignment strict =
      AlignLabels(frames, 0, end, labels, UnknownCharacterScore::kUnclaimed);
  verdict.unverifiable_characters = strict.unknown_characters;
  const CtcAlignment lenient =
      strict.unknown_characters > 0
          ? AlignLabels(frames, 0, end, labels, UnknownCharacterScore::kAnyCharacter)
          : strict;
  if (!strict.possible || !lenient.possible) return verdict;
  verdict.deficit = strict.Deficit();
  verdict.known_characters_deficit = lenient.Deficit();
  if (strict.unknown_characters == static_cast<int>(labels.size())) return verdict;
  const bool sure_reading = field.doubts.empty() && field.confidence >= thresholds.sure_confidence;
  // A sure reading of the expected text, or an alignment close enough where the reading
  // is unsure or the dictionary lacks a character.
  if ((sure_reading && field.text == expected) ||
      (verdict.deficit <= thresholds.match_deficit &&
       (!sure_reading || strict.unknown_characters > 0))) {
    verdict.agreement = Agreement::kMatch;
  } else if (sure_reading && verdict.known_characters_deficit >= thresholds.mismatch_deficit) {
    verdict.agreement = Agreement::kMismatch;
  }
  return verdict;
}

}  // namespace examphoto
