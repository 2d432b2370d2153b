// Rows of the portrait side looked at again where the card's fit places them, for what the
// detector's boxes miss or join: the name row's ink (how many characters it prints; the row
// read on its own to confirm a mismatch; the name's line begun a character late), a last
// address row the detector missed, address rows joined into one box. The reader keeps a new
// reading only when the field it is for grows without losing sureness.
#pragma once

#include <array>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "idcard/card_fields.h"
#include "idcard/registration_check.h"
#include "idcard/text_line.h"
#include "idcard/text_recognizer.h"

namespace examphoto {

// A row of value text on the card, straightened: from `x0_mm` to `x1_mm` along the card,
// 1.5 em high around `middle_mm`.
struct ValueRow {
  std::array<cv::Point2f, 4> quad;  // in the photo, TextLine::quad order
  double x0_mm = 0;
};

// A value row and where its text is: the band from `x0_mm` to `x1_mm` and the same band cut
// a little past its ink's end (the recogniser reads a box that hugs the text; on a wide band
// of background pattern it loses a lone character).
struct InkedRow {
  ValueRow text;        // the band up to 0.6 em past the ink
  double first_mm = 0;  // the ink's start and end along the card
  double end_mm = 0;
  // The ink's width over its height, as the photo shows it: a fit off in scale along the
  // card changes the millimetres above, not this.
  double aspect = 0;
  // Which columns of the band hold ink, from `x0_mm` along the card, `px_per_mm` apart.
  std::vector<bool> inked_columns;
  double x0_mm = 0;
  double px_per_mm = 1;

  // The share of columns holding ink between two places along the card, in millimetres.
  double InkedShare(double from_mm, double to_mm) const;
};

// The name row: its ink from the value column to the photo, where the card's fit places it,
// and how many characters it prints, read or not (翀 of 周翀倩 that the recogniser cannot
// output, 昉 at the end of 蔡玉昉). Two counts, the larger taken:
// - the characters the recogniser placed on the row, plus one for each stretch of more than
//   1.65 em between two of them (周 and 倩 of 周翀倩 are two em apart, neighbours one);
// - the ink's length. Where the card's four edges placed its outline, in ems along the card,
//   less a quarter (blur and hand shake widen the ink: three characters measured 3.5 em on
//   the harsh set). A fit from the labels alone may be 10-20 % off in scale along the card
//   (three characters measured as four); the ink's own width over its height, free of that
//   scale but thrown off by stray ink at its ends, is a second measure, and the smaller of
//   the two is taken.
// Of the stretches between two characters read, those whose middle holds ink are characters
// the recogniser skipped (珮 of 潘珮轩, read 潘轩 at 1.0, and read so again on its own); so is
// ink going on for a character's width past the last one read (昉 of 邓建昉).
struct NameRow {
  InkedRow ink;
  int printed_characters = 0;  // 0: the ink does not tell
  int skipped_characters = 0;  // characters whose ink is there but nothing was read
};

std::optional<NameRow> FindNameRow(const cv::Mat& photo, const CardTextLayout& card,
                                   const std::vector<TextLine>& lines, bool outline_from_edges);

// The name's verdict with what the card's name row adds (registration_check.h): how many
// characters its ink prints, and the row read once more on its own (cut where the card's fit
// places it, to its ink's end) when a mismatch is to be confirmed.
Agreement CheckNameAgain(const cv::Mat& photo, const std::optional<NameRow>& name_row,
                         const FieldReading& field, const std::string& registered,
                         const RegistrationVerdict& verdict, const TextRecognizer& recognizer,
                         double sure_confidence);

// Lines the detector joined across rows. On a card turned sideways the detector sees the
// rows as columns and may take two or three address rows, 1.5 mm apart, as one box; the
// recogniser then reads both rows at once and returns a few characters of either (北京市门头
// 沟区长江路1 over 56号2号楼10门 read 北商湖区长江路1). Such a line is about twice as tall as
// the photo's other lines and read unsurely: it is cut into rows of the usual height, each
// read on its own. Nothing when there is no such line.
std::optional<std::vector<TextLine>> SplitJoinedRows(const cv::Mat& photo,
                                                     const std::vector<TextLine>& lines,
                                                     const TextRecognizer& recognizer);

// A last address row that the detector missed. A row of one or two characters (门 of
// …16号楼12门) is small for it, and the address then reads complete and sure without its end.
// When the rows read so far end with a full one (an address wraps only there) and the next
// row holds no text, that row is read where the fitted card places it; it is kept when it
// holds characters an address is printed with, each read surely.
std::optional<TextLine> ReadMissedAddressRow(const cv::Mat& photo, const CardTextLayout& card,
                                             const std::vector<TextLine>& lines,
                                             const TextRecognizer& recognizer);

// A name whose line was found without its first character (林 of 林超超 on a tilted card
// before a patterned cloth: the detector's box began at 超, and 超超 read surely). The name
// row's ink then begins a character or more before the first character read there. The row
// is read again from its ink, and the line that held only the name is replaced by that
// reading when it ends with the name read before and adds one or two characters, each read
// surely. Nothing otherwise.
std::optional<std::vector<TextLine>> ReadNameRowWhole(const cv::Mat& photo,
                                                      const CardTextLayout& card,
                                                      const std::vector<TextLine>& lines,
                                                      const TextRecognizer& recognizer,
                                                      double sure_confidence);

// The ID number's row read again from its ink where the card's fit places it, when the
// number read is not 18 characters whose check character holds (a card filling the frame,
// turned a quarter: the detector's box held 9830102125 of 420111198301021251 and read it
// 83002125): the lines holding the number are replaced by that reading when it is a whole
// number (17 digits, a check character that holds), each character read at 0.5 or more.
// Nothing otherwise.
std::optional<std::vector<TextLine>> ReadNumberRowWhole(const cv::Mat& photo,
                                                        const CardTextLayout& card,
                                                        const std::vector<TextLine>& lines,
                                                        const TextRecognizer& recognizer);

// Whether the address's rows, where the card's fit places them, leave a row without text
// before a row with text: an address fills its rows in turn, so a row was missed (the
// detector found no box on it) and the address read is not the whole of it (blind9b 0045:
// 宁夏回族自治区银川市 … 号楼12门 without the row between, read surely).
bool AddressMissesARow(const CardTextLayout& card, const std::vector<TextLine>& lines);

}  // namespace examphoto
