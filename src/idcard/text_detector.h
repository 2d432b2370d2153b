// Finds lines of text anywhere in a photo with PaddleOCR's PP-OCRv4 DB detector (ONNX, run by
// the shared inference engine): no card outline is needed, so a card filling the frame, on
// any surface, or a flat scan reads the same. Thread-safe; load once per process.
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <opencv2/core.hpp>
#include <span>
#include <vector>

#include "domain/result.h"
#include "inference/inference_engine.h"

namespace examphoto {

struct DetectedText {
  // The text's rotated rectangle, grown as PaddleOCR does (unclip ratio 1.5), in the input
  // image's pixels; corners in no particular reading order (the reader orients them).
  std::array<cv::Point2f, 4> corners{};
  float score = 0;  // mean text probability inside the found region
};

struct TextDetectorOptions {
  // The photo is reduced so that its long side is at most this, and placed on a canvas of
  // one shape per orientation (this long side, the short side 3/4 of it), so that ONNX
  // Runtime sees a handful of input shapes, each run once at load.
  int max_side = 640;
  float pixel_threshold = 0.3f;  // a pixel is text above this probability
  float box_threshold = 0.6f;    // a region is kept when its mean probability is above this
  double unclip_ratio = 1.5;
  double min_box_side = 3;  // pixels of the reduced image
};

class TextDetector {
 public:
  // `warm_up_sides`: canvas long sides to run once at load (every canvas shape of each).
  static Result<TextDetector> Load(const InferenceEngine& engine,
                                   const std::filesystem::path& model_file,
                                   TextDetectorOptions options = {},
                                   std::span<const int> warm_up_sides = {});

  // `bgr` at any size; the boxes come back in its pixels.
  Result<std::vector<DetectedText>> Detect(const cv::Mat& bgr) const;
  // The same with the long side reduced to `max_side` instead of the option's.
  Result<std::vector<DetectedText>> Detect(const cv::Mat& bgr, int max_side) const;

 private:
  TextDetector(std::unique_ptr<InferenceModel> model, TextDetectorOptions options)
      : model_(std::move(model)), options_(options) {}
  std::shared_ptr<InferenceModel> model_;
  TextDetectorOptions options_;
};

// The canvas (width, height) an image of `size` is detected on with long side `max_side`:
// sides multiples of 32, the short side 3/4 of the long one.
cv::Size DetectionCanvas(cv::Size size, int max_side);

// The DB post-processing on a probability map (rows × cols, CV_32F): boxes in map pixels.
// Exposed for tests.
std::vector<DetectedText> BoxesFromProbabilityMap(const cv::Mat& probability,
                                                  const TextDetectorOptions& options);

}  // namespace examphoto
