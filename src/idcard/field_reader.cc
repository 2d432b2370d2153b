#include "idcard/field_reader.h"

#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "domain/id_number.h"
#include "domain/utf8.h"
#include "idcard/card_layout.h"
#include "idcard/ethnic_groups.h"

namespace examphoto {
namespace {

namespace layout = card_layout;

std::vector<std::u32string::value_type> CodePoints(std::string_view text) {
  std::vector<char32_t> points;
  for (size_t i = 0; i < text.size();) {
    const unsigned char lead = text[i];
    size_t length = Utf8SequenceLength(lead);
    length = std::min(length, text.size() - i);
    char32_t point = length == 1 ? lead : lead & (0xFF >> (length + 1));
    for (size_t k = 1; k < length; ++k) point = (point << 6) | (text[i + k] & 0x3F);
    points.push_back(point);
    i += length;
  }
  return points;
}

cv::Rect RegionPixels(const layout::RectMm& mm, const cv::Size& card) {
  const double sx = card.width / layout::kWidthMm, sy = card.height / layout::kHeightMm;
  return cv::Rect(static_cast<int>(mm.x * sx), static_cast<int>(mm.y * sy),
                  static_cast<int>(mm.width * sx), static_cast<int>(mm.height * sy)) &
         cv::Rect(0, 0, card.width, card.height);
}

// Black print on a light card: the brightest channel keeps black text dark and turns the
// blue labels, red marks and coloured security print light. Dividing by a local estimate of
// the paper's brightness evens out shadows and gradients.
cv::Mat CleanField(const cv::Mat& card, const layout::RectMm& region, bool keep_colour_text) {
  const cv::Rect area = RegionPixels(region, card.size());
  std::vector<cv::Mat> channels;
  cv::split(card(area), channels);
  cv::Mat gray = keep_colour_text ? cv::min(cv::min(channels[0], channels[1]), channels[2])
                                  : cv::max(cv::max(channels[0], channels[1]), channels[2]);
  cv::Mat paper;
  const int k = std::max(15, card.cols / 60) | 1;
  cv::dilate(gray, paper, cv::getStructuringElement(cv::MORPH_RECT, {k, k}));
  cv::blur(paper, paper, {k, k});
  cv::Mat normalized;
  gray.convertTo(gray, CV_32F);
  paper.convertTo(paper, CV_32F);
  cv::divide(gray, paper + 1.0f, normalized, 255.0);
  normalized.convertTo(normalized, CV_8U);
  return normalized;
}

// Keeps the band of rows (and the columns) that hold ink, plus a white margin; single-line
// recognition degrades when half a neighbouring line is in the crop.
cv::Mat TightenToText(const cv::Mat& gray, bool single_line) {
  cv::Mat ink = gray < 150;
  cv::Mat rows;
  cv::reduce(ink, rows, 1, cv::REDUCE_SUM, CV_32S);
  const int min_ink = std::max(2, gray.cols / 200) * 255;
  int best_start = -1, best_end = -1, best_mass = 0;
  int start = -1, mass = 0, gap = 0;
  for (int y = 0; y <= gray.rows; ++y) {
    const int value = y < gray.rows ? rows.at<int>(y) : 0;
    if (value >= min_ink) {
      if (start < 0) start = y, mass = 0;
      mass += value;
      gap = 0;
    } else if (start >= 0 && (++gap > gray.rows / 20 || y == gray.rows)) {
      if (mass > best_mass) best_mass = mass, best_start = start, best_end = y - gap;
      start = -1;
    }
  }
  if (best_start < 0) return {};
  int top = best_start, bottom = best_end;
  if (!single_line) {
    // Blocks (the address): from the first to the last inked row.
    top = -1;
    for (int y = 0; y < gray.rows; ++y) {
      if (rows.at<int>(y) >= min_ink) {
        if (top < 0) top = y;
        bottom = y;
      }
    }
  }
  cv::Mat band = ink.rowRange(top, bottom + 1);
  cv::Mat columns;
  cv::reduce(band, columns, 0, cv::REDUCE_SUM, CV_32S);
  int left = 0, right = gray.cols - 1;
  while (left < right && columns.at<int>(left) == 0) ++left;
  while (right > left && columns.at<int>(right) == 0) --right;
  const int margin = std::max(6, (bottom - top) / 3);
  cv::Mat out(bottom - top + 1 + 2 * margin, right - left + 1 + 2 * margin, CV_8U, cv::Scalar(255));
  gray(cv::Rect(left, top, right - left + 1, bottom - top + 1))
      .copyTo(out(cv::Rect(margin, margin, right - left + 1, bottom - top + 1)));
  return out;
}

struct OcrSymbol {
  std::string text;
  double confidence = 0;  // 0..1
  cv::Rect box;           // in the recognised image
};

struct OcrText {
  std::string text;
  double confidence = 0;
  std::vector<OcrSymbol> symbols;  // filled when asked for
};

OcrText Recognize(TesseractPool& pool, OcrLanguage language, const cv::Mat& gray,
                  tesseract::PageSegMode mode, const char* whitelist = "",
                  bool with_symbols = false) {
  OcrText result;
  if (gray.empty()) return result;
  auto lease = pool.Acquire(language);
  if (!lease) return result;
  tesseract::TessBaseAPI& api = lease->api();
  api.SetPageSegMode(mode);
  api.SetVariable("tessedit_char_whitelist", whitelist);
  api.SetImage(gray.data, gray.cols, gray.rows, 1, static_cast<int>(gray.step));
  api.SetSourceResolution(300);
  std::unique_ptr<char[]> text(api.GetUTF8Text());
  if (text) result.text = text.get();
  result.confidence = std::clamp(api.MeanTextConf() / 100.0, 0.0, 1.0);
  if (with_symbols) {
    // Per character: its box and Tesseract's confidence in it (RIL_SYMBOL).
    std::unique_ptr<tesseract::ResultIterator> symbol(api.GetIterator());
    if (symbol && !symbol->Empty(tesseract::RIL_SYMBOL)) {
      do {
        std::unique_ptr<char[]> character(symbol->GetUTF8Text(tesseract::RIL_SYMBOL));
        if (!character) continue;
        int left = 0, top = 0, right = 0, bottom = 0;
        symbol->BoundingBox(tesseract::RIL_SYMBOL, &left, &top, &right, &bottom);
        result.symbols.push_back(
            {character.get(),
             std::clamp(symbol->Confidence(tesseract::RIL_SYMBOL) / 100.0, 0.0, 1.0),
             cv::Rect(left, top, right - left, bottom - top)});
      } while (symbol->Next(tesseract::RIL_SYMBOL));
    }
  }
  api.SetVariable("tessedit_char_whitelist", "");
  return result;
}

std::string WithoutSpaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

// Only CJK ideographs (and the middle dot of transliterated names) belong in a name.
std::string KeepIdeographs(std::string_view text, bool keep_ascii_alnum) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const unsigned char lead = text[i];
    const size_t length = Utf8SequenceLength(lead);
    const std::string_view character = text.substr(i, length);
    const auto points = CodePoints(character);
    const char32_t p = points.empty() ? 0 : points[0];
    const bool ideograph =
        (p >= 0x3400 && p <= 0x9FFF) || (p >= 0x20000 && p <= 0x2FFFF) || p == 0xB7;
    const bool ascii = length == 1 && std::isalnum(lead);
    if (ideograph || (keep_ascii_alnum && ascii) || (keep_ascii_alnum && lead == '-')) {
      out.append(character);
    }
    i += length;
  }
  return out;
}

std::vector<std::string> DigitGroups(std::string_view text) {
  std::vector<std::string> groups;
  std::string current;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      current.push_back(c);
    } else if (!current.empty()) {
      groups.push_back(current);
      current.clear();
    }
  }
  if (!current.empty()) groups.push_back(current);
  return groups;
}

std::string IsoDate(int year, int month, int day) {
  if (!IsValidCalendarDate(year, month, day)) return {};
  return CalendarDate{year, month, day}.ToIso();
}

std::string ParseBirthDate(std::string_view text) {
  const auto groups = DigitGroups(text);
  if (groups.size() >= 3 && groups[0].size() == 4 && groups[1].size() <= 2 &&
      groups[2].size() <= 2) {
    return IsoDate(std::stoi(groups[0]), std::stoi(groups[1]), std::stoi(groups[2]));
  }
  return {};
}

// "20150301" → "2015-03-01"
std::string DateFromDigits(std::string_view digits) {
  if (digits.size() != 8) return {};
  return IsoDate(std::stoi(std::string(digits.substr(0, 4))),
                 std::stoi(std::string(digits.substr(4, 2))),
                 std::stoi(std::string(digits.substr(6, 2))));
}

// Every character that occurs in the 56 names: the recogniser may only choose among these.
const std::string& EthnicCharacters() {
  static const std::string characters = [] {
    std::string all;
    for (std::string_view group : EthnicGroupNames()) {
      for (size_t i = 0; i < group.size(); i += 3) {
        const std::string_view character = group.substr(i, 3);
        if (all.find(character) == std::string::npos) all.append(character);
      }
    }
    return all;
  }();
  return characters;
}

// Year, month and day are black digits with blue 年月日 between them; in the cleaned image
// the labels are gone, leaving three clusters of ink. Each is read as one number.
std::string ReadBirthDate(const cv::Mat& line, TesseractPool& pool, double* confidence) {
  if (line.empty()) return {};
  cv::Mat ink = line < 150;
  cv::Mat columns;
  cv::reduce(ink, columns, 0, cv::REDUCE_MAX, CV_8U);
  const int min_gap = std::max(6, line.rows / 2);
  std::vector<std::pair<int, int>> clusters;
  int start = -1, last = -1;
  for (int x = 0; x < line.cols; ++x) {
    if (columns.at<uint8_t>(x) == 0) continue;
    if (start < 0) {
      start = x;
    } else if (x - last > min_gap) {
      clusters.emplace_back(start, last);
      start = x;
    }
    last = x;
  }
  if (start >= 0) clusters.emplace_back(start, last);
  if (clusters.size() != 3) return {};
  // One line again, the groups set a character apart: the recogniser reads digits best with
  // their neighbours for context, and the wide gap becomes a space.
  const int gap = line.rows;
  int width = gap;
  for (const auto& [left, right] : clusters) width += right - left + 1 + gap;
  cv::Mat joined(line.rows, width, CV_8U, cv::Scalar(255));
  int x = gap;
  for (const auto& [left, right] : clusters) {
    line.colRange(left, right + 1).copyTo(joined.colRange(x, x + right - left + 1));
    x += right - left + 1 + gap;
  }
  // The Chinese model keeps the wide gaps as spaces; the English one closes them up.
  const OcrText digits = Recognize(pool, OcrLanguage::kChinese, joined, tesseract::PSM_RAW_LINE);
  const auto groups = DigitGroups(digits.text);
  if (groups.size() != 3 || groups[0].size() != 4 || groups[1].size() > 2 || groups[2].size() > 2) {
    return {};
  }
  *confidence = digits.confidence;
  const int parts[3] = {std::stoi(groups[0]), std::stoi(groups[1]), std::stoi(groups[2])};
  return IsoDate(parts[0], parts[1], parts[2]);
}

// When the glyph classifier's character is taken over Tesseract's (figures in
// docs/performance/idcard.md, chosen on a tuning set of captures apart from the benchmark's).
// If Tesseract could have produced the classifier's character, it saw it and chose otherwise:
// only a doubtful Tesseract is overruled. If it could not (not in chi_sim's character set),
// its confidence says nothing about that character and only the classifier's lead counts.
constexpr double kDoubtfulTesseractConfidence = 0.95;
constexpr double kLeadOverKnownCharacter = 0.04;    // similarity to its best minus Tesseract's
constexpr double kLeadOverUnknownCharacter = 0.04;  // the same, best not in chi_sim
constexpr double kMinimumGlyphScore = 0.5;
// Overruling a confident Tesseract (it read 异 for 昇 at 0.99) needs a good match too: the
// right replacements of that kind scored 0.85 and more, a wrong one (唐 → 麕) 0.54.
constexpr double kMinimumGlyphScoreOverConfident = 0.65;
constexpr double kEthnicityLead = 0.03;  // over the second-best of the 56 names

// Second opinion on each character of a fixed-pitch line (`characters`, Tesseract's reading,
// one per cell): replaces those Tesseract doubts when the classifier is clearly surer, and
// returns a cap for the field's confidence that falls when the two disagree narrowly.
double CheckCharacters(const GlyphClassifier& glyphs, TesseractPool& pool, const cv::Mat& line,
                       const char* field, const std::vector<double>& tesseract_confidence,
                       std::vector<std::string>& characters, std::vector<CharacterCheck>& checks) {
  const std::vector<cv::Rect> boxes =
      SplitLineIntoCharacters(line, static_cast<int>(characters.size()));
  if (boxes.size() != characters.size()) return 1.0;
  std::vector<cv::Mat> crops;
  for (const cv::Rect& box : boxes) crops.push_back(line(box));
  const std::vector<GlyphScores> scores = glyphs.ClassifyAll(crops);
  auto lease = pool.Acquire(OcrLanguage::kChinese);
  if (!lease) return 1.0;
  double cap = 1.0;
  for (size_t i = 0; i < characters.size(); ++i) {
    if (scores[i].empty()) continue;
    const std::vector<GlyphMatch> best = scores[i].Best(2);
    CharacterCheck check{field,
                         static_cast<int>(i),
                         characters[i],
                         tesseract_confidence[i],
                         best[0].character,
                         best[0].score,
                         scores[i].Of(characters[i]),
                         best.size() > 1 ? best[1].score : -1,
                         lease->api().IsValidCharacter(best[0].character.c_str()),
                         false};
    if (best[0].character != characters[i]) {
      const double lead = check.classifier_score - check.tesseract_score;
      const double needed =
          check.tesseract_knows ? kLeadOverKnownCharacter : kLeadOverUnknownCharacter;
      const bool doubtful =
          !check.tesseract_knows || check.tesseract_confidence < kDoubtfulTesseractConfidence;
      const double floor = check.tesseract_confidence < kDoubtfulTesseractConfidence
                               ? kMinimumGlyphScore
                               : kMinimumGlyphScoreOverConfident;
      if (doubtful && lead >= needed && check.classifier_score >= floor) {
        characters[i] = best[0].character;
        check.replaced = true;
        // Never certain: the more the classifier leads, the more it is trusted.
        cap = std::min(cap, std::clamp(lead / (4 * needed), 0.3, 0.9));
      } else {
        // Tesseract kept; the more the classifier prefers another character, the less sure.
        cap = std::min(
            cap, check.tesseract_confidence * std::clamp(1.0 - lead / (2 * needed), 0.3, 1.0));
      }
    }
    checks.push_back(std::move(check));
  }
  return cap;
}

// The same second opinion for the address, which is not at a fixed pitch as a whole (digits
// are half an em wide): Tesseract's symbol boxes are too loose to cut characters by, but each
// line starts at the left margin with a run of ideographs one em apart (湖南省长沙市岳麓区...),
// and that run is cut like a name. `em` is the printed character size in pixels. Returns the
// text with any replacements (ideographs, letters, digits and '-' kept, as the field keeps
// them) and lowers `cap` like CheckCharacters.
std::string CheckAddress(const GlyphClassifier& glyphs, TesseractPool& pool, const cv::Mat& image,
                         const std::vector<OcrSymbol>& symbols, double em,
                         std::vector<CharacterCheck>& checks, double* cap) {
  std::vector<std::string> characters;
  std::vector<double> confidence;
  std::vector<int> line_of;
  std::vector<bool> ideograph;
  std::vector<cv::Rect> boxes;
  for (const OcrSymbol& symbol : symbols) {
    const std::string kept = KeepIdeographs(symbol.text, true);
    if (kept.empty()) continue;
    const cv::Rect& box = symbol.box;
    // A new line when the symbol does not overlap the previous one vertically, or goes back.
    int line = 0;
    if (!boxes.empty()) {
      const cv::Rect& previous = boxes.back();
      const int overlap = std::min(previous.br().y, box.br().y) - std::max(previous.y, box.y);
      line = line_of.back() +
             (overlap < std::min(previous.height, box.height) / 2 || box.x < previous.x);
    }
    characters.push_back(kept);
    confidence.push_back(symbol.confidence);
    line_of.push_back(line);
    ideograph.push_back(KeepIdeographs(symbol.text, false) == kept && kept.size() >= 3);
    boxes.push_back(box);
  }
  cv::Mat ink = image < 150;
  for (size_t start = 0; start < characters.size();) {
    size_t end = start;
    while (end < characters.size() && line_of[end] == line_of[start]) ++end;
    size_t run = start;
    while (run < end && ideograph[run]) ++run;
    bool doubtful = false;
    int top = image.rows, bottom = 0;
    for (size_t i = start; i < end; ++i) {
      top = std::min(top, boxes[i].y);
      bottom = std::max(bottom, boxes[i].br().y);
    }
    for (size_t i = start; i < run; ++i) doubtful |= confidence[i] < kDoubtfulTesseractConfidence;
    const int pad = static_cast<int>(em / 6);
    const cv::Rect rows =
        cv::Rect(0, top - pad, image.cols, bottom - top + 2 * pad) & cv::Rect({}, image.size());
    if (doubtful && rows.height > 2) {
      cv::Mat columns;
      cv::reduce(ink(rows), columns, 0, cv::REDUCE_MAX, CV_8U);
      int left = 0;
      while (left < columns.cols && columns.at<uint8_t>(left) == 0) ++left;
      const int count = static_cast<int>(run - start);
      const int width = static_cast<int>((count - 0.03) * em);
      const cv::Rect area = cv::Rect(left, rows.y, width, rows.height) & cv::Rect({}, image.size());
      std::vector<double> run_confidence(confidence.begin() + start, confidence.begin() + run);
      std::vector<std::string> run_characters(characters.begin() + start, characters.begin() + run);
      // Only the band of this line: bits of the lines above and below would stretch the
      // characters' boxes.
      const cv::Mat band = area.width > em / 2 ? TightenToText(image(area), true) : cv::Mat();
      if (!band.empty()) {
        std::vector<CharacterCheck> run_checks;
        *cap = std::min(*cap, CheckCharacters(glyphs, pool, band, "address", run_confidence,
                                              run_characters, run_checks));
        for (CharacterCheck& check : run_checks) {
          check.position += static_cast<int>(start);
          checks.push_back(std::move(check));
        }
        std::copy(run_characters.begin(), run_characters.end(), characters.begin() + start);
      }
    }
    start = end;
  }
  std::string text;
  for (const std::string& character : characters) text += character;
  return text;
}

}  // namespace

int CharacterEditDistance(std::string_view a, std::string_view b) {
  const auto x = CodePoints(a), y = CodePoints(b);
  std::vector<int> previous(y.size() + 1), current(y.size() + 1);
  for (size_t j = 0; j <= y.size(); ++j) previous[j] = static_cast<int>(j);
  for (size_t i = 1; i <= x.size(); ++i) {
    current[0] = static_cast<int>(i);
    for (size_t j = 1; j <= y.size(); ++j) {
      current[j] = std::min(
          {previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)});
    }
    std::swap(previous, current);
  }
  return previous[y.size()];
}

FieldReadout ReadPortraitFields(const cv::Mat& card, TesseractPool& pool,
                                const GlyphClassifier* glyphs) {
  FieldReadout out;
  IdCardFields& f = out.fields;

  // Several readings of the name (line and raw-line modes, two sizes), then a vote per
  // character among the readings of the most common length: each setting misreads different
  // characters, and a wrong name is the costliest error.
  const cv::Mat name_image = TightenToText(CleanField(card, layout::kNameRegion, false), true);
  cv::Mat name_large;
  if (!name_image.empty()) cv::resize(name_image, name_large, {}, 1.4, 1.4, cv::INTER_CUBIC);
  struct NameReading {
    std::vector<std::string> characters;
    double confidence = 0;
    std::vector<double> character_confidence;  // per character, when the symbols line up
  };
  std::vector<NameReading> readings;
  for (const cv::Mat* image : {&name_image, static_cast<const cv::Mat*>(&name_large)}) {
    for (auto mode : {tesseract::PSM_SINGLE_LINE, tesseract::PSM_RAW_LINE}) {
      const OcrText attempt = Recognize(pool, OcrLanguage::kChinese, *image, mode, "", true);
      const std::string text = KeepIdeographs(attempt.text, false);
      if (text.empty()) continue;
      NameReading reading{SplitUtf8(text), attempt.confidence, {}};
      for (const OcrSymbol& symbol : attempt.symbols) {
        if (!KeepIdeographs(symbol.text, false).empty())
          reading.character_confidence.push_back(symbol.confidence);
      }
      if (reading.character_confidence.size() != reading.characters.size())
        reading.character_confidence.clear();
      readings.push_back(std::move(reading));
    }
  }
  OcrText name;
  std::map<size_t, int> lengths;
  for (const auto& reading : readings) lengths[reading.characters.size()]++;
  size_t length = 0;
  int most = 0;
  for (const auto& [size, count] : lengths) {
    if (count > most) most = count, length = size;
  }
  double confidence_sum = 0;
  int voters = 0;
  std::vector<std::string> voted;
  for (size_t i = 0; i < length; ++i) {
    std::map<std::string, double> votes;
    for (const auto& reading : readings) {
      if (reading.characters.size() == length)
        votes[reading.characters[i]] += 1.0 + 0.01 * reading.confidence;
    }
    voted.push_back(std::max_element(votes.begin(), votes.end(), [](auto& a, auto& b) {
                      return a.second < b.second;
                    })->first);
  }
  // Tesseract's confidence in each chosen character: its symbol confidence averaged over the
  // readings of that length, counting a reading that chose another character as 0.
  std::vector<double> character_confidence(length, 0);
  for (size_t i = 0; i < length; ++i) {
    double sum = 0;
    int count = 0;
    for (const auto& reading : readings) {
      if (reading.characters.size() != length || reading.character_confidence.empty()) continue;
      sum += reading.characters[i] == voted[i] ? reading.character_confidence[i] : 0.0;
      ++count;
    }
    character_confidence[i] = count ? sum / count : 0;
  }
  for (const auto& reading : readings) {
    if (reading.characters.size() == length) confidence_sum += reading.confidence, ++voters;
  }
  name.confidence = voters ? confidence_sum / voters : 0;
  if (glyphs && length > 0) {
    name.confidence = std::min(
        name.confidence, CheckCharacters(*glyphs, pool, name_image, "name", character_confidence,
                                         voted, out.character_checks));
  }
  for (const std::string& character : voted) name.text += character;
  f.name = name.text;
  out.confidence["name"] = f.name.empty() ? 0 : name.confidence;

  const cv::Mat sex_image = TightenToText(CleanField(card, layout::kSexRegion, false), true);
  OcrText sex;
  for (auto mode : {tesseract::PSM_RAW_LINE, tesseract::PSM_SINGLE_CHAR}) {
    sex = Recognize(pool, OcrLanguage::kChinese, sex_image, mode);
    if (sex.text.find("男") != std::string::npos) {
      f.sex = "男";
    } else if (sex.text.find("女") != std::string::npos) {
      f.sex = "女";
    }
    if (!f.sex.empty()) break;
  }
  out.confidence["sex"] = f.sex.empty() ? 0 : sex.confidence;

  // A closed list: the reading is snapped to the nearest of the 56 names.
  const cv::Mat ethnicity_image =
      TightenToText(CleanField(card, layout::kEthnicityRegion, false), true);
  const OcrText ethnicity = Recognize(pool, OcrLanguage::kChinese, ethnicity_image,
                                      tesseract::PSM_RAW_LINE, EthnicCharacters().c_str());
  const std::string ethnicity_text = KeepIdeographs(ethnicity.text, false);
  int best_distance = 1 << 20;
  for (std::string_view group : EthnicGroupNames()) {
    const int distance = CharacterEditDistance(ethnicity_text, group);
    if (distance < best_distance) best_distance = distance, f.ethnicity = std::string(group);
  }
  const double ethnicity_length = std::max<size_t>(1, CodePoints(f.ethnicity).size());
  if (ethnicity_text.empty() || best_distance >= ethnicity_length) {
    f.ethnicity.clear();
    out.confidence["ethnicity"] = 0;
  } else {
    out.confidence["ethnicity"] = ethnicity.confidence * (1.0 - best_distance / ethnicity_length);
  }
  if (glyphs) {
    // The whole field against the 56 names drawn from templates: reads the groups whose
    // characters Tesseract confuses (傈僳, 彝, 佤...), and doubts a snapped reading it disagrees
    // with.
    const LineMatch match = glyphs->ClassifyLine(ethnicity_image, EthnicGroupNames());
    const double lead = match.score - match.runner_up_score;
    out.character_checks.push_back({"ethnicity", 0, f.ethnicity, out.confidence["ethnicity"],
                                    match.text, match.score, 0, match.runner_up_score, true,
                                    false});
    const bool tesseract_exact = !f.ethnicity.empty() && best_distance == 0;
    if (!match.text.empty() && match.text == f.ethnicity && lead >= kEthnicityLead) {
      // Two independent readings agree: surer than either.
      out.confidence["ethnicity"] =
          std::max(out.confidence["ethnicity"], std::clamp(lead / (4 * kEthnicityLead), 0.3, 0.9));
    }
    if (!match.text.empty() && match.text != f.ethnicity) {
      if (lead >= kEthnicityLead && match.score >= kMinimumGlyphScore &&
          (!tesseract_exact || out.confidence["ethnicity"] < kDoubtfulTesseractConfidence)) {
        f.ethnicity = match.text;
        out.confidence["ethnicity"] = std::clamp(lead / (4 * kEthnicityLead), 0.3, 0.9);
        out.character_checks.back().replaced = true;
      } else if (!tesseract_exact) {
        f.ethnicity.clear();  // neither reading is clear: idcard.ethnicity_unreadable
        out.confidence["ethnicity"] = 0;
      } else {
        out.confidence["ethnicity"] *= 0.5;
      }
    }
  }

  // Year, month and day in black with blue 年月日 between them: the labels vanish in the
  // cleaned image, leaving three groups of digits.
  const cv::Mat birth_image = TightenToText(CleanField(card, layout::kBirthRegion, false), true);
  OcrText birth;
  f.birth_date = ReadBirthDate(birth_image, pool, &birth.confidence);
  if (f.birth_date.empty()) {
    // With the labels kept: "1974年5月16日".
    birth = Recognize(pool, OcrLanguage::kChinese,
                      TightenToText(CleanField(card, layout::kBirthRegion, true), true),
                      tesseract::PSM_RAW_LINE);
    f.birth_date = ParseBirthDate(birth.text);
  }
  out.confidence["birth_date"] = f.birth_date.empty() ? 0 : birth.confidence;

  const cv::Mat address_image =
      TightenToText(CleanField(card, layout::kAddressRegion, false), false);
  const OcrText address = Recognize(pool, OcrLanguage::kChinese, address_image,
                                    tesseract::PSM_SINGLE_BLOCK, "", glyphs != nullptr);
  f.address = KeepIdeographs(WithoutSpaces(address.text), true);
  out.confidence["address"] = f.address.empty() ? 0 : address.confidence;
  if (glyphs && !f.address.empty()) {
    double cap = 1.0;
    std::vector<CharacterCheck> checks;
    const double em = layout::kValueSizeMm * card.cols / layout::kWidthMm;
    const std::string checked =
        CheckAddress(*glyphs, pool, address_image, address.symbols, em, checks, &cap);
    // Only if the symbols spell what the text said (they should; if not, keep the text).
    if (CodePoints(checked).size() == CodePoints(f.address).size()) {
      f.address = checked;
      out.confidence["address"] = std::min(out.confidence["address"], cap);
      out.character_checks.insert(out.character_checks.end(), checks.begin(), checks.end());
    }
  }

  const OcrText number =
      Recognize(pool, OcrLanguage::kEnglish,
                TightenToText(CleanField(card, layout::kNumberRegion, false), true),
                tesseract::PSM_RAW_LINE, "0123456789X");
  f.id_number = WithoutSpaces(number.text);
  out.confidence["id_number"] = f.id_number.size() == 18 ? number.confidence : 0;
  return out;
}

FieldReadout ReadEmblemFields(const cv::Mat& card, TesseractPool& pool,
                              const GlyphClassifier* glyphs) {
  FieldReadout out;
  IdCardFields& f = out.fields;
  const cv::Mat authority_image =
      TightenToText(CleanField(card, layout::kAuthorityRegion, false), true);
  const OcrText authority = Recognize(pool, OcrLanguage::kChinese, authority_image,
                                      tesseract::PSM_RAW_LINE, "", glyphs != nullptr);
  f.authority = KeepIdeographs(authority.text, false);
  out.confidence["authority"] = f.authority.empty() ? 0 : authority.confidence;
  if (glyphs && !f.authority.empty()) {
    // All ideographs one em apart, like the name: the same second opinion (it reads 麓 in
    // 岳麓分局, which Tesseract always misreads).
    std::vector<std::string> characters = SplitUtf8(f.authority);
    std::vector<double> confidence;
    for (const OcrSymbol& symbol : authority.symbols) {
      if (!KeepIdeographs(symbol.text, false).empty()) confidence.push_back(symbol.confidence);
    }
    if (confidence.size() != characters.size())
      confidence.assign(characters.size(), authority.confidence);
    const double cap = CheckCharacters(*glyphs, pool, authority_image, "authority", confidence,
                                       characters, out.character_checks);
    f.authority.clear();
    for (const std::string& character : characters) f.authority += character;
    out.confidence["authority"] = std::min(out.confidence["authority"], cap);
  }

  const cv::Mat validity_image =
      TightenToText(CleanField(card, layout::kValidityRegion, false), true);
  const OcrText digits = Recognize(pool, OcrLanguage::kEnglish, validity_image,
                                   tesseract::PSM_RAW_LINE, "0123456789.-");
  std::string all_digits;
  for (char c : digits.text) {
    if (std::isdigit(static_cast<unsigned char>(c))) all_digits.push_back(c);
  }
  double confidence = digits.confidence;
  if (all_digits.size() >= 16) {
    f.valid_from = DateFromDigits(std::string_view(all_digits).substr(0, 8));
    f.valid_to = DateFromDigits(std::string_view(all_digits).substr(all_digits.size() - 8));
  } else if (all_digits.size() >= 8) {
    // "YYYY.MM.DD-长期": the digits-only pass sees one date; confirm the 长期.
    f.valid_from = DateFromDigits(std::string_view(all_digits).substr(0, 8));
    const OcrText words =
        Recognize(pool, OcrLanguage::kChinese, validity_image, tesseract::PSM_RAW_LINE);
    if (words.text.find("长") != std::string::npos || words.text.find("期") != std::string::npos) {
      f.valid_to = "长期";
      confidence = std::min(confidence, words.confidence);
    }
  }
  const double validity_confidence = f.valid_from.empty() || f.valid_to.empty() ? 0 : confidence;
  out.confidence["valid_from"] = f.valid_from.empty() ? 0 : validity_confidence;
  out.confidence["valid_to"] = f.valid_to.empty() ? 0 : validity_confidence;
  return out;
}

cv::Mat CutPortraitPhoto(const cv::Mat& card) {
  return card(RegionPixels(layout::kPhoto, card.size())).clone();
}

}  // namespace examphoto
