// Does this card belong to the registered candidate? Scores the registered name and number
// against the recogniser's output on the card's name and number lines (ctc_alignment.h),
// beside the free reading: "match" when the registered text is about as likely as what the
// recogniser read (so a rare name character the recogniser cannot output still matches when
// the rest agrees), "mismatch" only when the line clearly shows something else (a difference
// the free reading is sure of, or a whole line far from the registered text), "unsure"
// otherwise (the candidate retakes the photo; nobody is sent to the office on a doubtful
// reading). The name row's ink and a second reading of it add to the name's verdict
// (CheckNameAgainstItsRow). Pure functions.
#pragma once

#include <functional>
#include <optional>
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
  // Unsure only because a sure reading is the registered text with characters left out
  // (蒋军 for 蒋军蕤) where the line does not refute them: a match if the card prints as many
  // characters as the registered text has.
  bool reading_leaves_out_characters = false;
  // Unsure only because the reading, far from the registered text, is shorter than it (a
  // line cut off proves nothing): a mismatch if the card prints as many characters as the
  // registered text has (徐明 against a card 徐瑢 read 徐: the recogniser dropped the
  // character it cannot output, and 明 costs 6.9 there).
  bool far_but_read_shorter = false;
};

// Chosen on the tuning sets (docs/performance/idcard.md).
struct RegistrationThresholds {
  // A sure reading equal to the registered text is a match. Otherwise a match needs the
  // registered text to cost at most this much against the free reading, and the free
  // reading to be unsure or to differ only where a registered character is unverifiable:
  // a sure reading of another name (a character added, dropped or changed) is no match
  // however close the costs come.
  double match_deficit = 4.0;
  // ... and each registered character the recogniser knows to have at least this probability
  // at its place on the line. Over the sets up to seeds 10101/10102 (about 1,200 decisions on
  // true entries) every true match made so gave each such character 0.024 or more (梓 of 蔡梓
  // read 蔡拌: 0.029); near misses 0.007 (明 against a printed 翀, read 驷 at 0.3) and 0.013
  // (明 against a printed 燊 that was not read at all: blind11b 0035, a wrong match at 0.01).
  double match_character_support = 0.02;
  // A mismatch: the reading is sure and the registered text's known characters cost at
  // least this much.
  double mismatch_deficit = 2.5;
  // A mismatch on a reading that is not sure: the known characters cost at least this much
  // (一 read at 0.83 where the roster has 壹; 曹珏 read unsure against a registered 曹明, 7.96).
  // True matches read unsure, no shorter than the registered name, cost 3.85 at most on the
  // tuning sets (seeds up to 9192: about 1,060 name decisions on true entries, each printed;
  // 2.33 at most over the 1,215 portrait captures of the older sets made again on
  // 2026-12-05); near misses read so cost 4.2 to 8 (何明 against a card 何赟 read 何赞: 5.29).
  // 5 keeps more than one nat (a factor of 3) above every true match seen.
  double unsure_mismatch_deficit = 5.0;
  double sure_confidence = 0.9;
};

// A roster value as the card prints it: no spaces, the number's x upper-case.
std::string NormalisedRegistered(std::string_view registered);

// The frames of every piece of the field, in order, as one sequence; with `remnant`, the
// first piece starts where it began before doubtful first characters were dropped (as the
// label's remnant: they may be the value's own).
std::vector<FramePosteriors> FieldFrames(const std::vector<TextLine>& lines,
                                         const FieldReading& field, bool remnant);

// `field` as made by LayOutCardText from `lines`; `registered` the roster's value.
RegistrationVerdict CheckAgainstRegistration(const std::vector<TextLine>& lines,
                                             const FieldReading& field, std::string_view registered,
                                             const CharacterSet& characters,
                                             const RegistrationThresholds& thresholds = {});

// The name row read once more on its own: its ideographs and the least sure of them.
struct RowReading {
  std::string text;
  float least_probability = 1;
};

// The name's verdict with what the card's name row adds; `printed_characters` is how many
// characters the row's ink prints (0: the ink does not tell), `skipped_characters` how many
// of them the ink shows between characters read (card_rows.h), `read_again` reads the row on
// its own (called only to confirm a mismatch).
// - A match needs no fewer characters than the row prints (a registered 周倩 is not the
//   card's 周翀倩, even where the recogniser reads nothing for 翀; the ink may miss a thin
//   last 一, so more are left to the alignment).
// - A sure reading that leaves characters of the registered name out where the line does
//   not refute them (蒋军 of 蒋军蕤) is a match when the row prints as many characters as the
//   registered name has.
// - A reading far from the registered name but shorter than it (RegistrationVerdict::
//   far_but_read_shorter) is a mismatch where the row prints as many characters as the
//   registered name has: the line was not cut off.
// - A registered name shorter than both the reading and the row's print is a mismatch (徐超
//   against a card that prints three characters, read 徐哗超 unsure: a character left out of
//   the roster), even where the registered name alone aligns well with the line (叶涵萍
//   against 叶涵萍玙 read 叶涵萍玲). So is one shorter than the print where the ink shows a
//   character between two read ones (潘轩 against 潘珮轩 read 潘轩: 珮 cannot be output).
// - A mismatch stands only when the row, read again, still differs from the registered name:
//   the recogniser can be sure and wrong once (欧 read 欢). Read again as the registered
//   name, more surely than the first time, it is a match (朱嘉建 read 卡嘉建 at 0.97, then
//   朱嘉建 at 0.998); less surely, or where the row prints more characters, unsure. Where
//   the ink shows a skipped character, a second reading that skips it too changes nothing.
Agreement CheckNameAgainstItsRow(const RegistrationVerdict& verdict, const FieldReading& field,
                                 std::string_view registered, int printed_characters,
                                 int skipped_characters,
                                 const std::function<std::optional<RowReading>()>& read_again,
                                 double sure_confidence);

}  // namespace examphoto
