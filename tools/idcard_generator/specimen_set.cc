#include "specimen_set.h"

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <random>

#include "capture_simulator.h"
#include "card_renderer.h"
#include "specimen_identity.h"

#ifndef EXAMPHOTO_SOURCE_DIR
#define EXAMPHOTO_SOURCE_DIR "."
#endif

namespace examphoto::testing {
namespace {

namespace fs = std::filesystem;

void PutLittle16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v & 0xFF));
  out.push_back(static_cast<char>(v >> 8));
}

void PutLittle32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// A minimal EXIF APP1 segment with IFD0 Make, Model and (optionally) Software, so that
// captures look like phone photos and "edited" captures name an editing program.
std::string ExifSegment(const std::string& make, const std::string& model,
                        const std::string& software) {
  std::vector<std::pair<uint16_t, std::string>> entries = {{0x010F, make}, {0x0110, model}};
  if (!software.empty()) entries.push_back({0x0131, software});
  std::string tiff = "II";
  PutLittle16(tiff, 42);
  PutLittle32(tiff, 8);
  PutLittle16(tiff, static_cast<uint16_t>(entries.size()));
  uint32_t data_offset = 8 + 2 + 12 * entries.size() + 4;
  std::string data;
  for (const auto& [tag, text] : entries) {
    PutLittle16(tiff, tag);
    PutLittle16(tiff, 2);  // ASCII
    PutLittle32(tiff, static_cast<uint32_t>(text.size() + 1));
    PutLittle32(tiff, data_offset + static_cast<uint32_t>(data.size()));
    data += text;
    data.push_back('\0');
  }
  PutLittle32(tiff, 0);
  tiff += data;
  std::string segment = "\xFF\xE1";
  const uint16_t length = static_cast<uint16_t>(2 + 6 + tiff.size());
  segment.push_back(static_cast<char>(length >> 8));
  segment.push_back(static_cast<char>(length & 0xFF));
  segment += std::string("Exif\0\0", 6);
  segment += tiff;
  return segment;
}

std::string DashDate(const CalendarDate& date) { return date.ToIso(); }

boost::json::object FieldsJson(const SpecimenIdentity& identity) {
  boost::json::object fields;
  fields["name"] = identity.name;
  fields["sex"] = identity.sex == Sex::kMale ? "男" : "女";
  fields["ethnicity"] = identity.ethnicity;
  fields["birth_date"] = DashDate(identity.birth_date);
  fields["address"] = identity.address;
  fields["id_number"] = identity.id_number;
  fields["authority"] = identity.authority;
  fields["valid_from"] = DashDate(identity.valid_from);
  fields["valid_to"] = identity.valid_to ? DashDate(*identity.valid_to) : std::string("长期");
  return fields;
}

}  // namespace

std::string DefaultFaceDirectory() {
  return std::string(EXAMPHOTO_SOURCE_DIR) + "/deps/models/node_modules/@vladmandic/face-api/demo";
}

std::vector<SpecimenFile> WriteSpecimenSet(const SpecimenSetOptions& options, std::string* error) {
  std::vector<SpecimenFile> written;
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) {
    *error = "cannot create " + options.out_dir + ": " + ec.message();
    return written;
  }
  std::vector<std::string> faces;
  const std::string face_dir = options.face_dir.empty() ? DefaultFaceDirectory() : options.face_dir;
  for (int i = 1; i <= 6; ++i) {
    const std::string path = face_dir + "/sample" + std::to_string(i) + ".jpg";
    if (fs::exists(path)) faces.push_back(path);
  }
  auto renderer = CardRenderer::Create(options.font_dir, faces, options.face_cascade);
  std::optional<IdNumberFacts> fixed_number;
  if (options.id_number) {
    auto facts = ValidateIdNumber(*options.id_number, options.today);
    if (!facts.ok()) {
      *error = "invalid --id-number: " + facts.error().code;
      return written;
    }
    fixed_number = facts.value();
  }

  std::mt19937 rng(options.seed);
  // The hard cases in turn; "edited" and "expired" are ordinary photos of such cards.
  const std::vector<CaptureCase> hard = {
      CaptureCase::kCornerOut, CaptureCase::kHeavyBlur, CaptureCase::kGlare,  CaptureCase::kSmall,
      CaptureCase::kNoCard,    CaptureCase::kNormal,    CaptureCase::kNormal, CaptureCase::kTiny,
      CaptureCase::kPhotocopy, CaptureCase::kScreen};
  for (int index = 0; index < options.count; ++index) {
    const int hard_kind = index % static_cast<int>(hard.size());
    const bool edited = options.hard_cases && hard_kind == 5;
    const bool expired = options.hard_cases && hard_kind == 6;
    SpecimenIdentity identity =
        MakeRandomIdentity(rng, options.today, expired,
                           fixed_number ? std::optional(fixed_number->birth_date) : std::nullopt);
    if (options.name) identity.name = *options.name;
    if (options.ethnicity) identity.ethnicity = *options.ethnicity;
    if (options.address) identity.address = *options.address;
    if (fixed_number) {
      identity.id_number = fixed_number->normalized;
      identity.birth_date = fixed_number->birth_date;
      identity.sex = fixed_number->sex;
    }
    std::vector<std::string> sides;
    if (options.portrait_side) sides.push_back("portrait");
    if (options.emblem_side) sides.push_back("emblem");
    if (options.hard_cases && sides.size() == 2) {
      // One side per hard case; the expired card is only visible on the emblem side.
      sides = {expired || std::uniform_int_distribution<int>(0, 1)(rng) ? "emblem" : "portrait"};
    }
    for (const std::string& side : sides) {
      const CaptureCase capture_case = options.clean        ? CaptureCase::kClean
                                       : options.hard_cases ? hard[hard_kind]
                                       : options.harsh      ? CaptureCase::kHarsh
                                                            : CaptureCase::kNormal;
      const RenderedCard card = side == "portrait" ? renderer->RenderPortraitSide(identity, rng)
                                                   : renderer->RenderEmblemSide(identity, rng);
      const Capture capture = SimulateCapture(&card, capture_case, rng);

      std::vector<uint8_t> jpeg;
      cv::imencode(".jpg", capture.image, jpeg, {cv::IMWRITE_JPEG_QUALITY, capture.jpeg_quality});
      std::string bytes(jpeg.begin(), jpeg.end());
      bytes.insert(2, ExifSegment("Xiaomi", "Redmi Note 12",
                                  edited ? "Adobe Photoshop 24.1 (Windows)" : ""));

      std::string case_name = CaptureCaseName(capture_case);
      if (edited) case_name = "edited";
      if (expired) case_name = "expired";
      char stem[64];
      std::snprintf(stem, sizeof stem, "%s%04d_%s", options.hard_cases ? "hard_" : "",
                    options.first_index + index, side.c_str());
      const std::string base =
          options.out_dir + "/" + stem + (options.hard_cases ? "_" + case_name : std::string());
      std::ofstream(base + ".jpg", std::ios::binary) << bytes;

      boost::json::object truth;
      truth["image"] = fs::path(base + ".jpg").filename().string();
      truth["case"] = case_name;
      const bool has_card = capture_case != CaptureCase::kNoCard;
      truth["has_card"] = has_card;
      truth["side"] = has_card ? boost::json::value(side) : boost::json::value(nullptr);
      truth["fields"] = FieldsJson(identity);
      boost::json::array corners;
      for (const auto& p : capture.corners) corners.push_back(boost::json::array{p.x, p.y});
      if (has_card) truth["corners"] = corners;
      truth["framing"] = capture.framing;
      truth["surface"] = capture.surface;
      truth["rotation_degrees"] = capture.rotation_degrees;
      truth["tilt_degrees"] = capture.tilt_degrees;
      truth["blur_sigma_pixels"] = capture.blur_sigma_pixels;
      truth["jpeg_quality"] = capture.jpeg_quality;
      truth["width"] = capture.image.cols;
      truth["height"] = capture.image.rows;
      std::ofstream(base + ".json") << boost::json::serialize(truth) << "\n";
      written.push_back({base + ".jpg", base + ".json"});
    }
  }
  return written;
}

}  // namespace examphoto::testing
