// Measures the portrait core end to end and writes bench/results/photo.json: from the bytes
// of a phone JPEG to the report and the finished ID photo (PortraitChecker::Check), on one
// core, models loaded once. Two inputs made from a real sample photo (a candidate before a
// plain wall, with sensor-like noise): 12 MP (3000×4000) and 1 MP (866×1155), JPEG q 92.
// Run: build/bench/imaging/photo_bench [runs] (see docs/performance/imaging.md).
#include <sys/resource.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "imaging/face_detector.h"
#include "imaging/portrait_checker.h"
#include "test_photos.h"

namespace {

using namespace examphoto::imaging;

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double ThreadCpuMs() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

// Peak resident memory since the last ResetPeakRss (Linux: VmHWM, reset through clear_refs),
// so that building the test inputs does not count.
double PeakRssMb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

void ResetPeakRss() { std::ofstream("/proc/self/clear_refs") << "5"; }

// A phone-sized photo of the candidate: the portrait resampled to `size` with sensor noise,
// so that the JPEG carries as much entropy as a real camera file.
std::vector<uint8_t> PhoneJpeg(const cv::Mat& portrait, cv::Size size) {
  cv::Mat resized;
  cv::resize(portrait, resized, size, 0, 0, cv::INTER_CUBIC);
  cv::Mat noise(resized.size(), CV_16SC3);
  cv::randn(noise, 0, 7);
  cv::Mat noisy;
  resized.convertTo(noisy, CV_16SC3);
  noisy += noise;
  noisy.convertTo(resized, CV_8UC3);
  return testing::EncodeJpeg(resized, 92);
}

boost::json::object Measure(const PortraitChecker& checker, const std::vector<uint8_t>& bytes,
                            const PhotoProfile& profile, int runs, bool& passed) {
  std::vector<double> wall, cpu;
  std::map<std::string, std::vector<double>> stages, cpu_stages;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = ThreadCpuMs();
    const PortraitReport report = checker.Check(bytes, profile);
    cpu.push_back(ThreadCpuMs() - cpu_start);
    wall.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    for (const auto& [stage, ms] : report.timings_ms) stages[stage].push_back(ms);
    for (const auto& [stage, ms] : report.cpu_timings_ms) cpu_stages[stage].push_back(ms);
    passed = report.pass;
  }
  boost::json::object stage_medians;
  for (const auto& [stage, values] : stages) stage_medians[stage] = Median(values);
  boost::json::object cpu_stage_medians;
  for (const auto& [stage, values] : cpu_stages) cpu_stage_medians[stage] = Median(values);
  return {{"bytes", bytes.size()},
          {"runs", runs},
          {"median_ms", Median(wall)},
          {"min_ms", *std::min_element(wall.begin(), wall.end())},
          {"median_cpu_ms", Median(cpu)},
          {"stages_median_ms", stage_medians},
          {"stages_median_cpu_ms", cpu_stage_medians},
          {"pass", passed}};
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(3, std::atoi(argv[1])) : 15;
  // One core: OpenCV's own worker threads would otherwise share the work.
  cv::setNumThreads(1);
  const examphoto::InferenceEngine engine;
  auto checker = PortraitChecker::Load({.shape_predictor = EXAMPHOTO_SHAPE_PREDICTOR}, engine);
  if (!checker.ok()) {
    std::fprintf(stderr, "%s\n", checker.error().detail.c_str());
    return 2;
  }
  const PhotoProfile& profile = PhotoProfiles::Builtin().Default();
  const cv::Mat portrait = testing::PlainWallPortrait(*checker, 3, {670, 480}, 700);
  const auto twelve = PhoneJpeg(portrait, {3000, 4000});
  const auto one = PhoneJpeg(portrait, {866, 1155});
  ResetPeakRss();

  bool twelve_pass = false, one_pass = false;
  boost::json::object results;
  results["photo_12mp"] = Measure(*checker, twelve, profile, runs, twelve_pass);
  results["photo_1mp"] = Measure(*checker, one, profile, runs, one_pass);
  results["peak_rss_mb"] = PeakRssMb();  // models + 1 worker checking 12 MP and 1 MP photos
  results["threads"] = 1;
  results["profile"] = profile.name;
  results["command"] = "build-imaging/bench/imaging/photo_bench " + std::to_string(runs);
  results["targets"] =
      boost::json::object{{"photo_12mp_ms", 150}, {"photo_1mp_ms", 50}, {"peak_rss_mb", 300}};

  const std::string text = boost::json::serialize(results);
  std::printf("%s\n", text.c_str());
  std::ofstream(std::string(EXAMPHOTO_BENCH_RESULTS) + "/photo.json") << text << "\n";
  return twelve_pass && one_pass ? 0 : 1;
}
