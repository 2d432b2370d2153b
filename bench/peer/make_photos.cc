// Writes the two inputs of bench/imaging/photo_bench to files, byte for byte the same (same
// recipe, same calls in the same order, so OpenCV's default-seeded RNG draws the same noise),
// so that the peer benchmark (face-api-wasm.mjs) reads exactly the photos our core is timed on.
// Build and run: bench/peer/make-photos.sh OUTPUT_DIR (links against build-imaging).
#include <cstdio>
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "imaging/face_detector.h"
#include "imaging/portrait_checker.h"
#include "test_photos.h"

namespace {

using namespace examphoto::imaging;

// Same as PhoneJpeg in bench/imaging/photo_bench.cc.
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

void Write(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  std::printf("%s %zu bytes\n", path.c_str(), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  const std::string out = argc > 1 ? argv[1] : ".";
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
  const cv::Mat portrait = testing::PlainWallPortrait(*checker, 3, {670, 480}, 700);
  Write(out + "/photo_12mp.jpg", PhoneJpeg(portrait, {3000, 4000}));
  Write(out + "/photo_1mp.jpg", PhoneJpeg(portrait, {866, 1155}));
  return 0;
}
