// Writes a set of simulated phone captures of specimen ID cards, each with a ground-truth
// JSON beside it (fields, corners, side, case). Used by the idcard_generator tool, by the
// idcard tests (into a temporary folder) and by the accuracy benchmark.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/id_number.h"

namespace examphoto::testing {

struct SpecimenSetOptions {
  std::string out_dir;
  int count = 10;  // identities (each gives one capture per requested side)
  unsigned seed = 1;
  int first_index = 0;  // number files from here (to add to a folder made by another run)
  bool portrait_side = true;
  bool emblem_side = true;
  bool clean = false;  // flat, square-on captures (end-to-end tests)
  // Instead of ordinary captures, the hard cases in turn (kHardCaseCount of them): corner out,
  // heavy blur, glare, small but legible, no card, edited, expired, tiny, photocopy, screen.
  bool hard_cases = false;
  // Ordinary captures in harsh conditions (steep tilt, strong light, shake, low quality,
  // downscaled by a messenger): still legible, and what real uploads look like at worst.
  bool harsh = false;
  std::optional<std::string> name;       // fixed identity for all cards
  std::optional<std::string> id_number;  // must be valid; sex and birth date follow from it
  std::optional<std::string> ethnicity;  // one of the 56, for all cards
  std::optional<std::string> address;    // as printed (wrapped by the card's column)
  CalendarDate today{2026, 11, 25};
  std::string font_dir = "/usr/share/fonts/opentype/noto";
  std::string face_dir;  // face-api demo photos (sample*.jpg)
  std::string face_cascade = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";
};

inline constexpr int kHardCaseCount = 10;

struct SpecimenFile {
  std::string image_path;
  std::string truth_path;
};

// Returns the files written, or an error text.
std::vector<SpecimenFile> WriteSpecimenSet(const SpecimenSetOptions& options, std::string* error);

// The face-api demo photos shipped with the repository, if installed.
std::string DefaultFaceDirectory();

}  // namespace examphoto::testing
