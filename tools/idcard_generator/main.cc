// idcard_generator: writes simulated phone captures of specimen resident ID cards (marked
// 样本) with ground-truth JSON, for the idcard tests, the accuracy benchmark, and the API and
// browser tests (which need a clean capture of a given roster identity).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "specimen_set.h"

int main(int argc, char** argv) {
  using examphoto::testing::SpecimenSetOptions;
  SpecimenSetOptions options;
  std::string side = "both";
  std::string name, id_number, ethnicity, address, today;
  CLI::App app{"Writes simulated photos of specimen ID cards with ground truth"};
  app.add_option("--out", options.out_dir, "output folder")->required();
  app.add_option("--count", options.count, "identities (one capture per side each)");
  app.add_option("--seed", options.seed, "random seed (same seed, same files)");
  app.add_option("--first-index", options.first_index, "number the files from here");
  app.add_option("--side", side, "portrait, emblem or both")
      ->check(CLI::IsMember({"portrait", "emblem", "both"}));
  app.add_option("--name", name, "print this name on every card");
  app.add_option("--ethnicity", ethnicity, "print this ethnic group (one of the 56, without 族)");
  app.add_option("--address", address, "print this address (wrapped as the card wraps it)");
  app.add_option("--id-number", id_number, "print this (valid) number; birth date and sex follow");
  app.add_flag("--clean", options.clean, "flat, square-on, well-lit captures (2000x1500)");
  app.add_flag("--hard", options.hard_cases,
               "hard cases in turn: corner out, heavy blur, glare, small, no card, edited, "
               "expired, tiny, photocopy, screen");
  app.add_flag("--harsh", options.harsh,
               "ordinary captures in harsh conditions (steep tilt, strong light, shake, low "
               "JPEG quality, downscaled)");
  app.add_option("--today", today, "reference date YYYY-MM-DD for validity periods");
  app.add_option("--fonts", options.font_dir, "folder with the Noto CJK .ttc fonts");
  app.add_option("--faces", options.face_dir, "folder with sample1..6.jpg face photos");
  CLI11_PARSE(app, argc, argv);

  options.portrait_side = side != "emblem";
  options.emblem_side = side != "portrait";
  if (!name.empty()) options.name = name;
  if (!id_number.empty()) options.id_number = id_number;
  if (!ethnicity.empty()) options.ethnicity = ethnicity;
  if (!address.empty()) options.address = address;
  if (!today.empty()) {
    auto date = examphoto::ParseCalendarDate(today);
    if (!date) {
      std::fprintf(stderr, "--today must be YYYY-MM-DD\n");
      return 2;
    }
    options.today = *date;
  }
  std::string error;
  const auto files = examphoto::testing::WriteSpecimenSet(options, &error);
  if (!error.empty()) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  for (const auto& file : files) std::printf("%s\n", file.image_path.c_str());
  return 0;
}
