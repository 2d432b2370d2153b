#include "idcard/id_card_reader.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <opencv2/imgproc.hpp>

#include "domain/messages.h"
#include "idcard/card_layout.h"
#include "idcard/card_locator.h"
#include "idcard/field_reader.h"
#include "idcard/glyph_classifier.h"
#include "idcard/side_classifier.h"
#include "idcard/tesseract_pool.h"
#include "imaging/image_decoder.h"
#include "imaging/jpeg_encoder.h"

namespace examphoto {
namespace {

namespace layout = card_layout;

// Calibrated on generated captures (bench/idcard_accuracy): sharp print scores above 1.0,
// print blurred beyond reading below 0.5. Glare: share of the text regions washed out.
constexpr double kMinimumSharpness = 0.6;
constexpr double kMaximumGlareShare = 0.04;

IdCardIssue MakeIssue(std::string_view code, std::string field = {}) {
  const CatalogueEntry& entry = LookupMessage(code);
  return {std::string(code), entry.message, entry.hint, std::move(field)};
}

cv::Rect RegionPixels(const layout::RectMm& mm, const cv::Size& card) {
  const double sx = card.width / layout::kWidthMm, sy = card.height / layout::kHeightMm;
  return cv::Rect(static_cast<int>(mm.x * sx), static_cast<int>(mm.y * sy),
                  static_cast<int>(mm.width * sx), static_cast<int>(mm.height * sy)) &
         cv::Rect(0, 0, card.width, card.height);
}

std::vector<layout::RectMm> TextRegions(CardSide side) {
  if (side == CardSide::kPortrait) {
    return {layout::kNameRegion, layout::kBirthRegion, layout::kAddressRegion,
            layout::kNumberRegion};
  }
  return {layout::kAuthorityRegion, layout::kValidityRegion};
}

// Sharpness of the printed text: the mean gradient energy over the pixels that are edges at
// all, so that it does not depend on how much text there is. Blurred print spreads the same
// contrast over wider, weaker edges.
double TextSharpness(const cv::Mat& card, CardSide side) {
  double total = 0;
  int regions = 0;
  for (const auto& region : TextRegions(side)) {
    cv::Mat gray;
    cv::cvtColor(card(RegionPixels(region, card.size())), gray, cv::COLOR_BGR2GRAY);
    cv::Mat gx, gy, magnitude;
    cv::Sobel(gray, gx, CV_32F, 1, 0, 3);
    cv::Sobel(gray, gy, CV_32F, 0, 1, 3);
    cv::magnitude(gx, gy, magnitude);
    double max_value = 0;
    cv::minMaxLoc(magnitude, nullptr, &max_value);
    // The 99th percentile of the gradient is a steady figure for the sharpest edges.
    std::vector<float> values(magnitude.begin<float>(), magnitude.end<float>());
    const size_t k = values.size() * 99 / 100;
    std::nth_element(values.begin(), values.begin() + k, values.end());
    double dark = 0, light = 0;
    cv::minMaxLoc(gray, &dark, &light);
    const double contrast = std::max(20.0, light - dark);
    total += values[k] / contrast;
    ++regions;
  }
  return regions ? total / regions : 0;
}

// Share of the text regions washed out to white: saturated pixels that stay saturated over a
// patch the size of a character (print would break such a patch up).
double GlareShare(const cv::Mat& card, CardSide side) {
  std::vector<cv::Mat> channels;
  cv::split(card, channels);
  cv::Mat lowest = cv::min(cv::min(channels[0], channels[1]), channels[2]);
  cv::Mat saturated = lowest >= 245;
  const int k = std::max(3, static_cast<int>(card.cols / layout::kWidthMm * 2.5)) | 1;
  cv::morphologyEx(saturated, saturated, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_ELLIPSE, {k, k}));
  double washed = 0, area = 0;
  for (const auto& region : TextRegions(side)) {
    const cv::Rect r = RegionPixels(region, card.size());
    washed += cv::countNonZero(saturated(r));
    area += r.area();
  }
  return area > 0 ? washed / area : 0;
}

std::string Normalize(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    out.push_back(c == 'x' ? 'X' : c);
  }
  return out;
}

}  // namespace

bool NamesEditingSoftware(std::string_view software) {
  std::string lower(software);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static constexpr std::string_view kEditors[] = {
      "photoshop", "lightroom", "gimp",   "paint.net",  "snapseed",      "picsart",    "pixlr",
      "meitu",     "美图",      "醒图",   "photoscape", "canva",         "affinity",   "facetune",
      "polarr",    "fotor",     "acdsee", "corel",      "photodirector", "pixelmator", "vsco"};
  for (std::string_view editor : kEditors) {
    if (lower.find(editor) != std::string::npos) return true;
  }
  return false;
}

std::vector<std::string> CompareWithRegistration(const IdCardFields& fields, std::string_view name,
                                                 std::string_view id_number) {
  std::vector<std::string> differing;
  if (Normalize(fields.name) != Normalize(name)) differing.push_back("name");
  if (Normalize(fields.id_number) != Normalize(id_number)) differing.push_back("id_number");
  return differing;
}

Result<IdCardReader> IdCardReader::Load(const IdCardReaderOptions& options) {
  auto pool = TesseractPool::Create(options.tessdata_dir);
  if (!pool.ok()) return pool.error();
  std::unique_ptr<GlyphClassifier> glyphs;
  if (options.glyph_fallback) {
    auto loaded = GlyphClassifier::Load(options.glyph_options);
    if (!loaded.ok()) return loaded.error();
    glyphs = std::move(loaded.value());
  }
  return IdCardReader(options, std::move(pool.value()), std::move(glyphs));
}

IdCardReader::IdCardReader(IdCardReaderOptions options, std::unique_ptr<TesseractPool> pool,
                           std::unique_ptr<GlyphClassifier> glyphs)
    : options_(std::move(options)), pool_(std::move(pool)), glyphs_(std::move(glyphs)) {}
IdCardReader::IdCardReader(IdCardReader&&) noexcept = default;
IdCardReader& IdCardReader::operator=(IdCardReader&&) noexcept = default;
IdCardReader::~IdCardReader() = default;

CalendarDate IdCardReader::Today() const {
  if (options_.today) return *options_.today;
  const std::chrono::year_month_day date{
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  return {static_cast<int>(date.year()), static_cast<int>(static_cast<unsigned>(date.month())),
          static_cast<int>(static_cast<unsigned>(date.day()))};
}

IdCardReading IdCardReader::Read(std::span<const uint8_t> bytes,
                                 std::optional<CardSide> expected_side) const {
  IdCardReading reading;
  auto decoded = imaging::DecodeImage(bytes);
  if (!decoded.ok()) {
    const Error& error = decoded.error();
    reading.issues.push_back({error.code, error.message, error.hint, {}});
    reading.unusable_input = true;
    reading.decode_error = error;
    return reading;
  }
  const cv::Mat& photo = decoded->bgr;
  if (NamesEditingSoftware(decoded->exif.software))
    reading.issues.push_back(MakeIssue("idcard.edited"));

  const CardLocation location = LocateCard(photo);
  if (location.outcome != CardLocation::Outcome::kFound) {
    reading.issues.push_back(MakeIssue(location.outcome == CardLocation::Outcome::kCornerCut
                                           ? "idcard.corner_cut"
                                           : "idcard.not_found"));
    reading.unusable_input = true;
    return reading;
  }
  // The first outline that shows either side's marks is the card (paper and phones do not).
  cv::Mat card;
  SideGuess guess;
  std::array<cv::Point2f, 4> corners{};
  for (const auto& candidate : location.candidates) {
    cv::Mat straightened = RectifyCard(photo, candidate, options_.canonical_pixels_per_mm);
    guess = ClassifySide(straightened);
    if (guess.side) {
      card = std::move(straightened);
      corners = candidate;
      break;
    }
  }
  if (!guess.side) {
    // A light, card-shaped outline too small to show its marks is a card photographed from
    // too far away, most likely.
    bool small_card = false;
    for (const auto& candidate : location.candidates) {
      const double width =
          std::hypot(candidate[1].x - candidate[0].x, candidate[1].y - candidate[0].y);
      if (width / decoded->scale / layout::kWidthMm >= options_.min_card_pixels_per_mm) continue;
      const cv::Mat straightened = RectifyCard(photo, candidate, 4.0);
      const cv::Scalar mean = cv::mean(straightened);
      const double lowest = std::min({mean[0], mean[1], mean[2]});
      const double highest = std::max({mean[0], mean[1], mean[2]});
      if (lowest > 120 && highest - lowest < 40) small_card = true;
    }
    reading.issues.push_back(MakeIssue(location.cut_card_seen ? "idcard.corner_cut"
                                       : small_card           ? "idcard.too_small"
                                                              : "idcard.not_found"));
    reading.unusable_input = true;
    return reading;
  }
  if (guess.upside_down) cv::rotate(card, card, cv::ROTATE_180);
  reading.side = guess.side;
  const CardSide side = *guess.side;
  const std::string card_jpeg = imaging::EncodeJpeg(card, 90);
  reading.canonical_card_jpeg.assign(card_jpeg.begin(), card_jpeg.end());
  if (side == CardSide::kPortrait) reading.portrait = CutPortraitPhoto(card);

  if (expected_side && *expected_side != side) {
    reading.issues.push_back(MakeIssue(*expected_side == CardSide::kPortrait
                                           ? "idcard.wrong_side_portrait_expected"
                                           : "idcard.wrong_side_emblem_expected"));
    return reading;
  }

  // Photo quality: reasons the text cannot be trusted, in the order a user should fix them.
  const double long_edge = (std::hypot(corners[1].x - corners[0].x, corners[1].y - corners[0].y) +
                            std::hypot(corners[2].x - corners[3].x, corners[2].y - corners[3].y)) /
                           2;
  const double card_pixels_per_mm = long_edge / decoded->scale / layout::kWidthMm;
  if (card_pixels_per_mm < options_.min_card_pixels_per_mm) {
    reading.issues.push_back(MakeIssue("idcard.too_small"));
    reading.unusable_input = true;
    return reading;
  }
  if (TextSharpness(card, side) < kMinimumSharpness) {
    reading.issues.push_back(MakeIssue("idcard.blurred"));
    reading.unusable_input = true;
    return reading;
  }
  if (GlareShare(card, side) > kMaximumGlareShare)
    reading.issues.push_back(MakeIssue("idcard.glare"));

  const CalendarDate today = Today();
  FieldReadout readout = side == CardSide::kPortrait
                             ? ReadPortraitFields(card, *pool_, glyphs_.get())
                             : ReadEmblemFields(card, *pool_, glyphs_.get());
  reading.fields = std::move(readout.fields);
  reading.confidence = std::move(readout.confidence);
  reading.character_checks = std::move(readout.character_checks);
  IdCardFields& f = reading.fields;
  if (side == CardSide::kPortrait) {
    if (f.name.empty()) reading.issues.push_back(MakeIssue("idcard.name_unreadable", "name"));
    if (f.sex.empty()) reading.issues.push_back(MakeIssue("idcard.sex_unreadable", "sex"));
    if (f.ethnicity.empty())
      reading.issues.push_back(MakeIssue("idcard.ethnicity_unreadable", "ethnicity"));
    if (f.birth_date.empty())
      reading.issues.push_back(MakeIssue("idcard.birth_date_unreadable", "birth_date"));
    if (f.address.empty())
      reading.issues.push_back(MakeIssue("idcard.address_unreadable", "address"));
    if (f.id_number.size() != 18) {
      reading.issues.push_back(MakeIssue("idcard.number_unreadable", "id_number"));
    } else {
      auto facts = ValidateIdNumber(f.id_number, today);
      if (!facts.ok()) {
        reading.issues.push_back(MakeIssue(facts.error().code == "idnumber.check_digit"
                                               ? "idcard.number_check_digit"
                                               : "idcard.number_invalid",
                                           "id_number"));
      } else {
        if (!f.birth_date.empty() && f.birth_date != facts->birth_date.ToIso()) {
          reading.issues.push_back(MakeIssue("idcard.birth_date_mismatch", "birth_date"));
        }
        const std::string sex_in_number = facts->sex == Sex::kMale ? "男" : "女";
        if (!f.sex.empty() && f.sex != sex_in_number) {
          reading.issues.push_back(MakeIssue("idcard.sex_mismatch", "sex"));
        }
      }
    }
  } else {
    if (f.authority.empty())
      reading.issues.push_back(MakeIssue("idcard.authority_unreadable", "authority"));
    const auto from = ParseCalendarDate(f.valid_from);
    const auto to =
        f.valid_to == "长期" ? std::optional<CalendarDate>() : ParseCalendarDate(f.valid_to);
    if (!from || (f.valid_to != "长期" && (!to || *to <= *from))) {
      reading.issues.push_back(MakeIssue("idcard.validity_unreadable", "valid_to"));
    } else {
      if (*from > today) reading.issues.push_back(MakeIssue("idcard.not_yet_valid", "valid_from"));
      if (to && *to < today) reading.issues.push_back(MakeIssue("idcard.expired", "valid_to"));
    }
  }
  return reading;
}

}  // namespace examphoto
