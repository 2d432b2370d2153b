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

constexpr double kClaimed = 0.99;  // a known character read this surely is no unknown one

enum class Difference {
  kNone,
  kKnown,  // a sure character where a known registered one finds no support, or an extra one
  // Only where the registered character is one the recogniser cannot output, and the line
  // shows a known character there beyond doubt (佩 read at 0.998 for a registered 珮).
  kUnknownClaimed,
};

// Where the free reading differs from the registered text somewhere it is sure of: a
// character read with confidence where the registered character (one the recogniser knows)
// finds no support on the line, or a confident character the registered text lacks. A
// registered character missing from the reading is no such difference: the recogniser drops
// characters at the ends of a line (蒋军蕤 read 蒋军). Nor is a character read in place of a
// dictionary-less registered one, unless it is read beyond doubt: a card that prints 珮 reads
// as 佩 or 琊 at 0.2 to 0.84 on the tuning sets, a card that prints 佩 at 0.995 or more.
Difference DiffersWhereSure(const std::vector<std::string>& read, const FieldReading& field,
                            const std::vector<std::string>& expected,
                            const std::vector<int>& labels, const CtcAlignment& strict,
                            double sure_confidence) {
  const std::vector<float>& probability = field.character_probabilities;
  if (read.size() != probability.size() || expected.size() != labels.size() || !strict.possible) {
    return Difference::kNone;
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
  Difference difference = Difference::kNone;
  size_t i = n, j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && cost[i][j] == cost[i - 1][j - 1] + (same[(i - 1) * m + j - 1] ? 0 : 1)) {
      if (!same[(i - 1) * m + j - 1] && sure(i - 1)) {
        // A substitution counts when the registered character is known and unlikely here,
        // or unknown and the line shows a known one beyond doubt.
        if (labels[j - 1] != kAnyCharacter) {
          if (std::exp(strict.character_log_probability[j - 1]) < kNegligible) {
            return Difference::kKnown;
          }
        } else if (probability[i - 1] >= kClaimed && !IsRadicalFragment(read[i - 1])) {
          difference = Difference::kUnknownClaimed;
        }
      }
      --i;
      --j;
    } else if (i > 0 && cost[i][j] == cost[i - 1][j] + 1) {
      // A confident character the registered text lacks.
      if (sure(i - 1)) return Difference::kKnown;
      --i;
    } else {
      --j;  // a registered character the reading lacks
    }
  }
  return difference;
}

// Whether `read` is `expected` with characters left out (蒋军 of 蒋军蕤).
bool LeavesOutCharacters(const std::vector<std::string>& read,
                         const std::vector<std::string>& expected) {
  if (read.empty() || read.size() >= expected.size()) return false;
  size_t j = 0;
  for (const std::string& c : read) {
    while (j < expected.size() && expected[j] != c) ++j;
    if (j == expected.size()) return false;
    ++j;
  }
  return true;
}

// A reading that a cross-check refutes (the number's check character, its birth date against
// the printed one, ...) is wrong somewhere: its differences prove nothing.
bool ContradictsItself(const FieldReading& field) {
  return std::any_of(field.doubts.begin(), field.doubts.end(), [](const std::string& doubt) {
    return doubt == "format" || doubt.starts_with("idcard.");
  });
}

}  // namespace

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
  const std::vector<std::string> read = SplitUtf8(field.text);
  const Difference difference = DiffersWhereSure(read, field, expected_characters, labels, strict,
                                                 thresholds.sure_confidence);
  // A sure reading of the expected text, or an alignment close enough where the reading
  // is unsure or the dictionary lacks a character, each known registered character finding
  // some support where it is placed (明 at 0.007 where a card printing 欧阳翀 was read
  // 欧阳驷 at 0.3 cost only 3.9 in all).
  bool every_known_character_supported = true;
  for (size_t k = 0; k < labels.size(); ++k) {
    every_known_character_supported &=
        labels[k] == kAnyCharacter ||
        std::exp(strict.character_log_probability[k]) >= thresholds.match_character_support;
  }
  if ((sure_reading && field.text == expected) ||
      (verdict.deficit <= thresholds.match_deficit && difference == Difference::kNone &&
       every_known_character_supported && (!sure_reading || strict.unknown_characters > 0))) {
    verdict.agreement = Agreement::kMatch;
  } else if (!ContradictsItself(field) &&
             ((difference == Difference::kKnown &&
               verdict.known_characters_deficit >= thresholds.mismatch_deficit) ||
              (difference == Difference::kUnknownClaimed &&
               verdict.deficit >= thresholds.mismatch_deficit) ||
              (verdict.known_characters_deficit >= thresholds.unsure_mismatch_deficit &&
               read.size() >= expected_characters.size()))) {
    // Another name or number where the line is clear, whatever is unclear elsewhere on it;
    // or where the whole line, read no shorter than the registered text (not cut off), is
    // far from it.
    verdict.agreement = Agreement::kMismatch;
  } else if (sure_reading && difference == Difference::kNone &&
             verdict.deficit <= thresholds.match_deficit &&
             LeavesOutCharacters(read, expected_characters)) {
    // Sure of part of the registered text and not against the rest: whether the card prints
    // the rest is for its ink to say (id_card_reader.cc).
    verdict.reading_leaves_out_characters = true;
  }
  return verdict;
}

Agreement CheckNameAgainstItsRow(const RegistrationVerdict& verdict, const FieldReading& field,
                                 std::string_view registered, int printed_characters,
                                 const std::function<std::optional<RowReading>()>& read_again,
                                 double sure_confidence) {
  Agreement agreement = verdict.agreement;
  const auto length = static_cast<int>(SplitUtf8(registered).size());
  const auto read_length = static_cast<int>(SplitUtf8(field.text).size());
  if (agreement == Agreement::kMatch && printed_characters > length) return Agreement::kUnsure;
  if (agreement == Agreement::kUnsure && verdict.reading_leaves_out_characters &&
      printed_characters == length) {
    return Agreement::kMatch;
  }
  if (agreement == Agreement::kUnsure && printed_characters > length && read_length > length) {
    agreement = Agreement::kMismatch;
  }
  if (agreement != Agreement::kMismatch) return agreement;
  const std::optional<RowReading> again = read_again();
  if (!again || again->text != registered) return agreement;
  return again->least_probability >= std::max(sure_confidence, field.confidence)
             ? Agreement::kMatch
             : Agreement::kUnsure;
}

}  // namespace examphoto
