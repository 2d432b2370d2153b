#include "idcard/field_reader.h"

#include <tesseract/baseapi.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "domain/id_number.h"
#include "idcard/card_layout.h"
#include "idcard/ethnic_groups.h"

namespace examphoto {
namespace {

namespace layout = card_layout;

std::vector<std::u32string::value_type> CodePoints(std::string_view text) {
  std::vector<char32_t> points;
  for (size_t i = 0; i < text.size();) {
    const unsigned char lead = text[i];
    size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
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

struct OcrText {
  std::string text;
  double confidence = 0;
};

OcrText Recognize(TesseractPool& pool, OcrLanguage language, const cv::Mat& gray,
                  tesseract::PageSegMode mode, const char* whitelist = "") {
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
    const size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
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

std::vector<std::string> SplitCharacters(std::string_view text) {
  std::vector<std::string> characters;
  for (size_t i = 0; i < text.size();) {
    const unsigned char lead = text[i];
    const size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    characters.emplace_back(text.substr(i, length));
    i += length;
  }
  return characters;
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

FieldReadout ReadPortraitFields(const cv::Mat& card, TesseractPool& pool) {
  FieldReadout out;
  IdCardFields& f = out.fields;

  // Several readings of the name (line and raw-line modes, two sizes), then a vote per
  // character among the readings of the most common length: each setting misreads different
  // characters, and a wrong name is the costliest error.
  const cv::Mat name_image = TightenToText(CleanField(card, layout::kNameRegion, false), true);
  cv::Mat name_large;
  if (!name_image.empty()) cv::resize(name_image, name_large, {}, 1.4, 1.4, cv::INTER_CUBIC);
  std::vector<std::pair<std::vector<std::string>, double>> readings;
  for (const cv::Mat* image : {&name_image, static_cast<const cv::Mat*>(&name_large)}) {
    for (auto mode : {tesseract::PSM_SINGLE_LINE, tesseract::PSM_RAW_LINE}) {
      const OcrText attempt = Recognize(pool, OcrLanguage::kChinese, *image, mode);
      const std::string text = KeepIdeographs(attempt.text, false);
      if (!text.empty()) readings.push_back({SplitCharacters(text), attempt.confidence});
    }
  }
  OcrText name;
  std::map<size_t, int> lengths;
  for (const auto& reading : readings) lengths[reading.first.size()]++;
  size_t length = 0;
  int most = 0;
  for (const auto& [size, count] : lengths) {
    if (count > most) most = count, length = size;
  }
  double confidence_sum = 0;
  int voters = 0;
  for (size_t i = 0; i < length; ++i) {
    std::map<std::string, double> votes;
    for (const auto& [characters, confidence] : readings) {
      if (characters.size() == length) votes[characters[i]] += 1.0 + 0.01 * confidence;
    }
    name.text += std::max_element(votes.begin(), votes.end(), [](auto& a, auto& b) {
                   return a.second < b.second;
                 })->first;
  }
  for (const auto& [characters, confidence] : readings) {
    if (characters.size() == length) confidence_sum += confidence, ++voters;
  }
  name.confidence = voters ? confidence_sum / voters : 0;
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
  const OcrText ethnicity =
      Recognize(pool, OcrLanguage::kChinese,
                TightenToText(CleanField(card, layout::kEthnicityRegion, false), true),
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

  const OcrText address =
      Recognize(pool, OcrLanguage::kChinese,
                TightenToText(CleanField(card, layout::kAddressRegion, false), false),
                tesseract::PSM_SINGLE_BLOCK);
  f.address = KeepIdeographs(WithoutSpaces(address.text), true);
  out.confidence["address"] = f.address.empty() ? 0 : address.confidence;

  const OcrText number =
      Recognize(pool, OcrLanguage::kEnglish,
                TightenToText(CleanField(card, layout::kNumberRegion, false), true),
                tesseract::PSM_RAW_LINE, "0123456789X");
  f.id_number = WithoutSpaces(number.text);
  out.confidence["id_number"] = f.id_number.size() == 18 ? number.confidence : 0;
  return out;
}

FieldReadout ReadEmblemFields(const cv::Mat& card, TesseractPool& pool) {
  FieldReadout out;
  IdCardFields& f = out.fields;
  const OcrText authority =
      Recognize(pool, OcrLanguage::kChinese,
                TightenToText(CleanField(card, layout::kAuthorityRegion, false), true),
                tesseract::PSM_RAW_LINE);
  f.authority = KeepIdeographs(authority.text, false);
  out.confidence["authority"] = f.authority.empty() ? 0 : authority.confidence;

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
