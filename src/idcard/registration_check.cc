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
  const CtcAlignment alignment = AlignLabels(frames, 0, static_cast<int>(frames.size()), labels);
  verdict.unverifiable_characters = alignment.unknown_characters;
  if (!alignment.possible) return verdict;
  verdict.deficit = alignment.Deficit();
  const bool every_character_unknown =
      alignment.unknown_characters == static_cast<int>(labels.size());
  const bool read_as_registered = field.text == expected && field.doubts.empty() &&
                                  field.confidence >= thresholds.sure_confidence;
  if ((verdict.deficit <= thresholds.match_deficit || read_as_registered) &&
      !every_character_unknown) {
    verdict.agreement = Agreement::kMatch;
  } else if (verdict.deficit >= thresholds.mismatch_deficit &&
             field.confidence >= thresholds.sure_confidence && field.doubts.empty()) {
    verdict.agreement = Agreement::kMismatch;
  }
  return verdict;
}

}  // namespace examphoto
