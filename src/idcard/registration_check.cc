#include "idcard/registration_check.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "domain/utf8.h"
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

namespace {

constexpr double kNegligible = 0.05;  // a registered character this unlikely is not on the line

// The frames of every piece of the field, in order, as one sequence; with `remnant`, the
// first piece starts where it began before doubtful first characters were dropped.
std::vector<FramePosteriors> FieldFrames(const std::vector<TextLine>& lines,
                                         const FieldReading& field, bool remnant) {
  std::vector<FramePosteriors> frames;
  for (size_t i = 0; i < field.sources.size(); ++i) {
    const FieldSource& source = field.sources[i];
    const TextLine& line = lines.at(source.line);
    const int first = i == 0 && remnant ? field.remnant_first_frame : source.first_frame;
    for (int t = std::max(first, 0);
         t < source.end_frame && t < static_cast<int>(line.frames.size()); ++t) {
      frames.push_back(line.frames[t]);
    }
  }
  return frames;
}

struct Scored {
  CtcAlignment strict;   // unknown registered characters fit only where the line is unclear
  CtcAlignment lenient;  // they fit anything
};

Scored Score(const std::vector<FramePosteriors>& frames, const std::vector<int>& labels) {
  const int end = static_cast<int>(frames.size());
  Scored scored{AlignLabels(frames, 0, end, labels, UnknownCharacterScore::kUnclaimed), {}};
  scored.lenient = scored.strict.unknown_characters > 0
                       ? AlignLabels(frames, 0, end, labels, UnknownCharacterScore::kAnyCharacter)
                       : scored.strict;
  return scored;
}

// Whether the free reading differs from the registered text somewhere it is sure of: a
// character read with confidence where the registered character (one the recogniser knows)
// finds no support on the line, or a confident character the registered text lacks. A
// registered character missing from the reading is no such difference: the recogniser drops
// characters at the ends of a line (蒋军蕤 read 蒋军), and a dictionary-less one (珮 read 佩)
// can neither confirm nor refute.
bool DiffersWhereSure(const FieldReading& field, const std::vector<std::string>& expected,
                      const std::vector<int>& labels, const CtcAlignment& strict,
                      double sure_confidence) {
  const std::vector<std::string> read = SplitUtf8(field.text);
  const std::vector<float>& probability = field.character_probabilities;
  if (read.size() != probability.size() || expected.size() != labels.size() || !strict.possible) {
    return false;
  }
  const size_t n = read.size(), m = labels.size();
  std::vector<bool> same(n * m);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < m; ++j) same[i * m + j] = read[i] == expected[j];
  }
  // Edit distance between reading and registered text, then the cheapest script.
  std::vector<std::vector<int>> cost(n + 1, std::vector<int>(m + 1));
  for (size_t i = 0; i <= n; ++i) cost[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) cost[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      cost[i][j] = std::min({cost[i - 1][j - 1] + (same[(i - 1) * m + j - 1] ? 0 : 1),
                             cost[i - 1][j] + 1, cost[i][j - 1] + 1});
    }
  }
  const auto sure = [&](size_t i) {
    return probability[i] >= sure_confidence && !IsRadicalFragment(read[i]);
  };
  size_t i = n, j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && cost[i][j] == cost[i - 1][j - 1] + (same[(i - 1) * m + j - 1] ? 0 : 1)) {
      // A substitution counts when the registered character is known and unlikely here.
      if (!same[(i - 1) * m + j - 1] && sure(i - 1) && labels[j - 1] != kAnyCharacter &&
          std::exp(strict.character_log_probability[j - 1]) < kNegligible) {
        return true;
      }
      --i;
      --j;
    } else if (i > 0 && cost[i][j] == cost[i - 1][j] + 1) {
      if (sure(i - 1)) return true;  // a confident character the registered text lacks
      --i;
    } else {
      --j;  // a registered character the reading lacks
    }
  }
  return false;
}

// A reading that a cross-check refutes (the number's check character, its birth date against
// the printed one, ...) is wrong somewhere: its differences prove nothing.
bool ContradictsItself(const FieldReading& field) {
  return std::any_of(field.doubts.begin(), field.doubts.end(), [](const std::string& doubt) {
    return doubt == "format" || doubt.starts_with("idcard.");
  });
}

}  // namespace

std::string NormalisedRegistered(std::string_view registered) {
  std::string value;
  for (char c : registered) {
    if (std::isspace(static_cast<unsigned char>(c)) == 0) value.push_back(c == 'x' ? 'X' : c);
  }
  return value;
}

RegistrationVerdict CheckAgainstRegistration(const std::vector<TextLine>& lines,
                                             const FieldReading& field, std::string_view registered,
                                             const CharacterSet& characters,
                                             const RegistrationThresholds& thresholds) {
  RegistrationVerdict verdict;
  const std::string expected = NormalisedRegistered(registered);
  if (field.sources.empty() || expected.empty()) return verdict;
  const std::vector<int> labels = LabelsOf(expected, characters);
  std::vector<std::string> expected_characters = SplitUtf8(expected);
  std::erase_if(expected_characters,
                [](const std::string& c) { return c == " " || c == "\xE3\x80\x80"; });
  Scored scored = Score(FieldFrames(lines, field, false), labels);
  // A doubtful first character dropped as the label's remnant may be the registered one.
  if (field.remnant_first_frame >= 0) {
    Scored with_remnant = Score(FieldFrames(lines, field, true), labels);
    if (with_remnant.strict.possible &&
        (!scored.strict.possible || with_remnant.strict.Deficit() < scored.strict.Deficit())) {
      scored = std::move(with_remnant);
    }
  }
  const CtcAlignment& strict = scored.strict;
  verdict.unverifiable_characters = strict.unknown_characters;
  if (!strict.possible || !scored.lenient.possible) return verdict;
  verdict.deficit = strict.Deficit();
  verdict.known_characters_deficit = scored.lenient.Deficit();
  if (strict.unknown_characters == static_cast<int>(labels.size())) return verdict;
  const bool sure_reading = field.doubts.empty() && field.confidence >= thresholds.sure_confidence;
  // Where the reading is sure of a difference (a confident 鹏 the registered 肖凯 lacks), the
  // registered text is no match however little the rest of the line costs.
  const bool differs_where_sure =
      DiffersWhereSure(field, expected_characters, labels, strict, thresholds.sure_confidence);
  // A sure reading of the expected text, or an alignment close enough where the reading
  // is unsure or the dictionary lacks a character.
  if ((sure_reading && field.text == expected) ||
      (verdict.deficit <= thresholds.match_deficit && !differs_where_sure &&
       (!sure_reading || strict.unknown_characters > 0))) {
    verdict.agreement = Agreement::kMatch;
  } else if (verdict.known_characters_deficit >= thresholds.mismatch_deficit &&
             !ContradictsItself(field) && differs_where_sure) {
    // Another name or number where the line is clear, whatever is unclear elsewhere on it.
    verdict.agreement = Agreement::kMismatch;
  }
  return verdict;
}

}  // namespace examphoto
