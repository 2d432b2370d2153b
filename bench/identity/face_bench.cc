// Measures the identity area and writes bench/results/face.json:
//  - speed: one descriptor per face on one core, and `CompareFiles` of a 12 MP JPEG photo
//    against a small printed-portrait JPEG, end to end (read, decode, detect, align, embed);
//  - separation on the real sample photos: the same face after flips, rescaling and JPEG
//    quality 30; every pair of the 19 hand-labelled faces; simulated card portraits.
// Run: OPENBLAS_NUM_THREADS=1 build/bench/identity/face_bench (see docs/performance/identity.md).
#include <dlfcn.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "identity_test_support.h"

namespace {

using examphoto::identity::FaceDescriptor;
using examphoto::identity::FaceDistance;
using examphoto::identity::FaceSource;
namespace testing = examphoto::identity::testing;

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double Percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(fraction * values.size()))];
}

// Wall-clock and this thread's CPU time of each run. On a shared machine the CPU time is
// what the work costs; the wall clock adds whatever the other processes took meanwhile.
struct Runs {
  std::vector<double> wall_ms;
  std::vector<double> cpu_ms;
};

double ThreadCpuMs() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

boost::json::object Timings(const Runs& runs) {
  return {{"runs", runs.wall_ms.size()},
          {"median_ms", Median(runs.wall_ms)},
          {"p90_ms", Percentile(runs.wall_ms, 0.9)},
          {"min_ms", *std::min_element(runs.wall_ms.begin(), runs.wall_ms.end())},
          {"median_cpu_ms", Median(runs.cpu_ms)}};
}

Runs Time(int count, const std::function<void()>& work) {
  Runs runs;
  for (int i = 0; i < count; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = ThreadCpuMs();
    work();
    runs.cpu_ms.push_back(ThreadCpuMs() - cpu_start);
    runs.wall_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  return runs;
}

// Which library answers for BLAS (Debian's alternatives pick it), and one thread for it.
std::string PinBlasToOneThread() {
  using SetThreads = void (*)(int);
  if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) {
    set(1);
  }
  Dl_info info{};
  void* gemm = dlsym(RTLD_DEFAULT, "sgemm_");
  if (gemm != nullptr && dladdr(gemm, &info) != 0 && info.dli_fname != nullptr) {
    return std::filesystem::weakly_canonical(info.dli_fname).string();
  }
  return "unknown";
}

struct Summary {
  int count = 0;
  double mean = 0, maximum = 0, minimum = 9;
  void Add(double value) {
    mean = (mean * count + value) / (count + 1);
    ++count;
    maximum = std::max(maximum, value);
    minimum = std::min(minimum, value);
  }
  boost::json::object Json() const {
    return {{"pairs", count}, {"mean", mean}, {"min", minimum}, {"max", maximum}};
  }
};

// The same face through a change, for every face of every sample (the wide detector's).
Summary SameFaceThrough(const std::function<cv::Mat(const cv::Mat&)>& change,
                        const std::function<cv::Point2f(cv::Point2f, cv::Size)>& where) {
  const auto& embedder = testing::Embedder();
  const auto& detector = testing::WideDetector();
  Summary summary;
  for (int sample = 1; sample <= 6; ++sample) {
    const cv::Mat photo = testing::SamplePhoto(sample);
    const cv::Mat changed = change(photo);
    const auto changed_faces = detector.Detect(changed);
    for (const auto& face : detector.Detect(photo)) {
      const cv::Point2f centre(face.box.x + face.box.width / 2, face.box.y + face.box.height / 2);
      const auto* counterpart = testing::FaceAt(changed_faces, where(centre, photo.size()));
      if (counterpart == nullptr) continue;
      summary.Add(FaceDistance(embedder.Embed(photo, face), embedder.Embed(changed, *counterpart)));
    }
  }
  return summary;
}

boost::json::object Separation() {
  boost::json::object result;
  result["flipped"] =
      SameFaceThrough(
          [](const cv::Mat& image) {
            cv::Mat flipped;
            cv::flip(image, flipped, 1);
            return flipped;
          },
          [](cv::Point2f p, cv::Size size) { return cv::Point2f(size.width - p.x, p.y); })
          .Json();
  for (double scale : {0.5, 2.0}) {
    result[scale < 1 ? "scaled_0.5" : "scaled_2"] =
        SameFaceThrough(
            [scale](const cv::Mat& image) {
              cv::Mat scaled;
              cv::resize(image, scaled, cv::Size(), scale, scale,
                         scale < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
              return scaled;
            },
            [scale](cv::Point2f p, cv::Size) { return p * static_cast<float>(scale); })
            .Json();
  }
  result["jpeg_quality_30"] =
      SameFaceThrough(
          [](const cv::Mat& image) {
            std::vector<uchar> jpeg;
            cv::imencode(".jpg", image, jpeg, {cv::IMWRITE_JPEG_QUALITY, 30});
            return cv::imdecode(jpeg, cv::IMREAD_COLOR);
          },
          [](cv::Point2f p, cv::Size) { return p; })
          .Json();

  // Every pair of the hand-labelled faces.
  struct Labelled {
    std::string person;
    FaceDescriptor descriptor;
    cv::Mat card;  // the face printed as an ID-card portrait at 6 px/mm
  };
  std::vector<Labelled> faces;
  for (int sample = 1; sample <= 6; ++sample) {
    const cv::Mat photo = testing::SamplePhoto(sample);
    const auto found = testing::WideDetector().Detect(photo);
    for (const auto& label : testing::LabelledFaces()) {
      if (label.sample != sample) continue;
      if (const auto* face = testing::FaceAt(found, label.centre)) {
        faces.push_back({label.person, testing::Embedder().Embed(photo, *face),
                         testing::SimulatedCardPortrait(photo, face->box, 6.0)});
      }
    }
  }
  Summary same, different;
  int different_under_threshold = 0;
  boost::json::array closest_different;
  std::vector<std::tuple<double, std::string, std::string>> close;
  for (size_t a = 0; a < faces.size(); ++a) {
    for (size_t b = a + 1; b < faces.size(); ++b) {
      const double distance = FaceDistance(faces[a].descriptor, faces[b].descriptor);
      if (faces[a].person == faces[b].person) {
        same.Add(distance);
      } else {
        different.Add(distance);
        if (distance < 0.6) ++different_under_threshold;
        close.emplace_back(distance, faces[a].person, faces[b].person);
      }
    }
  }
  std::sort(close.begin(), close.end());
  for (size_t i = 0; i < std::min<size_t>(6, close.size()); ++i) {
    closest_different.push_back({{"distance", std::get<0>(close[i])},
                                 {"first", std::get<1>(close[i])},
                                 {"second", std::get<2>(close[i])}});
  }
  // Each face's card portrait against every face's photo descriptor.
  Summary card_same, card_different;
  int card_not_found = 0, card_different_under_threshold = 0;
  for (const auto& printed : faces) {
    auto card = testing::Comparer().Describe(printed.card, FaceSource::kCardPortrait);
    if (!card.ok()) {
      ++card_not_found;
      continue;
    }
    for (const auto& other : faces) {
      const double distance = FaceDistance(*card, other.descriptor);
      if (other.person == printed.person) {
        card_same.Add(distance);
      } else {
        card_different.Add(distance);
        if (distance < 0.6) ++card_different_under_threshold;
      }
    }
  }
  auto card_json = boost::json::object{{"pixels_per_mm", 6.0},
                                       {"cards_without_face_found", card_not_found},
                                       {"same_person", card_same.Json()}};
  auto card_different_json = card_different.Json();
  card_different_json["under_0.6"] = card_different_under_threshold;
  card_json["different_people"] = card_different_json;
  result["card_portrait_vs_photos"] = card_json;

  result["labelled_faces"] = faces.size();
  result["same_person_pairs"] = same.Json();
  auto different_json = different.Json();
  different_json["under_0.6"] = different_under_threshold;
  different_json["closest"] = closest_different;
  result["different_people_pairs"] = different_json;
  return result;
}

// A 12 MP (3000 × 4000) head-and-shoulders photo built from a sample, and a printed card
// portrait of the same woman from another sample, both written as JPEG files.
std::pair<std::filesystem::path, std::filesystem::path> WriteComparisonFiles(
    const std::filesystem::path& folder) {
  const cv::Mat sample1 = testing::SamplePhoto(1);
  const auto faces = testing::WideDetector().Detect(sample1);
  const auto* face = testing::FaceAt(faces, {1553, 347});
  const cv::Rect2f box = face->box;
  cv::Rect frame(cvRound(box.x - box.width * 0.9), cvRound(box.y - box.height * 1.0),
                 cvRound(box.width * 2.8), cvRound(box.width * 2.8 * 4 / 3));
  cv::Mat padded;
  cv::copyMakeBorder(sample1, padded, 800, 800, 800, 800, cv::BORDER_REFLECT);
  frame.x += 800;
  frame.y += 800;
  cv::Mat photo;
  cv::resize(padded(frame), photo, cv::Size(3000, 4000), 0, 0, cv::INTER_CUBIC);
  // Sensor noise, so that the JPEG is as large and as slow to decode as a phone's.
  cv::Mat noisy;
  photo.convertTo(noisy, CV_16SC3);
  cv::Mat grain(photo.size(), CV_16SC3);
  cv::randn(grain, 0, 6);
  noisy += grain;
  noisy.convertTo(photo, CV_8UC3);
  const auto photo_path = folder / "face_bench_photo_12mp.jpg";
  cv::imwrite(photo_path.string(), photo, {cv::IMWRITE_JPEG_QUALITY, 92});

  const cv::Mat sample3 = testing::SamplePhoto(3);
  const auto faces3 = testing::WideDetector().Detect(sample3);
  const auto* face3 = testing::FaceAt(faces3, {1156, 369});
  const auto card_path = folder / "face_bench_card_portrait.jpg";
  cv::imwrite(card_path.string(), testing::SimulatedCardPortrait(sample3, face3->box, 8.0),
              {cv::IMWRITE_JPEG_QUALITY, 90});
  return {photo_path, card_path};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"face_bench: identity speed and separation figures"};
  std::string output = "bench/results/face.json";
  int runs = 50;
  app.add_option("--output", output, "where the JSON goes")->capture_default_str();
  app.add_option("--runs", runs, "timed runs per measurement")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  boost::json::object result;
  result["blas_library"] = PinBlasToOneThread();
  const char* threads = std::getenv("OPENBLAS_NUM_THREADS");
  result["openblas_num_threads_env"] = threads ? threads : "";

  const auto load_start = std::chrono::steady_clock::now();
  const auto& comparer = testing::Comparer();
  result["load_models_ms"] =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - load_start)
          .count();

  // One descriptor from an aligned chip, then from a photo and landmarks (alignment included).
  const cv::Mat sample2 = testing::SamplePhoto(2);
  const auto face = comparer.detector().Detect(sample2).front();
  const cv::Mat chip = examphoto::identity::FaceEmbedder::AlignFace(sample2, face);
  comparer.embedder().EmbedChip(chip);  // warm-up: first-touch allocations
  result["embed_chip"] = Timings(Time(runs, [&] { comparer.embedder().EmbedChip(chip); }));
  result["align_and_embed"] =
      Timings(Time(runs, [&] { comparer.embedder().Embed(sample2, face); }));

  const auto folder = std::filesystem::temp_directory_path();
  const auto [photo_path, card_path] = WriteComparisonFiles(folder);
  result["photo_file_bytes"] = std::filesystem::file_size(photo_path);
  result["card_file_bytes"] = std::filesystem::file_size(card_path);
  double distance = 0;
  auto compare_once = [&] {
    auto comparison =
        comparer.CompareFiles(photo_path, FaceSource::kPhoto, card_path, FaceSource::kCardPortrait);
    if (!comparison.ok()) {
      std::fprintf(stderr, "compare failed: %s\n", comparison.error().code.c_str());
      std::exit(1);
    }
    distance = comparison->distance;
  };
  compare_once();
  auto compare = Timings(Time(std::max(5, runs / 3), compare_once));
  compare["photo"] = "3000x4000 JPEG q92";
  compare["card_portrait"] = "208x256 JPEG (26x32 mm at 8 px/mm)";
  compare["distance"] = distance;
  result["compare_12mp_photo_with_card_portrait"] = compare;

  // Where the comparison's time goes.
  auto photo = comparer.ReadImage(photo_path);
  auto card = comparer.ReadImage(card_path);
  result["stage_decode_12mp"] = Timings(Time(10, [&] { (void)comparer.ReadImage(photo_path); }));
  result["stage_describe_photo"] =
      Timings(Time(10, [&] { (void)comparer.Describe(*photo, FaceSource::kPhoto); }));
  result["stage_describe_card"] =
      Timings(Time(10, [&] { (void)comparer.Describe(*card, FaceSource::kCardPortrait); }));

  result["separation"] = Separation();

  std::filesystem::create_directories(std::filesystem::path(output).parent_path());
  std::ofstream(output) << boost::json::serialize(result) << "\n";
  std::printf("%s\n", boost::json::serialize(result).c_str());
  return 0;
}
