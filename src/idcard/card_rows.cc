#include "idcard/card_rows.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "domain/id_number.h"
#include "domain/utf8.h"
#include "idcard/card_layout.h"

namespace examphoto {
namespace {

namespace layout = card_layout;

std::optional<ValueRow> ValueRowBand(const cv::Mat& photo, const cv::Matx33d& card_to_photo,
                                     double middle_mm, double x0_mm, double x1_mm) {
  const double em = layout::kValueSizeMm;
  const auto left = static_cast<float>(x0_mm), right = static_cast<float>(x1_mm);
  const auto top = static_cast<float>(middle_mm - 0.75 * em);
  const auto bottom = static_cast<float>(middle_mm + 0.75 * em);
  ValueRow row{
      {CardToPhoto(card_to_photo, {left, top}), CardToPhoto(card_to_photo, {right, top}),
       CardToPhoto(card_to_photo, {right, bottom}), CardToPhoto(card_to_photo, {left, bottom})},
      x0_mm};
  const cv::Rect2f inside(0, 0, static_cast<float>(photo.cols), static_cast<float>(photo.rows));
  if (!std::all_of(row.quad.begin(), row.quad.end(),
                   [&](cv::Point2f p) { return inside.contains(p); })) {
    return std::nullopt;
  }
  // A fit that folds the row (a wild homography) gives no band to read.
  const std::vector<cv::Point2f> outline(row.quad.begin(), row.quad.end());
  if (!cv::isContourConvex(outline) || cv::contourArea(outline) < 16) return std::nullopt;
  return row;
}

// The ink is the first run of text, which ends at a gap wider than an em (the next thing on
// the row is no part of it). Value text is black, far darker than the card's pattern: a
// column holds ink when three of its pixels are darker than 0.55 of the band's median.
std::optional<InkedRow> FindInkedRow(const cv::Mat& photo, const cv::Matx33d& card_to_photo,
                                     double middle_mm, double x0_mm, double x1_mm) {
  const auto band = ValueRowBand(photo, card_to_photo, middle_mm, x0_mm, x1_mm);
  if (!band) return std::nullopt;
  constexpr int kBandPx = 48;
  cv::Mat grey;
  cv::cvtColor(CropLine(photo, band->quad, kBandPx), grey, cv::COLOR_BGR2GRAY);
  std::vector<uint8_t> values(grey.begin<uint8_t>(), grey.end<uint8_t>());
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  const double dark = 0.55 * values[values.size() / 2];
  const double px_per_mm = kBandPx / (1.5 * layout::kValueSizeMm);
  const double gap = px_per_mm * layout::kValueSizeMm;
  std::vector<bool> inked_columns(grey.cols);
  for (int x = 0; x < grey.cols; ++x) inked_columns[x] = cv::countNonZero(grey.col(x) < dark) >= 3;
  int first = -1, last = -1;
  for (int x = 0; x < grey.cols; ++x) {
    if (!inked_columns[x]) continue;
    if (first >= 0 && x - last > gap) break;
    if (first < 0) first = x;
    last = x;
  }
  if (first < 0) return std::nullopt;
  const double first_mm = x0_mm + first / px_per_mm, end_mm = x0_mm + (last + 1) / px_per_mm;
  const cv::Mat ink = grey.colRange(first, last + 1) < dark;
  int top = -1, bottom = -1;
  for (int y = 0; y < ink.rows; ++y) {
    if (cv::countNonZero(ink.row(y)) < 3) continue;
    if (top < 0) top = y;
    bottom = y;
  }
  const auto text = ValueRowBand(photo, card_to_photo, middle_mm, x0_mm,
                                 std::min(x1_mm, end_mm + 0.6 * layout::kValueSizeMm));
  if (!text || top < 0) return std::nullopt;
  return InkedRow{.text = *text,
                  .first_mm = first_mm,
                  .end_mm = end_mm,
                  .aspect = (last + 1.0 - first) / (bottom + 1.0 - top),
                  .inked_columns = std::move(inked_columns),
                  .x0_mm = x0_mm,
                  .px_per_mm = px_per_mm};
}

// Two characters read on the name row this far apart (in ems) have one between them.
constexpr double kTwoCharactersApartEm = 1.65;

// A stretch of the name row holds a character when this share of its columns hold ink (a
// character fills most of its middle em, a space none); the stretch starts and ends this far
// (in ems) from the middles of the characters read beside it, past their own ink.
constexpr double kCharacterInkShare = 0.3;
constexpr double kPastCharacterEm = 0.55;

// Ink this far past the middle of the last character read on the name row (in ems) is one
// more character: the last one's own ink ends half an em past it, the next one's an em later.
constexpr double kOneMoreCharacterEm = 1.3;

// The number row's digits, in card millimetres down the card: about 0.35 of its size above
// the baseline.
constexpr double kNumberRowMiddleMm = layout::kNumberLabelBaselineMm - 0.35 * layout::kNumberSizeMm;

// The name row's text, in card millimetres down the card.
constexpr double kNameRowMiddleMm = layout::kNameBaselineMm - 0.38 * layout::kValueSizeMm;

// Where the text of address row `row` (0 = the label's) is, down the card, in millimetres:
// about 0.38 em above the row's baseline (card_layout.h).
double AddressRowMiddleMm(int row) {
  return layout::kAddressBaselineMm + row * layout::kAddressLineStepMm -
         0.38 * layout::kValueSizeMm;
}

// How far along each address row its text reaches, in card millimetres (-1: no text on the
// row), from every character read in the address's column. `card` has a fit.
std::array<double, layout::kAddressMaxLines> AddressRowReach(const CardTextLayout& card,
                                                             const std::vector<TextLine>& lines) {
  const cv::Matx33d to_card = card.card_to_photo->inv();
  const double em = layout::kValueSizeMm;
  const double column_end = layout::kValueXMm + layout::kAddressMaxWidthMm;
  std::array<double, layout::kAddressMaxLines> reach{};
  reach.fill(-1);
  for (const TextLine& line : lines) {
    for (const RecognizedCharacter& character : line.characters) {
      const cv::Point2f mm = CardToPhoto(to_card, line.CharacterCenter(character));
      if (mm.x < layout::kValueXMm - em || mm.x > column_end + em) continue;
      const int row = static_cast<int>(
          std::lround((mm.y - AddressRowMiddleMm(0)) / layout::kAddressLineStepMm));
      if (row < 0 || row >= layout::kAddressMaxLines) continue;
      if (std::abs(mm.y - AddressRowMiddleMm(row)) > 0.35 * layout::kAddressLineStepMm) continue;
      reach[row] = std::max(reach[row], mm.x + 0.5 * em);
    }
  }
  return reach;
}

}  // namespace

double InkedRow::InkedShare(double from_mm, double to_mm) const {
  const int first = std::max(static_cast<int>(std::lround((from_mm - x0_mm) * px_per_mm)), 0);
  const int end = std::min(static_cast<int>(std::lround((to_mm - x0_mm) * px_per_mm)),
                           static_cast<int>(inked_columns.size()));
  if (end <= first) return 0;
  return static_cast<double>(
             std::count(inked_columns.begin() + first, inked_columns.begin() + end, true)) /
         (end - first);
}

std::optional<NameRow> FindNameRow(const cv::Mat& photo, const CardTextLayout& card,
                                   const std::vector<TextLine>& lines, bool outline_from_edges) {
  if (card.side != CardSide::kPortrait || !card.card_to_photo) return std::nullopt;
  const double em = layout::kValueSizeMm;
  auto ink = FindInkedRow(photo, *card.card_to_photo, kNameRowMiddleMm,
                          layout::kValueXMm - 0.4 * em, layout::kPhoto.x - 1);
  if (!ink) return std::nullopt;
  NameRow row{*ink};
  const cv::Matx33d to_card = card.card_to_photo->inv();
  std::vector<double> centres;
  for (const TextLine& line : lines) {
    for (const RecognizedCharacter& character : line.characters) {
      if (!IsIdeograph(character.text) && character.text != "·") continue;
      const cv::Point2f mm = CardToPhoto(to_card, line.CharacterCenter(character));
      if (std::abs(mm.y - kNameRowMiddleMm) <= 0.5 * em && mm.x >= row.ink.first_mm &&
          mm.x <= row.ink.end_mm) {
        centres.push_back(mm.x);
      }
    }
  }
  // A character read on two lines (the name's own and one that took in the label) once.
  std::sort(centres.begin(), centres.end());
  centres.erase(std::unique(centres.begin(), centres.end(),
                            [&](double a, double b) { return b - a < 0.5 * em; }),
                centres.end());
  // Nothing read on the row (the fit may have put it elsewhere), or a name filling it (a
  // long name of a minority that may go on in the next): the ink does not tell.
  if (centres.empty() || row.ink.first_mm > layout::kValueXMm + 0.6 * em ||
      row.ink.end_mm > layout::kPhoto.x - 1 - 0.5 * em) {
    return row;
  }
  int unread = 0;
  for (size_t i = 1; i < centres.size(); ++i) {
    if (centres[i] - centres[i - 1] <= kTwoCharactersApartEm * em) continue;
    ++unread;
    row.skipped_characters +=
        row.ink.InkedShare(centres[i - 1] + kPastCharacterEm * em,
                           centres[i] - kPastCharacterEm * em) >= kCharacterInkShare;
  }
  // So is ink going on for a character's width past the last character read (昉 of 邓建昉,
  // read 邓建).
  if (row.ink.end_mm - centres.back() >= kOneMoreCharacterEm * em &&
      row.ink.InkedShare(centres.back() + kPastCharacterEm * em, row.ink.end_mm) >=
          kCharacterInkShare) {
    ++row.skipped_characters;
  }
  const auto along_card =
      static_cast<int>(std::lround((row.ink.end_mm - row.ink.first_mm) / em - 0.25));
  const int inked = outline_from_edges
                        ? along_card
                        : std::min(along_card, static_cast<int>(std::lround(row.ink.aspect)));
  row.printed_characters = std::max(static_cast<int>(centres.size()) + unread, inked);
  return row;
}

Agreement CheckNameAgain(const cv::Mat& photo, const std::optional<NameRow>& name_row,
                         const FieldReading& field, const std::string& registered,
                         const RegistrationVerdict& verdict, const TextRecognizer& recognizer,
                         double sure_confidence) {
  if (!name_row) return verdict.agreement;
  const auto read_again = [&]() -> std::optional<RowReading> {
    auto read = recognizer.Recognize(photo, name_row->ink.text.quad);
    if (!read.ok()) return std::nullopt;
    RowReading again;
    for (const RecognizedCharacter& character : read->characters) {
      if (IsIdeograph(character.text) || character.text == "·") {
        again.text += character.text;
        again.least_probability = std::min(again.least_probability, character.probability);
      }
    }
    return again;
  };
  return CheckNameAgainstItsRow(verdict, field, registered, name_row->printed_characters,
                                name_row->skipped_characters, read_again, sure_confidence);
}

std::optional<std::vector<TextLine>> SplitJoinedRows(const cv::Mat& photo,
                                                     const std::vector<TextLine>& lines,
                                                     const TextRecognizer& recognizer) {
  if (lines.size() < 3) return std::nullopt;
  std::vector<double> heights(lines.size());
  std::transform(lines.begin(), lines.end(), heights.begin(),
                 [](const TextLine& line) { return line.Height(); });
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  const double median = heights[heights.size() / 2];
  std::vector<TextLine> split;
  bool any = false;
  for (const TextLine& line : lines) {
    if (line.Height() < 1.7 * median || line.score >= 0.9 || line.Length() < 2 * median) {
      split.push_back(line);
      continue;
    }
    // As many rows as the line is tall in lines of the usual height.
    const int rows = std::max(2, static_cast<int>(std::lround(line.Height() / median)));
    const std::array<cv::Point2f, 4>& q = line.quad;
    const auto at = [&](int corner_top, int corner_bottom, int row) {
      return q[corner_top] + (q[corner_bottom] - q[corner_top]) * (static_cast<float>(row) / rows);
    };
    bool read_all = true;
    std::vector<TextLine> pieces;
    for (int row = 0; row < rows && read_all; ++row) {
      auto read = recognizer.Recognize(
          photo, {at(0, 3, row), at(1, 2, row), at(1, 2, row + 1), at(0, 3, row + 1)});
      read_all = read.ok();
      if (read_all && !read->characters.empty()) pieces.push_back(std::move(read.value()));
    }
    if (!read_all || pieces.empty()) {
      split.push_back(line);
      continue;
    }
    any = true;
    for (TextLine& piece : pieces) split.push_back(std::move(piece));
  }
  if (!any) return std::nullopt;
  return split;
}

std::optional<TextLine> ReadMissedAddressRow(const cv::Mat& photo, const CardTextLayout& card,
                                             const std::vector<TextLine>& lines,
                                             const TextRecognizer& recognizer) {
  if (card.side != CardSide::kPortrait || !card.card_to_photo) return std::nullopt;
  const auto address = card.fields.find("address");
  if (address == card.fields.end() || address->second.text.empty()) return std::nullopt;
  const double em = layout::kValueSizeMm;
  const double column_end = layout::kValueXMm + layout::kAddressMaxWidthMm;
  const auto reach = AddressRowReach(card, lines);
  int next = 0;
  while (next < layout::kAddressMaxLines && reach[next] >= 0) ++next;
  if (next == 0 || next == layout::kAddressMaxLines) return std::nullopt;
  if (reach[next - 1] < column_end - 1.6 * em) return std::nullopt;
  for (int row = next + 1; row < layout::kAddressMaxLines; ++row) {
    if (reach[row] >= 0) return std::nullopt;
  }
  const auto row = FindInkedRow(photo, *card.card_to_photo, AddressRowMiddleMm(next),
                                layout::kValueXMm - 0.4 * em, column_end + 0.4 * em);
  // A row starts at the value column: ink only further on is no address text.
  if (!row || row->first_mm > layout::kValueXMm + 1.1 * em) return std::nullopt;
  auto read = recognizer.Recognize(photo, row->text.quad);
  if (!read.ok() || read->characters.empty()) return std::nullopt;
  for (const RecognizedCharacter& character : read->characters) {
    if (character.text == " ") continue;  // the recogniser's space class, after the text
    const bool printed =
        IsIdeograph(character.text) ||
        (character.text.size() == 1 && std::isdigit(static_cast<unsigned char>(character.text[0])));
    if (!printed || character.probability < 0.5f || IsRadicalFragment(character.text)) {
      return std::nullopt;
    }
  }
  return std::move(read).value();
}

std::optional<std::vector<TextLine>> ReadNameRowWhole(const cv::Mat& photo,
                                                      const CardTextLayout& card,
                                                      const std::vector<TextLine>& lines,
                                                      const TextRecognizer& recognizer,
                                                      double sure_confidence) {
  if (card.side != CardSide::kPortrait || !card.card_to_photo) return std::nullopt;
  const auto name = card.fields.find("name");
  if (name == card.fields.end() || name->second.text.empty() || name->second.sources.size() != 1) {
    return std::nullopt;
  }
  const FieldSource& source = name->second.sources.front();
  const TextLine& line = lines[source.line];
  if (source.first_char != 0 || source.end_char != static_cast<int>(line.characters.size())) {
    return std::nullopt;  // the line holds more than the name (its label): it began in time
  }
  const double em = layout::kValueSizeMm;
  const cv::Point2f first =
      CardToPhoto(card.card_to_photo->inv(), line.CharacterCenter(line.characters.front()));
  if (std::abs(first.y - kNameRowMiddleMm) > 0.5 * em) return std::nullopt;
  const auto ink = FindInkedRow(photo, *card.card_to_photo, kNameRowMiddleMm,
                                layout::kValueXMm - 0.4 * em, layout::kPhoto.x - 1);
  // The ink of a character before the first one read: its middle 0.9 em or more earlier.
  if (!ink || ink->first_mm + 0.5 * em > first.x - 0.9 * em) return std::nullopt;
  auto read = recognizer.Recognize(photo, ink->text.quad);
  if (!read.ok()) return std::nullopt;
  std::string text;
  int ideographs = 0;
  for (const RecognizedCharacter& character : read->characters) {
    if (character.text == " ") continue;  // the recogniser's space class, after the text
    if (!IsIdeograph(character.text) || IsRadicalFragment(character.text) ||
        character.probability < sure_confidence) {
      return std::nullopt;
    }
    text += character.text;
    ++ideographs;
  }
  const int added = ideographs - static_cast<int>(SplitUtf8(name->second.text).size());
  if (added < 1 || added > 2 || !text.ends_with(name->second.text)) return std::nullopt;
  // Where a name begins: at the value column (not a label's character the fit let in).
  const cv::Point2f start =
      CardToPhoto(card.card_to_photo->inv(), read->CharacterCenter(read->characters.front()));
  if (std::abs(start.x - (layout::kValueXMm + 0.5 * em)) > 0.8 * em) return std::nullopt;
  std::vector<TextLine> replaced = lines;
  replaced[source.line] = std::move(read).value();
  return replaced;
}

std::optional<std::vector<TextLine>> ReadNumberRowWhole(const cv::Mat& photo,
                                                        const CardTextLayout& card,
                                                        const std::vector<TextLine>& lines,
                                                        const TextRecognizer& recognizer) {
  if (card.side != CardSide::kPortrait || !card.card_to_photo) return std::nullopt;
  const auto number = card.fields.find("id_number");
  if (number != card.fields.end() && IdNumberCheckHolds(number->second.text)) return std::nullopt;
  const double em = layout::kNumberSizeMm;
  const auto ink = FindInkedRow(photo, *card.card_to_photo, kNumberRowMiddleMm,
                                layout::kNumberValueXMm - 0.4 * em, layout::kWidthMm - 1);
  // The number starts at its value column: ink only further on is a part of it.
  if (!ink || ink->first_mm > layout::kNumberValueXMm + 0.8 * em) return std::nullopt;
  auto read = recognizer.Recognize(photo, ink->text.quad);
  if (!read.ok()) return std::nullopt;
  std::string text;
  for (const RecognizedCharacter& character : read->characters) {
    if (character.text == " ") continue;  // the recogniser's space class, after the text
    if (character.probability < 0.5f) return std::nullopt;
    text += character.text;
  }
  if (!IdNumberCheckHolds(text)) return std::nullopt;
  std::vector<TextLine> replaced;
  for (size_t i = 0; i < lines.size(); ++i) {
    const bool holds_number =
        number != card.fields.end() &&
        std::any_of(number->second.sources.begin(), number->second.sources.end(),
                    [&](const FieldSource& source) { return source.line == static_cast<int>(i); });
    if (!holds_number) replaced.push_back(lines[i]);
  }
  replaced.push_back(std::move(read).value());
  return replaced;
}

bool AddressMissesARow(const CardTextLayout& card, const std::vector<TextLine>& lines) {
  if (card.side != CardSide::kPortrait || !card.card_to_photo) return false;
  const auto address = card.fields.find("address");
  if (address == card.fields.end() || address->second.text.empty()) return false;
  const auto reach = AddressRowReach(card, lines);
  int last = layout::kAddressMaxLines - 1;
  while (last >= 0 && reach[last] < 0) --last;
  for (int row = 0; row < last; ++row) {
    if (reach[row] < 0) return true;
  }
  return false;
}

}  // namespace examphoto
