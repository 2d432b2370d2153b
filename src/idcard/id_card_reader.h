// Reads one photo of a resident ID card: decodes it, finds and straightens the card, tells
// the side, judges the photo (blur, glare, size, cut corners, editing software), reads the
// printed fields and checks them against each other and the calendar.
// Construct once per process (it keeps Tesseract engines loaded); Read is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/id_number.h"
#include "domain/result.h"
#include "idcard/glyph_classifier.h"
#include "idcard/id_card_reading.h"

namespace examphoto {

class TesseractPool;

struct IdCardReaderOptions {
  std::string tessdata_dir = "/usr/share/tesseract-ocr/5/tessdata";
  std::optional<CalendarDate> today;  // for expiry checks; nullopt: the system clock (UTC)
  double canonical_pixels_per_mm = 12.0;
  // Below this the card's 3 mm characters are under ~25 pixels tall in the photo.
  double min_card_pixels_per_mm = 8.0;
  // Second opinion on doubtful characters and the 民族 field (glyph_classifier.h): costs
  // about 2 s of CPU and 43 MB at Load.
  bool glyph_fallback = true;
  GlyphClassifierOptions glyph_options;
};

class IdCardReader {
 public:
  static Result<IdCardReader> Load(const IdCardReaderOptions& options);

  IdCardReader(IdCardReader&&) noexcept;
  IdCardReader& operator=(IdCardReader&&) noexcept;
  ~IdCardReader();

  // `expected_side`: the upload slot; a card showing the other side gets a wrong-side issue
  // (and its fields are not read).
  IdCardReading Read(std::span<const uint8_t> bytes, std::optional<CardSide> expected_side) const;

  // Null when options.glyph_fallback is off.
  const GlyphClassifier* glyph_classifier() const { return glyphs_.get(); }

 private:
  IdCardReader(IdCardReaderOptions options, std::unique_ptr<TesseractPool> pool,
               std::unique_ptr<GlyphClassifier> glyphs);
  CalendarDate Today() const;

  IdCardReaderOptions options_;
  std::unique_ptr<TesseractPool> pool_;
  std::unique_ptr<GlyphClassifier> glyphs_;
};

// The fields where the card disagrees with the registration record ("name", "id_number"),
// for the app to show in red. Spaces are ignored and a lower-case x equals X.
std::vector<std::string> CompareWithRegistration(const IdCardFields& fields, std::string_view name,
                                                 std::string_view id_number);

// Whether EXIF/PNG "Software" names an image editor rather than a camera's firmware.
bool NamesEditingSoftware(std::string_view software);

}  // namespace examphoto
