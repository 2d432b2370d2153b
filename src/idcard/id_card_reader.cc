#include "idcard/id_card_reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <set>

#include "domain/id_number.h"
#include "domain/messages.h"
#include "domain/utf8.h"
#include "idcard/card_checks.h"
#include "idcard/card_fields.h"
#include "idcard/card_layout.h"
#include "idcard/card_rows.h"
#include "idcard/card_text.h"
#include "idcard/ctc_alignment.h"
#include "idcard/ethnic_groups.h"
#include "idcard/ocr_models.h"
#include "idcard/photo_checks.h"
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

// The photo is decoded with its long side near this (JPEG: DCT scaling); when its text boxes
// are lower than kSmallTextPx there, the lines are read from the full-resolution decode
// instead (the recogniser reads lines 48 px high). A 12 MP photo (4000 × 3000) is decoded at
// 5/8 (2500 px) in 42 ms on one core, more than in full (26 ms; libjpeg-turbo has no SIMD
// inverse DCT at 5/8). Half size (2000 px, 20 ms) was tried with kSmallTextPx at 26: 35 ms
// less per read, but 21 more addresses unsure on six sets (60 -> 81 of 640) and one card
// read as cut at a corner.
constexpr int kWorkingLongSide = 2048;
constexpr double kSmallTextPx = 32;
// When no card was found among the first boxes, the region detected again at full resolution
// reaches this share of the boxes' extent past them on each side (a card is at most about
// twice the extent of a few of its lines).
constexpr double kNoCardRegionMargin = 0.6;
// Labels found on a side whose text was found whole: four of the portrait side's six, all
// four of the emblem side's.
constexpr int kLabelsOfAWholePortraitSide = 4;
constexpr int kLabelsOfAWholeEmblemSide = 4;
// Text lines lower than this (boxes, in photo pixels at full resolution) are too small for
// a phone photo of a card held at a sensible distance; refused only if the fields are unsure.
constexpr double kTooSmallTextPx = 22;
// A card corner more than this far outside the photo (card millimetres) is cut off: placed
// by the label fit alone, or between two card edges found in the photo.
constexpr double kCornerOutsideMm = 3.0;
constexpr double kSeenCornerOutsideMm = 1.0;
// How far from where the label fit puts them the card's edges are looked for.
constexpr double kEdgeSearchMm = 12.0;
// Share of the text regions washed out to white that counts as glare.
constexpr double kMaximumGlareShare = 0.04;
// A photo whose text cannot be read is "blurred" when it shows something (contrast above
// kBlurredContrast grey levels) without a sharp edge anywhere (MeasureSharpness): heavy blur
// scored 0.05-0.095 on the tuning sets, readable photos and tiny cards 0.28 and more; a bare
// table scored 0.06 too, but with a contrast of 27-62.
constexpr double kBlurredSharpness = 0.15;
constexpr double kBlurredContrast = 100;
// Colourfulness of the card's coloured print (PrintColourfulness) below which the card is a
// black-and-white copy (chosen on the tuning sets, docs/performance/idcard.md).
constexpr double kPhotocopyColourfulness = 6.0;

// A screen showing the card: the median patch of the card at full resolution has this many
// isolated spectral peaks or more (ScreenGridPeaks; generated screens 6–19, ordinary
// captures 0–1 on the tuning sets). Patches of kScreenPatchPx around kScreenPatchesMm.
constexpr int kScreenGridPeaks = 4;
constexpr int kScreenPatchPx = 256;
constexpr std::array<std::array<float, 2>, 9> kScreenPatchesMm = {
    {{22, 15}, {43, 15}, {64, 15}, {22, 27}, {43, 27}, {64, 27}, {22, 39}, {43, 39}, {64, 39}}};

// The median ScreenGridPeaks over patches spread over the card, at full resolution (JPEG
// rows decoded for them alone when the working image is reduced); 0 when the card is too
// small at full resolution to hold the patches apart, or fewer than five fit in the photo.
int ScreenGridOnCard(std::span<const uint8_t> bytes, const imaging::DecodedImage& decoded,
                     const cv::Matx33d& card_to_photo) {
  const double to_full = 1.0 / decoded.scale;
  const double card_px = cv::norm(CardToPhoto(card_to_photo, {layout::kWidthMm, 0}) -
                                  CardToPhoto(card_to_photo, {0, 0})) *
                         to_full;
  if (card_px < 3.2 * kScreenPatchPx) return 0;
  std::vector<cv::Point> centres;
  for (const auto& [x_mm, y_mm] : kScreenPatchesMm) {
    const cv::Point2f p = CardToPhoto(card_to_photo, {x_mm, y_mm}) * static_cast<float>(to_full);
    centres.emplace_back(static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y)));
  }
  std::vector<cv::Mat> patches;
  if (decoded.scale >= 0.999) {
    const cv::Rect image(0, 0, decoded.bgr.cols, decoded.bgr.rows);
    for (const cv::Point& c : centres) {
      const cv::Rect area(c.x - kScreenPatchPx / 2, c.y - kScreenPatchPx / 2, kScreenPatchPx,
                          kScreenPatchPx);
      if ((area & image) == area) patches.push_back(decoded.bgr(area));
    }
  } else {
    auto decoded_patches = imaging::DecodePatches(bytes, centres, kScreenPatchPx);
    if (!decoded_patches.ok()) return 0;
    patches = std::move(*decoded_patches);
  }
  if (patches.size() < 5) return 0;
  std::vector<int> peaks(patches.size());
  std::transform(patches.begin(), patches.end(), peaks.begin(), ScreenGridPeaks);
  std::nth_element(peaks.begin(), peaks.begin() + static_cast<std::ptrdiff_t>(peaks.size() / 2),
                   peaks.end());
  return peaks[peaks.size() / 2];
}

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

// The entry of a closed list the field shows, by CTC alignment over the field's frames: the
// likeliest entry, its cost against the free reading (`deficit`) and its share of the
// likelihood of all entries (`posterior`: the list is closed, so a rare entry the
// recogniser reads poorly, such as 傈僳, still stands out from the others). A character the
// recogniser cannot output is aligned as what it reads there instead, where that is known;
// doubtful first characters dropped as the label's remnant are aligned too (么 of 仫佬).
std::optional<std::string> ClosestOf(const std::vector<TextLine>& lines, const FieldReading& field,
                                     std::span<const std::string_view> candidates,
                                     const CharacterSet& characters, double* deficit,
                                     double* posterior = nullptr) {
  const std::vector<FramePosteriors> frames =
      FieldFrames(lines, field, field.remnant_first_frame >= 0);
  if (frames.empty()) return std::nullopt;
  std::optional<std::string> best;
  double best_log = -1e300, best_deficit = 1e18;
  std::vector<double> logs;
  for (std::string_view candidate : candidates) {
    std::vector<int> labels;
    for (const std::string& character : SplitUtf8(candidate)) {
      auto index = characters.ClassOf(character);
      if (!index) index = characters.ClassOf(EthnicGroupCharacterStandIn(character));
      labels.push_back(index ? *index : kAnyCharacter);
    }
    const CtcAlignment a = AlignLabels(frames, 0, static_cast<int>(frames.size()), labels);
    if (!a.possible) continue;
    logs.push_back(a.log_probability);
    if (a.log_probability > best_log) {
      best_log = a.log_probability;
      best_deficit = a.Deficit();
      best = std::string(candidate);
    }
  }
  double total = 0;
  for (double l : logs) total += std::exp(l - best_log);
  *deficit = best_deficit;
  if (posterior) *posterior = total > 0 ? 1.0 / total : 0;
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

// How complete a portrait side's name and number are: a name without doubts, a number of
// 18 characters whose check character holds. 0..2; 0 for a layout of no portrait side.
int NameAndNumberComplete(const CardTextLayout& card) {
  if (card.side != CardSide::kPortrait) return 0;
  int complete = 0;
  const auto name = card.fields.find("name");
  complete += name != card.fields.end() && name->second.doubts.empty();
  const auto number = card.fields.find("id_number");
  complete += number != card.fields.end() && IdNumberCheckHolds(number->second.text);
  return complete;
}

// An address holds at least a province, a city or county and a street: fewer characters
// than 北京市东城区 and one more are not the whole of it.
constexpr size_t kShortestWholeAddress = 7;

// Whether the address read can be the whole of it: long enough, and skipping no row.
bool AddressLooksWhole(const CardTextLayout& card, const std::vector<TextLine>& lines) {
  const auto address = card.fields.find("address");
  return address != card.fields.end() &&
         SplitUtf8(address->second.text).size() >= kShortestWholeAddress &&
         !AddressMissesARow(card, lines);
}

// How complete the fields are that a side is read again for: on the portrait side the name,
// the number, and an address that looks whole (rows the first detection missed on a card
// turned sideways: blind9b 0037 kept only its last row; on cards turned a quarter whose two
// address rows lay close, the first detection found none of them, or a box across both that
// read 区: blind12a 0025, blind12b 0038 and 0048); on the emblem side the validity's
// two dates and the authority, found at all (its line can be missed at the first detection's
// size when the card is small in the photo, while the dates on their larger line are found).
// Up to kKeyFields; 0 for a layout of another side.
int KeyFieldsComplete(const CardTextLayout& card, const std::vector<TextLine>& lines,
                      CardSide side) {
  if (card.side != side) return 0;
  if (side == CardSide::kPortrait) {
    return NameAndNumberComplete(card) + (AddressLooksWhole(card, lines) ? 1 : 0);
  }
  int complete = 0;
  for (const char* key : {"valid_from", "valid_to"}) {
    const auto field = card.fields.find(key);
    complete +=
        field != card.fields.end() && !field->second.text.empty() && field->second.doubts.empty();
  }
  const auto authority = card.fields.find("authority");
  complete += authority != card.fields.end() && !authority->second.text.empty();
  return complete;
}

constexpr int kKeyFields = 3;  // of either side (KeyFieldsComplete)

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
  if (options.model_dir.empty()) {
    return MakeError(ErrorKind::kInternal, "models.load_failed",
                     "no OCR model folder given (models.ocr_model_dir)");
  }
  const OcrModelPaths paths = OcrModelPathsIn(options.model_dir);
  // The canvases every read uses (TextDetectorOptions), run once; the 960-px ones of the
  // rarer second passes are not (their first run costs about 0.1 s more).
  static constexpr int kDetectionSides[] = {TextDetectorOptions{}.max_side};
  auto detector = TextDetector::Load(
      engine, paths.detector, {},
      options.warm_up ? std::span<const int>(kDetectionSides) : std::span<const int>());
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
    reading.decode_error = error;
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
  auto boxes = DetectCardText(decoded->bgr, models_->detector);
  if (!boxes.ok()) return fail("idcard.ocr_unavailable");
  // Small text: read from the photo at full resolution (the boxes carry over), after
  // detecting again on the region holding the text there if it is small at detection too.
  if (decoded->scale < 0.999 && !boxes->empty() && MedianBoxHeight(*boxes) < kSmallTextPx) {
    auto full = imaging::DecodeImage(bytes);
    if (full.ok()) {
      const float up = static_cast<float>(1.0 / decoded->scale);
      for (DetectedText& box : *boxes) {
        for (cv::Point2f& p : box.corners) p *= up;
      }
      auto again = DetectSmallTextAgain(full->bgr, std::move(boxes.value()), models_->detector);
      if (!again.ok()) return fail("idcard.ocr_unavailable");
      boxes = std::move(again);
      decoded = std::move(full);
    }
  }
  auto text = RecognizeCardText(decoded->bgr, *boxes, recognizer);
  if (!text.ok()) return fail("idcard.ocr_unavailable");
  CardTextLayout card = LayOutCardText(text->lines, text->reading_direction);
  // No card in what was found: perhaps a small one, its text detected as a few blobs. Once
  // more on the region around them, at full resolution.
  if (!card.side && decoded->scale < 0.999 && !boxes->empty()) {
    auto full = imaging::DecodeImage(bytes);
    if (full.ok()) {
      const float up = static_cast<float>(1.0 / decoded->scale);
      for (DetectedText& box : *boxes) {
        for (cv::Point2f& p : box.corners) p *= up;
      }
      // The few boxes found may be one corner of the card (a small scan turned sideways:
      // the number and an address row, not the labels): the region reaches well past them.
      auto again = DetectSmallTextAgain(full->bgr, std::move(boxes.value()), models_->detector,
                                        true, kNoCardRegionMargin);
      if (!again.ok()) return fail("idcard.ocr_unavailable");
      auto text_again = RecognizeCardText(full->bgr, *again, recognizer);
      if (!text_again.ok()) return fail("idcard.ocr_unavailable");
      CardTextLayout card_again = LayOutCardText(text_again->lines, text_again->reading_direction);
      if (card_again.side) {
        decoded = std::move(full);
        text = std::move(text_again);
        card = std::move(card_again);
      }
    }
  }
  // A name or number left incomplete (part of its line not found at 640 px: 330106 of
  // 330106198104169270, 黄 of 黄雨), an address skipping a row, a validity period, or an
  // authority not found at all: once more on the text's region at up to 960 px. Where that
  // does not complete them and not all labels were found, the boxes may be a part of the card
  // (a small scan turned sideways: the number, the address and 出生 with the name's row
  // beyond them; the validity's line cut after its first date): then on a region reaching as
  // far as for no card.
  if (card.side) {
    const CardSide side = *card.side;
    // Taken when it completes them without losing another field.
    auto clean_fields = [](const CardTextLayout& layout) {
      return std::count_if(layout.fields.begin(), layout.fields.end(), [](const auto& field) {
        return !field.second.text.empty() && field.second.doubts.empty();
      });
    };
    const bool few_labels = side == CardSide::kPortrait
                                ? card.portrait_labels < kLabelsOfAWholePortraitSide
                                : card.emblem_labels < kLabelsOfAWholeEmblemSide;
    for (const double margin : {kSmallTextRegionMargin, kNoCardRegionMargin}) {
      if (KeyFieldsComplete(card, text->lines, side) == kKeyFields ||
          (margin == kNoCardRegionMargin && !few_labels)) {
        break;
      }
      auto again = DetectSmallTextAgain(decoded->bgr, *boxes, models_->detector, true, margin);
      if (!again.ok()) return fail("idcard.ocr_unavailable");
      auto text_again = RecognizeCardText(decoded->bgr, *again, recognizer);
      if (!text_again.ok()) return fail("idcard.ocr_unavailable");
      CardTextLayout card_again = LayOutCardText(text_again->lines, text_again->reading_direction);
      if (KeyFieldsComplete(card_again, text_again->lines, side) >
              KeyFieldsComplete(card, text->lines, side) &&
          clean_fields(card_again) >= clean_fields(card)) {
        text = std::move(text_again);
        card = std::move(card_again);
      }
    }
  }
  if (card.side == CardSide::kPortrait) {
    if (auto split = SplitJoinedRows(decoded->bgr, text->lines, recognizer)) {
      CardTextLayout card_again = LayOutCardText(*split, text->reading_direction);
      const FieldReading& before = card.fields["address"];
      const FieldReading& after = card_again.fields["address"];
      if (card_again.side == card.side && after.text.size() > before.text.size() &&
          after.confidence >= before.confidence &&
          NameAndNumberComplete(card_again) >= NameAndNumberComplete(card)) {
        text->lines = std::move(*split);
        card = std::move(card_again);
      }
    }
  }
  if (auto row = ReadMissedAddressRow(decoded->bgr, card, text->lines, recognizer)) {
    std::vector<TextLine> with_row = text->lines;
    with_row.push_back(std::move(*row));
    CardTextLayout card_again = LayOutCardText(with_row, text->reading_direction);
    const std::string& before = card.fields["address"].text;
    const std::string& after = card_again.fields["address"].text;
    if (after.size() > before.size() && after.starts_with(before)) {
      text->lines = std::move(with_row);
      card = std::move(card_again);
    }
  }
  if (auto whole =
          ReadNameRowWhole(decoded->bgr, card, text->lines, recognizer, options_.sure_confidence)) {
    CardTextLayout card_again = LayOutCardText(*whole, text->reading_direction);
    const FieldReading& before = card.fields["name"];
    const FieldReading& after = card_again.fields["name"];
    if (card_again.side == card.side && after.doubts.empty() &&
        after.text.size() > before.text.size() && after.text.ends_with(before.text)) {
      text->lines = std::move(*whole);
      card = std::move(card_again);
    }
  }
  if (auto whole = ReadNumberRowWhole(decoded->bgr, card, text->lines, recognizer)) {
    CardTextLayout card_again = LayOutCardText(*whole, text->reading_direction);
    // Taken when it completes the number and every other field reads as before.
    const bool others_kept =
        std::all_of(card.fields.begin(), card.fields.end(), [&](const auto& field) {
          const auto again = card_again.fields.find(field.first);
          return field.first == "id_number" ||
                 (again != card_again.fields.end() && again->second.text == field.second.text);
        });
    if (card_again.side == card.side && others_kept &&
        NameAndNumberComplete(card_again) > NameAndNumberComplete(card)) {
      text->lines = std::move(*whole);
      card = std::move(card_again);
    }
  }
  const cv::Mat& photo = decoded->bgr;
  const std::vector<TextLine>& lines = text->lines;
  reading.text_height_px = card.text_height_px / decoded->scale;
  if (!card.side) {
    const PhotoSharpness sharpness = MeasureSharpness(photo);
    if (sharpness.sharpness < kBlurredSharpness && sharpness.contrast >= kBlurredContrast) {
      return fail("idcard.blurred");
    }
    if (!lines.empty() && reading.text_height_px < kTooSmallTextPx) return fail("idcard.too_small");
    return fail("idcard.not_found");
  }
  const CardSide side = *card.side;
  reading.side = side;

  // The card's outline from the labels: corners inside the photo, the straightened card.
  bool outline_from_edges = false;  // the card's four corners placed from its edges
  if (card.card_to_photo) {
    cv::Matx33d to_photo = *card.card_to_photo;
    const std::array<cv::Point2f, 4> corners_mm = {
        cv::Point2f(0, 0), cv::Point2f(static_cast<float>(layout::kWidthMm), 0),
        cv::Point2f(static_cast<float>(layout::kWidthMm), static_cast<float>(layout::kHeightMm)),
        cv::Point2f(0, static_cast<float>(layout::kHeightMm))};
    const double px_per_mm =
        cv::norm(CardToPhoto(to_photo, corners_mm[1]) - CardToPhoto(to_photo, corners_mm[0])) /
        layout::kWidthMm;
    // The label fit can be millimetres off at the far corners (perspective): the card's own
    // edges, where the photo shows them, place the corners.
    std::array<cv::Point2f, 4> predicted;
    for (int i = 0; i < 4; ++i) predicted[i] = CardToPhoto(to_photo, corners_mm[i]);
    int sides_found = 0, corners_placed = 0;
    const std::array<cv::Point2f, 4> corners = SnapCornersToEdges(
        photo, predicted, kEdgeSearchMm * px_per_mm, &sides_found, &corners_placed);
    if (corners_placed == 4) {
      to_photo = cv::Matx33d(cv::getPerspectiveTransform(corners_mm.data(), corners.data()));
      card.card_to_photo = to_photo;
      outline_from_edges = true;
    }
    // A corner between two sides seen in the photo is placed within a millimetre or so; one
    // known only from the labels, within a few.
    const double allowed = (sides_found == 4 ? kSeenCornerOutsideMm : kCornerOutsideMm) * px_per_mm;
    double outside_px = -1e9;
    for (const cv::Point2f& p : corners) {
      outside_px = std::max({outside_px, static_cast<double>(-p.x), static_cast<double>(-p.y),
                             p.x - (photo.cols - 1.0), p.y - (photo.rows - 1.0)});
    }
    reading.corner_outside_mm = outside_px / px_per_mm;
    const bool cut = outside_px > allowed;
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
    // Only a fit on labels spread over the card places its corners well enough to say.
    const int labels = side == CardSide::kPortrait ? card.portrait_labels : card.emblem_labels;
    if (cut &&
        ((card.anchors >= 6 && card.fit_error_mm < 1.5 && labels >= 4) || sides_found == 4)) {
      reading.issues.push_back(MakeIssue("idcard.corner_cut"));
      reading.unusable_input = true;
      return reading;
    }
    if (GlareShare(straightened, side) > kMaximumGlareShare) {
      reading.issues.push_back(MakeIssue("idcard.glare"));
    }
    const std::optional<double> colourfulness = PrintColourfulness(straightened, side);
    reading.print_colourfulness = colourfulness.value_or(-1);
    if (colourfulness && *colourfulness < kPhotocopyColourfulness) {
      reading.issues.push_back(MakeIssue("idcard.photocopy"));
    }
    reading.screen_grid_peaks = ScreenGridOnCard(bytes, *decoded, to_photo);
    if (reading.screen_grid_peaks >= kScreenGridPeaks) {
      reading.issues.push_back(MakeIssue("idcard.screen"));
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
    double deficit = 0, posterior = 0;
    auto closest = ClosestOf(lines, field, candidates, characters, &deficit, &posterior);
    // Close to what was read, or far ahead of every other entry of the list.
    if (!closest ||
        (deficit > options_.registration.match_deficit && posterior < options_.sure_confidence)) {
      return;
    }
    field.text = *closest;
    field.doubts.clear();
    field.confidence = posterior;
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
    if (AddressMissesARow(card, lines)) doubts.push_back({"address", "idcard.address_unsure"});
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
    for (FieldDoubt& doubt : CheckAuthority(f.authority)) doubts.push_back(std::move(doubt));
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
    card.fields[doubt.field].doubts.push_back(doubt.code);
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
  // Nothing read for sure on a photo without a sharp edge (large print such as the emblem
  // side's title survives heavy blur): the photo is blurred, whatever else was found.
  const bool none_sure = std::none_of(side_fields.begin(), side_fields.end(),
                                      [&](const std::string& n) { return reading.sure[n]; });
  if (none_sure) {
    const PhotoSharpness sharpness = MeasureSharpness(photo);
    if (sharpness.sharpness < kBlurredSharpness && sharpness.contrast >= kBlurredContrast) {
      reading.issues.insert(reading.issues.begin(), MakeIssue("idcard.blurred"));
      reading.unusable_input = true;
      return reading;
    }
  }
  // Does the card belong to the registered candidate? Where the name or number line supports
  // the registered value, that value is shown: it may hold a character the recogniser cannot
  // output (翀 read 独), and the line agrees with it where it can be read.
  if (registration && side == CardSide::kPortrait) {
    const std::optional<NameRow> name_row = FindNameRow(photo, card, lines, outline_from_edges);
    for (const std::string name : {"name", "id_number"}) {
      const bool is_name = name == "name";
      const std::string& registered = is_name ? registration->name : registration->id_number;
      RegistrationVerdict verdict = CheckAgainstRegistration(lines, card.fields[name], registered,
                                                             characters, options_.registration);
      if (is_name) {
        verdict.agreement =
            CheckNameAgain(photo, name_row, card.fields[name], NormalisedRegistered(registered),
                           verdict, recognizer, options_.sure_confidence);
      }
      RegistrationComparison& comparison = reading.registration[name];
      comparison = {std::string(ToString(verdict.agreement)), verdict.deficit,
                    verdict.unverifiable_characters, FieldValue(f, name)};
      const std::string value = NormalisedRegistered(registered);
      if (verdict.agreement == Agreement::kMatch &&
          (!reading.sure[name] || value != FieldValue(f, name))) {
        (is_name ? f.name : f.id_number) = value;
        reading.sure[name] = true;
        reading.confidence[name] = std::max(reading.confidence[name], options_.sure_confidence);
        std::erase_if(reading.issues,
                      [&](const IdCardIssue& issue) { return issue.field == name; });
      } else if (verdict.agreement == Agreement::kUnsure && reading.sure[name]) {
        reading.issues.push_back(MakeIssue("idcard.registration_unsure", name));
      }
    }
  }
  // Small text that could not all be read: the photo was taken from too far.
  const bool any_unsure = std::any_of(side_fields.begin(), side_fields.end(),
                                      [&](const std::string& n) { return !reading.sure[n]; });
  if (any_unsure && reading.text_height_px < kTooSmallTextPx) {
    reading.issues.insert(reading.issues.begin(), MakeIssue("idcard.too_small"));
  }

  return reading;
}

}  // namespace examphoto
