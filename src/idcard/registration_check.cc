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
                            const std::vector<double>& read_frames,
                            const std::vector<std::string>& expected,
                            const std::vector<int>& labels, const CtcAlignment& strict,
                            double sure_confidence) {
  const std::vector<float>& probability = field.character_probabilities;
  if (read.size() != probability.size() || expected.size() != labels.size() || !strict.possible) {
    return Difference::kNone;
  }
  const size_t n = read.size(), m = labels.size();
  std::vector<bool> same(n * m);
  std::vector<double> apart(n * m, 0.0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < m; ++j) {
      same[i * m + j] = read[i] == expected[j];
      if (read_frames.size() == n) apart[i * m + j] = std::abs(read_frames[i] - strict.frames[j]);
    }
  }
  // Edit distance between reading and registered text, then the cheapest script. Among
  // scripts of as few edits, the one pairing characters where the alignment placed them:
  // 马浩 against a registered 马皓蕤 pairs 浩 with 皓 (its place on the line), not with 蕤.
  struct Cost {
    int edits = 0;
    double apart = 0;  // frames between the characters paired
    bool operator==(const Cost&) const = default;
    bool operator<(const Cost& other) const {
      return edits != other.edits ? edits < other.edits : apart < other.apart;
    }
    Cost Plus(int more_edits, double more_apart) const {
      return {edits + more_edits, apart + more_apart};
    }
  };
  const auto paired = [&](const std::vector<std::vector<Cost>>& cost, size_t i, size_t j) {
    const size_t k = (i - 1) * m + j - 1;
    return cost[i - 1][j - 1].Plus(same[k] ? 0 : 1, apart[k]);
  };
  std::vector<std::vector<Cost>> cost(n + 1, std::vector<Cost>(m + 1));
  for (size_t i = 0; i <= n; ++i) cost[i][0] = {static_cast<int>(i), 0};
  for (size_t j = 0; j <= m; ++j) cost[0][j] = {static_cast<int>(j), 0};
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      cost[i][j] =
          std::min({paired(cost, i, j), cost[i - 1][j].Plus(1, 0), cost[i][j - 1].Plus(1, 0)});
    }
  }
  const auto sure = [&](size_t i) {
    return probability[i] >= sure_confidence && !IsRadicalFragment(read[i]);
  };
  Difference difference = Difference::kNone;
  size_t i = n, j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && cost[i][j] == paired(cost, i, j)) {
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
    } else if (i > 0 && cost[i][j] == cost[i - 1][j].Plus(1, 0)) {
      // A confident character the registered text lacks.
      if (sure(i - 1)) return Difference::kKnown;
      --i;
    } else {
      --j;  // a registered character the reading lacks
    }
  }
  return difference;
}

// The middle frame of each character of the field's text, counted along FieldFrames(lines,
// field, remnant); empty when the text is no longer the sources' characters as they were read.
std::vector<double> CharacterFrames(const std::vector<TextLine>& lines, const FieldReading& field,
                                    bool remnant) {
  std::vector<double> middles;
  std::string text;
  int offset = 0;
  for (size_t i = 0; i < field.sources.size(); ++i) {
    const FieldSource& source = field.sources[i];
    const TextLine& line = lines.at(source.line);
    const int first =
        std::max(i == 0 && remnant ? field.remnant_first_frame : source.first_frame, 0);
    for (int c = source.first_char; c < source.end_char; ++c) {
      const RecognizedCharacter& character = line.characters.at(c);
      text += character.text;
      middles.push_back(offset + 0.5 * (character.first_frame + character.last_frame) - first);
    }
    offset += std::max(std::min(source.end_frame, static_cast<int>(line.frames.size())) - first, 0);
  }
  if (text != field.text) middles.clear();
  return middles;
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
  bool remnant = false;
  // A doubtful first character dropped as the label's remnant may be the registered one.
  if (field.remnant_first_frame >= 0) {
    Scored with_remnant = Score(FieldFrames(lines, field, true), labels);
    if (with_remnant.strict.possible &&
        (!scored.strict.possible || with_remnant.strict.Deficit() < scored.strict.Deficit())) {
      scored = std::move(with_remnant);
      remnant = true;
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
  const Difference difference =
      DiffersWhereSure(read, field, CharacterFrames(lines, field, remnant), expected_characters,
                       labels, strict, thresholds.sure_confidence);
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
  } else if (!ContradictsItself(field) &&
             verdict.known_characters_deficit >= thresholds.unsure_mismatch_deficit) {
    // Far from the registered text, but read shorter: the line may be cut off, or the
    // recogniser dropped a character it cannot output; the card's ink tells which.
    verdict.far_but_read_shorter = true;
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
                                 int skipped_characters,
                                 const std::function<std::optional<RowReading>()>& read_again,
                                 double sure_confidence) {
  Agreement agreement = verdict.agreement;
  const auto length = static_cast<int>(SplitUtf8(registered).size());
  const auto read_length = static_cast<int>(SplitUtf8(field.text).size());
  if (agreement == Agreement::kUnsure && verdict.reading_leaves_out_characters &&
      printed_characters == length) {
    return Agreement::kMatch;
  }
  if (agreement == Agreement::kUnsure && verdict.far_but_read_shorter &&
      printed_characters == length) {
    agreement = Agreement::kMismatch;
  }
  const bool ink_prints_more = printed_characters > length;
  // A character between two read ones: its ink is there whatever the recogniser makes of it.
  const bool ink_shows_a_skipped_one = ink_prints_more && skipped_characters > 0;
  if (agreement != Agreement::kMismatch && ink_prints_more) {
    // Shorter than both the reading and the print: a character left out of the roster,
    // whether the line's verdict was unsure or a match (叶涵萍 against a card 叶涵萍玙 read
    // 叶涵萍玲 unsure, where the alignment of 叶涵萍 alone cost little). Shorter than the
    // print only, with no character skipped: unsure.
    if (read_length <= length && !ink_shows_a_skipped_one) return Agreement::kUnsure;
    agreement = Agreement::kMismatch;
  }
  if (agreement != Agreement::kMismatch) return agreement;
  const std::optional<RowReading> again = read_again();
  if (!again || again->text != registered) return agreement;
  if (ink_prints_more) {
    // Read again as the registered name: the recogniser skipped the same character twice, or
    // the ink counts one too many.
    return ink_shows_a_skipped_one ? Agreement::kMismatch : Agreement::kUnsure;
  }
  return again->least_probability >= std::max(sure_confidence, field.confidence)
             ? Agreement::kMatch
             : Agreement::kUnsure;
}

}  // namespace examphoto
