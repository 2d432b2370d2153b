// Reads one photo of a resident ID card: decodes it, reads every line of text on the whole
// photo with PP-OCR (card_text.h), makes the fields from the lines (card_fields.h), checks
// them against each other and the standards (card_checks.h) and, when the registration is
// given, scores the registered name and number against the recogniser's output
// (registration_check.h). A field that is not sure is never reported as read: it comes with
// an issue that asks for a retake and says why. Load once per process; Read is thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/id_number.h"
#include "domain/result.h"
#include "idcard/id_card_reading.h"
#include "idcard/registration_check.h"
#include "inference/inference_engine.h"

namespace examphoto {

struct IdCardReaderOptions {
  std::filesystem::path model_dir;    // PaddleOCR's files (ocr_models.h); required
  std::optional<CalendarDate> today;  // for expiry checks; nullopt: the system clock (UTC)
  double canonical_pixels_per_mm = 12.0;
  // A field is shown as read when its lowest character probability reaches this (chosen on
  // the tuning set, docs/performance/idcard.md).
  double sure_confidence = 0.9;
  RegistrationThresholds registration;
  bool warm_up = true;  // run every input shape once at Load (see TextRecognizer::Load)
};

class IdCardReader {
 public:
  // `engine` only has to live through Load (the models keep what they need).
  static Result<IdCardReader> Load(const InferenceEngine& engine,
                                   const IdCardReaderOptions& options);

  IdCardReader(IdCardReader&&) noexcept;
  IdCardReader& operator=(IdCardReader&&) noexcept;
  ~IdCardReader();

  // `expected_side`: the upload slot; a card showing the other side gets a wrong-side issue
  // (and its fields are not read). `registration`: the candidate's roster entry.
  IdCardReading Read(std::span<const uint8_t> bytes, std::optional<CardSide> expected_side,
                     const std::optional<RegisteredIdentity>& registration = std::nullopt) const;

 private:
  struct Models;
  IdCardReader(IdCardReaderOptions options, std::unique_ptr<Models> models);
  CalendarDate Today() const;

  IdCardReaderOptions options_;
  std::unique_ptr<Models> models_;
};

// Whether EXIF/PNG "Software" names an image editor rather than a camera's firmware.
bool NamesEditingSoftware(std::string_view software);

}  // namespace examphoto
