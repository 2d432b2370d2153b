#include "idcard/id_card_reader.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <set>

#include "domain/messages.h"
#include "domain/utf8.h"
#include "idcard/card_checks.h"
#include "idcard/card_fields.h"
#include "idcard/card_layout.h"
#include "idcard/card_text.h"
#include "idcard/ctc_alignment.h"
#include "idcard/ethnic_groups.h"
#include "idcard/ocr_models.h"
#include "idcard/region_codes.h"
#include "idcard/text_detector.h"
#include "idcard/text_recognizer.h"
#include "imaging/image_decoder.h"
#include "imaging/jpeg_encoder.h"

namespace examphoto {

struct IdCardReader::Models {
  TextDetector detector;
  TextRecognizer recognizer;
};

namespace {

namespace layout = card_layout;

// The photo is decoded with its long side near this (JPEG: DCT scaling, cheap); lines lower
// than kSmallTextPx there are read again from the full-resolution decode.
constexpr int kWorkingLongSide = 2048;
constexpr double kSmallTextPx = 36;
// Text lines lower than this (boxes, in photo pixels at full resolution) are too small for
// a phone photo of a card held at a sensible distance; refused only if the fields are unsure.
constexpr double kTooSmallTextPx = 22;
// A card corner more than this far outside the photo (card millimetres) is cut off.
constexpr double kCornerOutsideMm = 3.0;
// Share of the text regions washed out to white that counts as glare.
constexpr double kMaximumGlareShare = 0.04;
// Sharpness (see PhotoSharpness) below which a photo without readable text is "blurred".
constexpr double kBlurredSharpness = 0.05;

IdCardIssue MakeIssue(std::string_view code, std::string field = {}) {
  const CatalogueEntry& entry = LookupMessage(code);
  return {std::string(code), entry.message, entry.hint, std::move(field)};
}

std::string UnsureCode(const std::string& field) {
  if (field == "id_number") return "idcard.number_unsure";
  if (field == "valid_from" || field == "valid_to") return "idcard.validity_unsure";
  return "idcard." + field + "_unsure";
}

std::string MissingCode(const std::string& field) {
  if (field == "id_number") return "idcard.number_unreadable";
  if (field == "valid_from" || field == "valid_to") return "idcard.validity_unreadable";
  return "idcard." + field + "_unreadable";
}

// Sharpest edges relative to contrast on a reduced grey copy: print that can be read has
// steep edges; a photo blurred past reading has none anywhere.
double PhotoSharpness(const cv::Mat& bgr) {
  cv::Mat gray;
  const double scale = 1024.0 / std::max(bgr.cols, bgr.rows);
  cv::resize(bgr, gray, {}, scale, scale, cv::INTER_AREA);
  cv::cvtColor(gray, gray, cv::COLOR_BGR2GRAY);
  cv::Mat gx, gy, magnitude;
  cv::Sobel(gray, gx, CV_32F, 1, 0, 3);
  cv::Sobel(gray, gy, CV_32F, 0, 1, 3);
  cv::magnitude(gx, gy, magnitude);
  std::vector<float> values(magnitude.begin<float>(), magnitude.end<float>());
  const size_t k = values.size() * 998 / 1000;
  std::nth_element(values.begin(), values.begin() + k, values.end());
  double dark = 0, light = 0;
  cv::minMaxLoc(gray, &dark, &light);
  return values[k] / std::max(20.0, light - dark) / 8.0;
}

// Share of the card's text area washed out to white: saturated pixels that stay saturated
// over a patch the size of a character (print would break such a patch up).
double GlareShare(const cv::Mat& card, CardSide side) {
  std::vector<cv::Mat> channels;
  cv::split(card, channels);
  cv::Mat lowest = cv::min(cv::min(channels[0], channels[1]), channels[2]);
  cv::Mat saturated = lowest >= 245;
  const int k = std::max(3, static_cast<int>(card.cols / layout::kWidthMm * 2.5)) | 1;
  cv::morphologyEx(saturated, saturated, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_ELLIPSE, {k, k}));
  const double sx = card.cols / layout::kWidthMm, sy = card.rows / layout::kHeightMm;
  const layout::RectMm text =
      side == CardSide::kPortrait ? layout::RectMm{4, 4, 50, 47} : layout::RectMm{14, 36, 70, 16};
  const cv::Rect r =
      cv::Rect(static_cast<int>(text.x * sx), static_cast<int>(text.y * sy),
               static_cast<int>(text.width * sx), static_cast<int>(text.height * sy)) &
      cv::Rect(0, 0, card.cols, card.rows);
  return r.area() > 0 ? cv::countNonZero(saturated(r)) / static_cast<double>(r.area()) : 0;
}

// The closest entry of a closed list to a field, by CTC alignment over the field's frames.
std::optional<std::string> ClosestOf(const std::vector<TextLine>& lines, const FieldReading& field,
                                     std::span<const std::string_view> candidates,
                                     const CharacterSet& characters, double* deficit) {
  std::vector<FramePosteriors> frames;
  for (const FieldSource& source : field.sources) {
    const TextLine& line = lines.at(source.line);
    for (int t = source.first_frame;
         t < source.end_frame && t < static_cast<int>(line.frames.size()); ++t) {
      frames.push_back(line.frames[t]);
    }
  }
  if (frames.empty()) return std::nullopt;
  std::optional<std::string> best;
  double best_deficit = 1e18;
  for (std::string_view candidate : candidates) {
    const std::vector<int> labels = LabelsOf(candidate, characters);
    const CtcAlignment a = AlignLabels(frames, 0, static_cast<int>(frames.size()), labels);
    if (a.possible && a.Deficit() < best_deficit) {
      best_deficit = a.Deficit();
      best = std::string(candidate);
    }
  }
  *deficit = best_deficit;
  return best;
}

// The address names a county of the city the number names, one character away from the
// number's own county (洪山区 read as 青山区): the recogniser's output on the address decides
// between the two. People move, so the number alone never changes a reading.
void PreferTheNumbersCounty(const std::vector<TextLine>& lines, const FieldReading& field,
                            PortraitFacts& facts, const CharacterSet& characters) {
  const RegionTable& table = RegionTable::Builtin();
  if (facts.id_number.size() != 18 || facts.address.empty()) return;
  const auto region = table.MatchAddress(facts.address);
  const std::string number_county = facts.id_number.substr(0, 6);
  if (!region || region->level != 3 || region->code == number_county ||
      region->code.compare(0, 4, number_county, 0, 4) != 0) {
    return;
  }
  const auto read_name = table.Name(region->code);
  const auto number_name = table.Name(number_county);
  if (!read_name || !number_name) return;
  const auto a = SplitUtf8(*read_name), b = SplitUtf8(*number_name);
  if (a.size() != b.size()) return;
  int differing = 0;
  for (size_t i = 0; i < a.size(); ++i) differing += a[i] != b[i];
  if (differing != 1) return;
  const size_t at = facts.address.find(*read_name);
  if (at == std::string::npos) return;
  std::string alternative = facts.address;
  alternative.replace(at, read_name->size(), *number_name);
  const std::string_view candidates[] = {facts.address, alternative};
  double deficit = 0;
  auto closest = ClosestOf(lines, field, candidates, characters, &deficit);
  if (closest && *closest == alternative) facts.address = alternative;
}

cv::Rect2f FieldBox(const std::vector<TextLine>& lines, const FieldReading& field,
                    const cv::Matx33d& photo_to_card) {
  std::vector<cv::Point2f> points;
  for (const FieldSource& source : field.sources) {
    const TextLine& line = lines[source.line];
    const cv::Point2f up = (line.quad[0] - line.quad[3]) * 0.5f;
    for (int i = source.first_char; i < source.end_char; ++i) {
      const cv::Point2f c = line.CharacterCenter(line.characters[i]);
      points.push_back(CardToPhoto(photo_to_card, c + up * 0.8f));
      points.push_back(CardToPhoto(photo_to_card, c - up * 0.8f));
    }
  }
  if (points.empty()) return {};
  cv::Rect2f box = cv::boundingRect(points);
  const float pad = 1.2f;  // millimetres around the characters' centres
  box = cv::Rect2f(box.x - pad, box.y, box.width + 2 * pad, box.height);
  box &=
      cv::Rect2f(0, 0, static_cast<float>(layout::kWidthMm), static_cast<float>(layout::kHeightMm));
  return {box.x / static_cast<float>(layout::kWidthMm),
          box.y / static_cast<float>(layout::kHeightMm),
          box.width / static_cast<float>(layout::kWidthMm),
          box.height / static_cast<float>(layout::kHeightMm)};
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

Result<IdCardReader> IdCardReader::Load(const InferenceEngine& engine,
                                        const IdCardReaderOptions& options) {
  const OcrModelPaths paths =
      OcrModelPathsIn(options.model_dir.empty() ? DefaultOcrModelDir() : options.model_dir);
  auto detector = TextDetector::Load(engine, paths.detector);
  if (!detector.ok()) return detector.error();
  auto recognizer = TextRecognizer::Load(engine, {paths.recognizer, paths.keys, paths.orientation},
                                         options.warm_up);
  if (!recognizer.ok()) return recognizer.error();
  if (RegionTable::Builtin().size() == 0) {
    return MakeError(ErrorKind::kInternal, "models.load_failed", "no region table compiled in");
  }
  return IdCardReader(options, std::make_unique<Models>(Models{std::move(detector.value()),
                                                               std::move(recognizer.value())}));
}

IdCardReader::IdCardReader(IdCardReaderOptions options, std::unique_ptr<Models> models)
    : options_(std::move(options)), models_(std::move(models)) {}
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
                                 std::optional<CardSide> expected_side,
                                 const std::optional<RegisteredIdentity>& registration) const {
  IdCardReading reading;
  imaging::DecodeOptions decode_options;
  decode_options.target_long_side = kWorkingLongSide;
  auto decoded = imaging::DecodeImage(bytes, decode_options);
  if (!decoded.ok()) {
    const Error& error = decoded.error();
    reading.issues.push_back({error.code, error.message, error.hint, {}});
    reading.unusable_input = true;
    return reading;
  }
  if (NamesEditingSoftware(decoded->exif.software)) {
    reading.issues.push_back(MakeIssue("idcard.edited"));
  }
  auto fail = [&](std::string_view code) {
    reading.issues.push_back(MakeIssue(code));
    reading.unusable_input = true;
    return reading;
  };
  const TextRecognizer& recognizer = models_->recognizer;
  auto text = ReadCardText(decoded->bgr, models_->detector, recognizer);
  if (!text.ok()) return fail("idcard.ocr_unavailable");
  CardTextLayout card = LayOutCardText(text->lines, text->reading_direction);
  // Small text: read again from the photo at full resolution.
  if (decoded->scale < 0.999 && (!card.side || card.text_height_px < kSmallTextPx)) {
    auto full = imaging::DecodeImage(bytes);
    if (full.ok()) {
      auto again = ReadCardText(full->bgr, models_->detector, recognizer);
      if (again.ok()) {
        CardTextLayout card_again = LayOutCardText(again->lines, again->reading_direction);
        if (card_again.side || !card.side) {
          decoded = std::move(full);
          text = std::move(again);
          card = std::move(card_again);
        }
      }
    }
  }
  const cv::Mat& photo = decoded->bgr;
  const std::vector<TextLine>& lines = text->lines;
  reading.text_height_px = card.text_height_px / decoded->scale;
  if (!card.side) {
    if (PhotoSharpness(photo) < kBlurredSharpness) return fail("idcard.blurred");
    if (!lines.empty() && reading.text_height_px < kTooSmallTextPx) return fail("idcard.too_small");
    return fail("idcard.not_found");
  }
  const CardSide side = *card.side;
  reading.side = side;

  // The card's outline from the labels: corners inside the photo, the straightened card.
  if (card.card_to_photo) {
    const cv::Matx33d& to_photo = *card.card_to_photo;
    const cv::Point2f corners_mm[4] = {
        {0, 0},
        {static_cast<float>(layout::kWidthMm), 0},
        {static_cast<float>(layout::kWidthMm), static_cast<float>(layout::kHeightMm)},
        {0, static_cast<float>(layout::kHeightMm)}};
    const double px_per_mm =
        cv::norm(CardToPhoto(to_photo, corners_mm[1]) - CardToPhoto(to_photo, corners_mm[0])) /
        layout::kWidthMm;
    const double allowed = kCornerOutsideMm * px_per_mm;
    bool cut = false;
    for (const cv::Point2f& corner_mm : corners_mm) {
      const cv::Point2f p = CardToPhoto(to_photo, corner_mm);
      cut |= p.x < -allowed || p.y < -allowed || p.x > photo.cols - 1 + allowed ||
             p.y > photo.rows - 1 + allowed;
    }
    const double ppm = options_.canonical_pixels_per_mm;
    const cv::Matx33d card_pixels_to_mm(1 / ppm, 0, 0, 0, 1 / ppm, 0, 0, 0, 1);
    cv::Mat straightened;
    cv::warpPerspective(photo, straightened, cv::Mat(to_photo * card_pixels_to_mm),
                        {static_cast<int>(std::lround(layout::kWidthMm * ppm)),
                         static_cast<int>(std::lround(layout::kHeightMm * ppm))},
                        cv::INTER_AREA | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
    const std::string jpeg = imaging::EncodeJpeg(straightened, 90);
    reading.canonical_card_jpeg.assign(jpeg.begin(), jpeg.end());
    if (side == CardSide::kPortrait) {
      const cv::Rect photo_area(static_cast<int>((layout::kPhoto.x - 2) * ppm),
                                static_cast<int>((layout::kPhoto.y - 1) * ppm),
                                static_cast<int>((layout::kPhoto.width + 4) * ppm),
                                static_cast<int>((layout::kPhoto.height + 2) * ppm));
      reading.portrait =
          straightened(photo_area & cv::Rect(0, 0, straightened.cols, straightened.rows)).clone();
    }
    const cv::Matx33d to_card = to_photo.inv();
    for (const auto& [name, field] : card.fields) {
      const cv::Rect2f box = FieldBox(lines, field, to_card);
      if (box.area() > 0) reading.field_boxes[name] = box;
    }
    if (cut && card.anchors >= 6 && card.fit_error_mm < 1.5) {
      reading.issues.push_back(MakeIssue("idcard.corner_cut"));
      reading.unusable_input = true;
      return reading;
    }
    if (GlareShare(straightened, side) > kMaximumGlareShare) {
      reading.issues.push_back(MakeIssue("idcard.glare"));
    }
  }

  if (expected_side && *expected_side != side) {
    reading.issues.push_back(MakeIssue(*expected_side == CardSide::kPortrait
                                           ? "idcard.wrong_side_portrait_expected"
                                           : "idcard.wrong_side_emblem_expected"));
    return reading;
  }

  // Closed lists: 男/女 and the 56 groups, by alignment when the free reading is neither.
  const CharacterSet& characters = recognizer.characters();
  auto snap = [&](const char* name, std::span<const std::string_view> candidates) {
    auto it = card.fields.find(name);
    if (it == card.fields.end() || it->second.sources.empty()) return;
    FieldReading& field = it->second;
    if (std::find(candidates.begin(), candidates.end(), field.text) != candidates.end()) return;
    double deficit = 0;
    auto closest = ClosestOf(lines, field, candidates, characters, &deficit);
    if (!closest || deficit > options_.registration.match_deficit) return;
    field.text = *closest;
    field.doubts.clear();
    field.confidence = std::min(field.confidence, std::exp(-deficit));
  };
  static constexpr std::string_view kSexes[] = {"男", "女"};
  snap("sex", kSexes);
  snap("ethnicity", EthnicGroupNames());

  const CalendarDate today = Today();
  std::vector<FieldDoubt> doubts;
  auto value = [&](const char* name) {
    auto it = card.fields.find(name);
    return it == card.fields.end() ? std::string() : it->second.text;
  };
  IdCardFields& f = reading.fields;
  if (side == CardSide::kPortrait) {
    PortraitFacts facts{value("name"),       value("sex"),     value("ethnicity"),
                        value("birth_date"), value("address"), value("id_number")};
    doubts = CheckPortraitFields(facts, RegionTable::Builtin(), today);
    PreferTheNumbersCounty(lines, card.fields["address"], facts, characters);
    f.name = facts.name;
    f.sex = facts.sex;
    f.ethnicity = facts.ethnicity;
    f.birth_date = facts.birth_date;
    f.address = facts.address;
    f.id_number = facts.id_number;
  } else {
    f.authority = value("authority");
    f.valid_from = value("valid_from");
    f.valid_to = value("valid_to");
    std::optional<CalendarDate> birth;
    if (registration) {
      if (auto facts = ValidateIdNumber(registration->id_number, today); facts.ok()) {
        birth = facts->birth_date;
      }
    }
    doubts = CheckEmblemFields(f.valid_from, f.valid_to, birth, today);
  }

  // Sure or not, field by field; each unsure field is an issue naming it.
  const std::vector<std::string> side_fields =
      side == CardSide::kPortrait ? std::vector<std::string>{"name",       "sex",     "ethnicity",
                                                             "birth_date", "address", "id_number"}
                                  : std::vector<std::string>{"authority", "valid_from", "valid_to"};
  std::set<std::string> reported;
  for (const FieldDoubt& doubt : doubts) {
    if (doubt.code == "idcard.expired" || doubt.code == "idcard.not_yet_valid") {
      reading.issues.push_back(MakeIssue(doubt.code, doubt.field));
      continue;
    }
    if (reported.insert(doubt.code).second)
      reading.issues.push_back(MakeIssue(doubt.code, doubt.field));
    card.fields[doubt.field].confidence = std::min(card.fields[doubt.field].confidence, 0.3);
    reading.sure[doubt.field] = false;
  }
  for (const std::string& name : side_fields) {
    const FieldReading& field = card.fields[name];
    const std::string& text = FieldValue(f, name);
    if (!text.empty()) reading.confidence[name] = field.confidence;
    const bool sure = !text.empty() && field.doubts.empty() &&
                      field.confidence >= options_.sure_confidence && reading.sure.count(name) == 0;
    reading.sure[name] = sure;
    if (sure) continue;
    const std::string code = text.empty() ? MissingCode(name) : UnsureCode(name);
    if (reported.insert(code).second) reading.issues.push_back(MakeIssue(code, name));
  }
  // Small text that could not all be read: the photo was taken from too far.
  const bool any_unsure = std::any_of(side_fields.begin(), side_fields.end(),
                                      [&](const std::string& n) { return !reading.sure[n]; });
  if (any_unsure && reading.text_height_px < kTooSmallTextPx) {
    reading.issues.insert(reading.issues.begin(), MakeIssue("idcard.too_small"));
  }

  if (registration && side == CardSide::kPortrait) {
    for (const char* name : {"name", "id_number"}) {
      const std::string& registered =
          name == std::string("name") ? registration->name : registration->id_number;
      const RegistrationVerdict verdict = CheckAgainstRegistration(
          lines, card.fields[name], registered, characters, options_.registration);
      reading.registration[name] = {std::string(ToString(verdict.agreement)), verdict.deficit,
                                    verdict.unverifiable_characters};
      if (verdict.agreement == Agreement::kUnsure && reading.sure[name]) {
        reading.issues.push_back(MakeIssue("idcard.registration_unsure", name));
      }
    }
  }
  return reading;
}

}  // namespace examphoto
