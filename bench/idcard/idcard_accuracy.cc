// Accuracy and speed of the ID card reader on generated phone captures (tools/idcard_generator):
// side, ID number, name, address (character accuracy) and the other fields; "no card" on
// photos without one; the verdicts on hard cases; time per Read. Writes JSON figures.
//   idcard_accuracy --generate 120 --seed 7 --out /tmp/idcard-bench --results
//   bench/results/idcard.json
#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "card_renderer.h"
#include "domain/id_number.h"
#include "idcard/field_reader.h"
#include "idcard/glyph_classifier.h"
#include "idcard/id_card_reader.h"
#include "specimen_identity.h"
#include "specimen_set.h"

namespace {

namespace fs = std::filesystem;
using namespace examphoto;

std::string Text(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : std::string();
}

// CPU time of this thread: the cost of a read on one core, whatever else the machine runs.
double ThreadCpuMilliseconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * values.size()))];
}

size_t CodePointCount(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir, results, today_text = "2026-11-25";
  int generate = 0, hard = 0;
  unsigned seed = 7;
  bool verbose = false;
  double pixels_per_mm = IdCardReaderOptions{}.canonical_pixels_per_mm;
  CLI::App app{"ID card reader accuracy and speed on generated captures"};
  app.add_option("--dir", dir, "folder of captures with ground-truth JSON");
  app.add_option("--generate", generate,
                 "generate this many identities (both sides) into --dir first");
  app.add_option("--hard", hard, "also generate this many hard cases");
  app.add_option("--seed", seed);
  app.add_option("--results", results, "write the figures here (JSON)");
  app.add_option("--today", today_text);
  app.add_flag("--verbose", verbose, "print every miss");
  app.add_option("--ppm", pixels_per_mm, "canonical card resolution, pixels per mm");
  bool no_glyphs = false;
  app.add_flag("--no-glyph-fallback", no_glyphs, "Tesseract alone, for comparison");
  std::string side_filter;
  app.add_option("--side", side_filter, "only captures of this side (portrait / emblem)");
  CLI11_PARSE(app, argc, argv);
  const CalendarDate today = *ParseCalendarDate(today_text);

  if (generate > 0 || hard > 0) {
    std::string error;
    testing::SpecimenSetOptions options;
    options.out_dir = dir;
    options.seed = seed;
    options.today = today;
    if (generate > 0) {
      options.count = generate;
      testing::WriteSpecimenSet(options, &error);
    }
    if (hard > 0) {
      options.count = hard;
      options.hard_cases = true;
      options.seed = seed + 1;
      testing::WriteSpecimenSet(options, &error);
    }
    if (!error.empty()) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 1;
    }
  }

  IdCardReaderOptions reader_options;
  reader_options.today = today;
  reader_options.canonical_pixels_per_mm = pixels_per_mm;
  reader_options.glyph_fallback = !no_glyphs;
  reader_options.glyph_options.cache_dir = EXAMPHOTO_BENCH_CACHE_DIR;
  auto reader = IdCardReader::Load(reader_options);
  if (!reader.ok()) {
    std::fprintf(stderr, "%s\n", reader.error().detail.c_str());
    return 1;
  }

  std::vector<fs::path> truths;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") truths.push_back(entry.path());
  }
  std::sort(truths.begin(), truths.end());

  int cards = 0, side_right = 0, no_card_photos = 0, no_card_right = 0;
  std::map<std::string, int> field_total, field_exact;
  size_t address_chars = 0, address_errors = 0;
  int common_names = 0, common_names_exact = 0;
  std::vector<double> milliseconds, cpu_milliseconds;
  std::map<std::string, std::map<std::string, int>> hard_verdicts;  // case -> first code -> n
  int valid_normal = 0, normal = 0;
  for (const fs::path& truth_path : truths) {
    std::ifstream truth_file(truth_path);
    const std::string truth_text((std::istreambuf_iterator<char>(truth_file)), {});
    const boost::json::object truth = boost::json::parse(truth_text).as_object();
    if (!side_filter.empty() && Text(truth.at("side")) != side_filter) continue;
    std::ifstream image_file(truth_path.parent_path() / Text(truth.at("image")), std::ios::binary);
    const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(image_file)), {});

    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = ThreadCpuMilliseconds();
    const IdCardReading reading = reader->Read(bytes, std::nullopt);
    const double cpu_ms = ThreadCpuMilliseconds() - cpu_start;
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    const std::string case_name = Text(truth.at("case"));
    const std::string first_code = reading.issues.empty() ? "ok" : reading.issues.front().code;
    if (case_name != "normal") hard_verdicts[case_name][first_code]++;
    if (!truth.at("has_card").as_bool()) {
      ++no_card_photos;
      no_card_right += !reading.side.has_value();
      continue;
    }
    if (case_name != "normal") continue;
    ++cards;
    ++normal;
    milliseconds.push_back(ms);
    cpu_milliseconds.push_back(cpu_ms);
    valid_normal += reading.Valid();
    const std::string side = Text(truth.at("side"));
    const bool side_ok = reading.side && side == ToString(*reading.side);
    side_right += side_ok;
    if (!side_ok && verbose) {
      std::fprintf(
          stderr, "%s: side %s, read %s (%s)\n", truth_path.filename().c_str(), side.c_str(),
          reading.side ? std::string(ToString(*reading.side)).c_str() : "none", first_code.c_str());
    }
    const auto& expected = truth.at("fields").as_object();
    if (verbose) {
      // Every character the glyph classifier was asked about, with the truth beside it.
      for (const CharacterCheck& check : reading.character_checks) {
        std::string want = Text(expected.at(check.field));
        if (check.field != "ethnicity") {
          const auto characters = testing::SplitCharacters(want);
          want = check.position < static_cast<int>(characters.size()) ? characters[check.position]
                                                                      : "?";
        }
        std::fprintf(stderr,
                     "CHECK %s %s %d truth %s tess %s %.2f glyph %s %.3f tess_score %.3f "
                     "second %.3f %s %s\n",
                     truth_path.filename().c_str(), check.field.c_str(), check.position,
                     want.c_str(), check.tesseract.c_str(), check.tesseract_confidence,
                     check.classifier.c_str(), check.classifier_score, check.tesseract_score,
                     check.runner_up_score, check.tesseract_knows ? "known" : "unknown",
                     check.replaced ? "REPLACED" : "kept");
      }
    }
    const std::vector<std::string> names =
        side == "portrait" ? std::vector<std::string>{"name",       "sex",     "ethnicity",
                                                      "birth_date", "address", "id_number"}
                           : std::vector<std::string>{"authority", "valid_from", "valid_to"};
    for (const std::string& name : names) {
      const std::string want = Text(expected.at(name));
      const std::string got = FieldValue(reading.fields, name);
      ++field_total[name];
      field_exact[name] += want == got;
      if (want != got && verbose) {
        const auto confidence = reading.confidence.find(name);
        std::fprintf(stderr, "%s: %s want %s got %s (confidence %.2f)\n",
                     truth_path.filename().c_str(), name.c_str(), want.c_str(), got.c_str(),
                     confidence == reading.confidence.end() ? 0.0 : confidence->second);
      }
      if (name == "name") {
        bool rare = false;
        for (const std::string& character : testing::SplitCharacters(want)) {
          rare |= testing::IsRareNameCharacter(character);
        }
        if (!rare) {
          ++common_names;
          common_names_exact += want == got;
        }
      }
      if (name == "address") {
        address_chars += CodePointCount(want);
        address_errors += std::min<size_t>(CodePointCount(want), CharacterEditDistance(want, got));
      }
    }
  }

  const auto rate = [](int a, int b) { return b ? static_cast<double>(a) / b : 0.0; };
  boost::json::object figures;
  figures["captures_with_card"] = cards;
  figures["side_accuracy"] = rate(side_right, cards);
  boost::json::object fields;
  for (const auto& [name, total] : field_total) fields[name] = rate(field_exact[name], total);
  figures["field_exact_rate"] = fields;
  figures["names_without_rare_characters"] = common_names;
  figures["name_exact_rate_without_rare_characters"] = rate(common_names_exact, common_names);
  figures["address_character_accuracy"] =
      address_chars ? 1.0 - static_cast<double>(address_errors) / address_chars : 0.0;
  figures["valid_without_issues_rate"] = rate(valid_normal, normal);
  figures["photos_without_card"] = no_card_photos;
  figures["no_card_correctly_reported"] = no_card_right;
  boost::json::object verdicts;
  for (const auto& [name, codes] : hard_verdicts) {
    boost::json::object counts;
    for (const auto& [code, n] : codes) counts[code] = n;
    verdicts[name] = counts;
  }
  figures["hard_case_first_issue"] = verdicts;
  if (const GlyphClassifier* glyphs = reader->glyph_classifier()) {
    figures["glyph_templates"] = glyphs->template_count();
    figures["glyph_template_megabytes"] = glyphs->template_bytes() / 1e6;
    figures["glyph_load_cpu_ms"] = glyphs->load_cpu_milliseconds();
    figures["glyph_load_ms"] = glyphs->load_milliseconds();
  }
  figures["read_cpu_ms_median"] = Median(cpu_milliseconds);
  figures["read_cpu_ms_p90"] = Percentile(cpu_milliseconds, 0.9);
  figures["read_ms_median"] = Median(milliseconds);
  figures["read_ms_p90"] = Percentile(milliseconds, 0.9);
  figures["read_ms_max"] = Percentile(milliseconds, 1.0);
  const std::string text = boost::json::serialize(figures);
  std::printf("%s\n", text.c_str());
  if (!results.empty()) std::ofstream(results) << text << "\n";
  return 0;
}
