// Accuracy and speed of the ID card reader on generated phone captures (tools/idcard_generator):
// per field, how often the reading is exact, how often it is shown as sure while wrong (the
// failure that matters), how often it asks for a retake; the registration check on the true
// roster entry and on a near-miss one (a look-alike or sound-alike name character, one digit of
// the number, a character dropped); radical fragments; the verdicts on hard cases; CPU time per
// side and peak memory. Writes JSON figures.
//   idcard_accuracy --dir /tmp/idcard-a --generate 150 --seed 7 --results bench/results/idcard.json
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
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>

#include "domain/id_number.h"
#include "domain/utf8.h"
#include "idcard/card_fields.h"
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

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * values.size()))];
}

long PeakRssKilobytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

// Pairs a registration clerk or a candidate could mix up: sound-alikes and look-alikes.
const std::map<std::string, std::string> kConfusable = {
    {"四", "思"}, {"珊", "姗"}, {"明", "朋"}, {"伟", "玮"}, {"丽", "俪"}, {"强", "蔷"},
    {"磊", "垒"}, {"军", "君"}, {"洋", "阳"}, {"杰", "洁"}, {"涛", "滔"}, {"秀", "琇"},
    {"霞", "侠"}, {"平", "萍"}, {"刚", "钢"}, {"华", "骅"}, {"玉", "钰"}, {"红", "虹"},
    {"鹏", "朋"}, {"建", "健"}, {"国", "帼"}, {"文", "雯"}, {"辉", "晖"}, {"志", "智"},
    {"宇", "羽"}, {"浩", "皓"}, {"俊", "骏"}, {"晨", "辰"}, {"欣", "昕"}, {"怡", "仪"},
    {"涵", "晗"}, {"轩", "萱"}, {"博", "搏"}, {"思", "斯"}, {"雨", "语"}, {"佳", "嘉"},
    {"琪", "淇"}, {"倩", "茜"}, {"婷", "亭"}, {"慧", "惠"}, {"晓", "筱"}, {"静", "婧"},
    {"敏", "民"}, {"娜", "那"}, {"芳", "方"}, {"艳", "燕"}, {"娟", "绢"}, {"超", "趋"},
    {"桂", "贵"}, {"英", "瑛"}, {"萍", "苹"}, {"力", "立"}, {"子", "梓"}, {"梓", "子"},
    {"嘉", "佳"}, {"雪", "雷"}, {"春", "椿"}, {"海", "梅"}, {"燕", "艳"}, {"丹", "舟"},
    {"波", "坡"}, {"宁", "拧"}, {"亮", "谅"}, {"成", "诚"}, {"飞", "非"}, {"凯", "恺"},
    {"东", "冬"}, {"林", "琳"}, {"兰", "岚"}, {"凤", "风"}, {"云", "芸"}, {"天", "夭"},
    {"新", "欣"}, {"佩", "珮"}, {"德", "徳"}, {"瑞", "端"}, {"安", "按"}, {"泽", "择"},
    {"诗", "持"}, {"一", "壹"}, {"然", "燃"}, {"王", "汪"}, {"李", "季"}, {"张", "章"},
    {"刘", "浏"}, {"陈", "程"}};

// A near-miss of the true roster entry: which field differs and the altered values.
struct NearMiss {
  std::string field;
  std::string name, id_number;
};

NearMiss MakeNearMiss(const std::string& name, const std::string& number, int kind,
                      std::mt19937& rng) {
  NearMiss miss{"", name, number};
  std::vector<std::string> characters = SplitUtf8(name);
  if (kind == 1) {
    // One digit of the number (not the check character), check character made right again.
    std::string digits = number.substr(0, 17);
    const int position = std::uniform_int_distribution<int>(6, 16)(rng);
    digits[position] = static_cast<char>(
        '0' + (digits[position] - '0' + 1 + std::uniform_int_distribution<int>(0, 7)(rng)) % 10);
    miss.id_number = digits + IdNumberCheckCharacter(digits);
    miss.field = "id_number";
    return miss;
  }
  miss.field = "name";
  if (kind == 2 && characters.size() >= 3) {
    characters.erase(characters.begin() + 1 +
                     std::uniform_int_distribution<size_t>(0, characters.size() - 2)(rng));
  } else {
    // A look-alike or sound-alike for one character (the last one that has a partner).
    bool changed = false;
    for (size_t i = characters.size(); i-- > 0 && !changed;) {
      auto it = kConfusable.find(characters[i]);
      if (it != kConfusable.end()) {
        characters[i] = it->second;
        changed = true;
      }
    }
    if (!changed) characters.back() = characters.back() == "明" ? "亮" : "明";
  }
  miss.name.clear();
  for (const auto& c : characters) miss.name += c;
  return miss;
}

struct Tally {
  int total = 0, exact = 0, sure_wrong = 0, unsure = 0;
  // Name and number: the recogniser's own reading, before the registered value replaced it
  // on a match (registration_check.h).
  int read_freely = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::string dir, results, sheet, today_text = "2026-11-25";
  int generate = 0, hard = 0;
  unsigned seed = 7;
  bool verbose = false;
  double sure_confidence = IdCardReaderOptions{}.sure_confidence;
  RegistrationThresholds thresholds;
  CLI::App app{"ID card reader accuracy and speed on generated captures"};
  app.add_option("--dir", dir, "folder of captures with ground-truth JSON")->required();
  app.add_option("--generate", generate, "generate this many identities (both sides) first");
  app.add_option("--hard", hard, "also generate this many hard cases");
  app.add_option("--seed", seed);
  app.add_option("--results", results, "write the figures here (JSON)");
  app.add_option("--today", today_text);
  app.add_option("--sure", sure_confidence, "field confidence shown as sure");
  app.add_option("--match-deficit", thresholds.match_deficit);
  app.add_option("--mismatch-deficit", thresholds.mismatch_deficit);
  app.add_flag("--verbose", verbose, "print every miss");
  bool cold = false;
  app.add_flag("--cold", cold, "do not run the models' input shapes at load (first reads pay)");
  app.add_option("--sheet", sheet,
                 "write a contact sheet (PNG) of the straightened cards with each field's box: "
                 "green read and sure, orange right but unsure, red wrong");
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

  InferenceEngine engine;
  IdCardReaderOptions reader_options;
  reader_options.model_dir = EXAMPHOTO_OCR_MODEL_DIR;
  reader_options.today = today;
  reader_options.sure_confidence = sure_confidence;
  reader_options.registration = thresholds;
  reader_options.warm_up = !cold;
  const auto load_start = std::chrono::steady_clock::now();
  const double load_cpu_start = ThreadCpuMilliseconds();
  auto reader = IdCardReader::Load(engine, reader_options);
  const double load_cpu_ms = ThreadCpuMilliseconds() - load_cpu_start;
  const double load_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - load_start)
          .count();
  if (!reader.ok()) {
    std::fprintf(stderr, "%s\n", reader.error().detail.c_str());
    return 1;
  }

  std::vector<fs::path> truths;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") truths.push_back(entry.path());
  }
  std::sort(truths.begin(), truths.end());

  std::mt19937 rng(seed * 31 + 5);
  int cards = 0, side_right = 0, no_card_photos = 0, no_card_right = 0, fragments = 0;
  int accepted = 0, normal = 0;
  std::map<std::string, Tally> tally;
  // Registration decisions: [field][truth "match"/"mismatch"][verdict] -> count.
  std::map<std::string, std::map<std::string, std::map<std::string, int>>> decisions;
  std::map<std::string, std::map<std::string, int>> hard_verdicts;  // case -> first code -> n
  std::map<std::string, int> issue_counts;
  std::vector<double> cpu_ms;
  std::vector<cv::Mat> thumbnails;
  constexpr int kThumbWidth = 258;
  int rare_names = 0, rare_names_matched = 0;
  for (const fs::path& truth_path : truths) {
    std::ifstream truth_file(truth_path);
    const std::string truth_text((std::istreambuf_iterator<char>(truth_file)), {});
    const boost::json::object truth = boost::json::parse(truth_text).as_object();
    std::ifstream image_file(truth_path.parent_path() / Text(truth.at("image")), std::ios::binary);
    const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(image_file)), {});
    const auto& expected = truth.at("fields").as_object();
    const std::string case_name = Text(truth.at("case"));
    const std::string side = Text(truth.at("side"));
    const RegisteredIdentity registered{Text(expected.at("name")), Text(expected.at("id_number"))};

    const double cpu_start = ThreadCpuMilliseconds();
    const IdCardReading reading = reader->Read(bytes, std::nullopt, registered);
    const double cpu = ThreadCpuMilliseconds() - cpu_start;
    const std::string first_code = reading.issues.empty() ? "ok" : reading.issues.front().code;
    if (verbose) {
      std::fprintf(stderr,
                   "%s: case %s, first issue %s, colourfulness %.1f, corner outside %.1f mm, "
                   "screen peaks %d, cpu %.0f ms\n",
                   truth_path.filename().c_str(), case_name.c_str(), first_code.c_str(),
                   reading.print_colourfulness, reading.corner_outside_mm,
                   reading.screen_grid_peaks, cpu);
    }
    // Ordinary captures, in ordinary or harsh conditions, count for the fields; the hard
    // cases for their verdicts.
    const bool ordinary = case_name == "normal" || case_name == "harsh";
    if (!ordinary) hard_verdicts[case_name][first_code]++;
    if (!truth.at("has_card").as_bool()) {
      ++no_card_photos;
      no_card_right += !reading.side.has_value();
      continue;
    }
    if (!ordinary) continue;
    ++cards;
    ++normal;
    cpu_ms.push_back(cpu);
    accepted += reading.issues.empty();
    for (const IdCardIssue& issue : reading.issues) issue_counts[issue.code]++;
    const bool side_ok = reading.side && side == ToString(*reading.side);
    side_right += side_ok;
    if (!side_ok && verbose) {
      std::fprintf(
          stderr, "%s: side %s, read %s (%s)\n", truth_path.filename().c_str(), side.c_str(),
          reading.side ? std::string(ToString(*reading.side)).c_str() : "none", first_code.c_str());
    }
    const std::vector<std::string> names =
        side == "portrait" ? std::vector<std::string>{"name",       "sex",     "ethnicity",
                                                      "birth_date", "address", "id_number"}
                           : std::vector<std::string>{"authority", "valid_from", "valid_to"};
    for (const std::string& name : names) {
      const std::string want = Text(expected.at(name));
      const std::string got = FieldValue(reading.fields, name);
      for (const std::string& c : SplitUtf8(got)) fragments += IsRadicalFragment(c);
      Tally& t = tally[name];
      ++t.total;
      t.exact += want == got;
      const auto compared = reading.registration.find(name);
      t.read_freely += compared == reading.registration.end()
                           ? want == got
                           : want == compared->second.free_reading;
      const bool sure = reading.sure.count(name) && reading.sure.at(name);
      t.unsure += !sure;
      t.sure_wrong += sure && want != got;
      if (want != got && verbose) {
        const auto confidence = reading.confidence.find(name);
        std::fprintf(stderr, "%s: %s want %s got %s (confidence %.3f, %s)\n",
                     truth_path.filename().c_str(), name.c_str(), want.c_str(), got.c_str(),
                     confidence == reading.confidence.end() ? 0.0 : confidence->second,
                     sure ? "SURE" : "unsure");
      }
    }
    if (!sheet.empty()) {
      cv::Mat card;
      if (!reading.canonical_card_jpeg.empty())
        card = cv::imdecode(reading.canonical_card_jpeg, cv::IMREAD_COLOR);
      if (card.empty()) card = cv::Mat(54 * 4, 86 * 4, CV_8UC3, cv::Scalar(40, 40, 40));
      cv::resize(card, card, {kThumbWidth, kThumbWidth * 54 / 86});
      for (const std::string& name : names) {
        const auto box = reading.field_boxes.find(name);
        if (box == reading.field_boxes.end()) continue;
        const bool right = Text(expected.at(name)) == FieldValue(reading.fields, name);
        const bool sure = reading.sure.count(name) && reading.sure.at(name);
        const cv::Scalar color = !right ? cv::Scalar(0, 0, 255)
                                 : sure ? cv::Scalar(0, 170, 0)
                                        : cv::Scalar(0, 140, 255);
        const cv::Rect2f r = box->second;
        cv::rectangle(
            card,
            cv::Rect(static_cast<int>(r.x * card.cols), static_cast<int>(r.y * card.rows),
                     static_cast<int>(r.width * card.cols), static_cast<int>(r.height * card.rows)),
            color, 2);
      }
      cv::putText(card, truth_path.stem().string(), {4, card.rows - 6}, cv::FONT_HERSHEY_SIMPLEX,
                  0.4, reading.issues.empty() ? cv::Scalar(0, 120, 0) : cv::Scalar(0, 0, 220), 1);
      thumbnails.push_back(card);
    }
    if (side != "portrait") continue;
    bool rare = false;
    for (const std::string& c : SplitUtf8(registered.name)) rare |= testing::IsRareNameCharacter(c);
    for (const char* field : {"name", "id_number"}) {
      const auto it = reading.registration.find(field);
      const std::string verdict =
          it == reading.registration.end() ? "unsure" : it->second.agreement;
      decisions[field]["match"][verdict]++;
      if (rare && std::string(field) == "name") {
        ++rare_names;
        rare_names_matched += verdict == "match";
      }
      if (verbose && verdict != "match") {
        std::fprintf(stderr, "%s: registered %s %s -> %s (deficit %.2f)\n",
                     truth_path.filename().c_str(), field,
                     std::string(FieldValue(reading.fields, field)).c_str(), verdict.c_str(),
                     it == reading.registration.end() ? -1.0 : it->second.deficit);
      }
    }
    // The same photo against a near-miss roster entry.
    const NearMiss miss = MakeNearMiss(registered.name, registered.id_number,
                                       std::uniform_int_distribution<int>(0, 3)(rng) % 3, rng);
    const IdCardReading again =
        reader->Read(bytes, std::nullopt, RegisteredIdentity{miss.name, miss.id_number});
    for (const char* field : {"name", "id_number"}) {
      const auto it = again.registration.find(field);
      const std::string verdict = it == again.registration.end() ? "unsure" : it->second.agreement;
      const std::string should = miss.field == field ? "mismatch" : "match";
      decisions[field][should][verdict]++;
      if (verbose && verdict != should) {
        std::fprintf(stderr, "%s: near miss %s %s (card %s) -> %s (deficit %.2f)\n",
                     truth_path.filename().c_str(), field,
                     std::string(field) == "name" ? miss.name.c_str() : miss.id_number.c_str(),
                     std::string(FieldValue(reading.fields, field)).c_str(), verdict.c_str(),
                     it == again.registration.end() ? -1.0 : it->second.deficit);
      }
    }
  }

  const auto rate = [](int a, int b) { return b ? static_cast<double>(a) / b : 0.0; };
  boost::json::object figures;
  figures["captures_with_card"] = cards;
  figures["side_accuracy"] = rate(side_right, cards);
  boost::json::object fields;
  for (const auto& [name, t] : tally) {
    fields[name] = {{"exact", rate(t.exact, t.total)},
                    {"read_freely_exact", rate(t.read_freely, t.total)},
                    {"sure_but_wrong", t.sure_wrong},
                    {"unsure", t.unsure},
                    {"of", t.total}};
  }
  figures["fields"] = fields;
  boost::json::object roster;
  for (const auto& [field, by_truth] : decisions) {
    boost::json::object f;
    int correct = 0, all = 0, wrong = 0;
    for (const auto& [truth_value, verdicts] : by_truth) {
      boost::json::object v;
      for (const auto& [verdict, n] : verdicts) {
        v[verdict] = n;
        all += n;
        correct += verdict == truth_value ? n : 0;
        wrong += verdict != truth_value && verdict != "unsure" ? n : 0;
      }
      f[truth_value] = v;
    }
    f["correct_rate"] = rate(correct, all);
    f["wrong"] = wrong;
    roster[field] = f;
  }
  figures["registration"] = roster;
  figures["rare_names"] = rare_names;
  figures["rare_names_matched"] = rare_names_matched;
  figures["radical_fragments"] = fragments;
  figures["accepted_without_issue_rate"] = rate(accepted, normal);
  boost::json::object issues;
  for (const auto& [code, n] : issue_counts) issues[code] = n;
  figures["issues_on_normal_captures"] = issues;
  figures["photos_without_card"] = no_card_photos;
  figures["no_card_correctly_reported"] = no_card_right;
  boost::json::object verdicts;
  for (const auto& [name, codes] : hard_verdicts) {
    boost::json::object counts;
    for (const auto& [code, n] : codes) counts[code] = n;
    verdicts[name] = counts;
  }
  figures["hard_case_first_issue"] = verdicts;
  figures["load_cpu_ms"] = load_cpu_ms;
  figures["load_ms"] = load_ms;
  figures["read_cpu_ms_median"] = Percentile(cpu_ms, 0.5);
  figures["read_cpu_ms_p90"] = Percentile(cpu_ms, 0.9);
  figures["read_cpu_ms_max"] = Percentile(cpu_ms, 1.0);
  figures["peak_rss_mb"] = PeakRssKilobytes() / 1024.0;
  if (!sheet.empty() && !thumbnails.empty()) {
    constexpr int kColumns = 8;
    const int height = thumbnails.front().rows;
    const int rows = (static_cast<int>(thumbnails.size()) + kColumns - 1) / kColumns;
    cv::Mat grid(rows * height, kColumns * kThumbWidth, CV_8UC3, cv::Scalar::all(255));
    for (size_t i = 0; i < thumbnails.size(); ++i) {
      thumbnails[i].copyTo(
          grid(cv::Rect(static_cast<int>(i % kColumns) * kThumbWidth,
                        static_cast<int>(i / kColumns) * height, kThumbWidth, height)));
    }
    cv::imwrite(sheet, grid);
  }
  const std::string text = boost::json::serialize(figures);
  std::printf("%s\n", text.c_str());
  if (!results.empty()) std::ofstream(results) << text << "\n";
  return 0;
}
