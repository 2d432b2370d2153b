#include "idcard/text_detector.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace examphoto {
namespace {

// PaddleOCR's detector takes BGR normalised with ImageNet's mean and deviation, applied to the
// channels in BGR order as its own pre-processing does.
constexpr float kMean[3] = {0.485f, 0.456f, 0.406f};
constexpr float kDeviation[3] = {0.229f, 0.224f, 0.225f};

int RoundUpTo32(double value) { return std::max(32, static_cast<int>(std::ceil(value / 32)) * 32); }

}  // namespace

cv::Size DetectionCanvas(cv::Size size, int max_side) {
  // One shape per orientation (long × 3/4 long): a squarer photo is reduced until its short
  // side fits, which keeps ONNX Runtime's memory to what the 4:3 canvas needs.
  const int long_side = RoundUpTo32(std::min(max_side, std::max(size.width, size.height)));
  const int short_side = RoundUpTo32(long_side * 3 / 4.0);  // exact: long_side is 32·k
  return size.width >= size.height ? cv::Size(long_side, short_side)
                                   : cv::Size(short_side, long_side);
}

Result<TextDetector> TextDetector::Load(const InferenceEngine& engine,
                                        const std::filesystem::path& model_file,
                                        TextDetectorOptions options,
                                        std::span<const int> warm_up_sides) {
  auto model = engine.Load(model_file);
  if (!model.ok()) return model.error();
  TextDetector detector(std::move(model.value()), options);
  for (int side : warm_up_sides) {
    for (const cv::Size shape :
         {cv::Size(side, side * 3 / 4), cv::Size(side * 3 / 4, side), cv::Size(side, side)}) {
      auto run = detector.Detect(cv::Mat(shape, CV_8UC3, cv::Scalar::all(255)), side);
      if (!run.ok()) return run.error();
    }
  }
  return detector;
}

Result<std::vector<DetectedText>> TextDetector::Detect(const cv::Mat& bgr) const {
  return Detect(bgr, options_.max_side);
}

Result<std::vector<DetectedText>> TextDetector::Detect(const cv::Mat& bgr, int max_side) const {
  const cv::Size canvas = DetectionCanvas(bgr.size(), max_side);
  const double scale = std::min({1.0, static_cast<double>(canvas.width) / bgr.cols,
                                 static_cast<double>(canvas.height) / bgr.rows});
  cv::Mat resized;
  if (scale < 1) {
    cv::resize(bgr, resized, {}, scale, scale, cv::INTER_AREA);
  } else {
    resized = bgr;
  }
  // The photo at the top left of the canvas; the rest stays at the mean (0 once normalised).
  const int width = canvas.width, height = canvas.height;
  std::vector<float> input(3 * static_cast<size_t>(width) * height, 0.0f);
  const size_t plane = static_cast<size_t>(width) * height;
  float lookup[3][256];
  for (int c = 0; c < 3; ++c) {
    for (int v = 0; v < 256; ++v) lookup[c][v] = (v / 255.0f - kMean[c]) / kDeviation[c];
  }
  for (int y = 0; y < std::min(height, resized.rows); ++y) {
    const cv::Vec3b* row = resized.ptr<cv::Vec3b>(y);
    for (int x = 0; x < std::min(width, resized.cols); ++x) {
      for (int c = 0; c < 3; ++c) {
        input[c * plane + static_cast<size_t>(y) * width + x] = lookup[c][row[x][c]];
      }
    }
  }
  const TensorInput tensor{{1, 3, height, width}, input};
  auto outputs = model_->Run(std::span(&tensor, 1));
  if (!outputs.ok()) return outputs.error();
  const Tensor& map = outputs->front();
  const int map_height = static_cast<int>(map.Dim(2)), map_width = static_cast<int>(map.Dim(3));
  const cv::Mat probability(map_height, map_width, CV_32F, const_cast<float*>(map.values.data()));
  // Only the part of the map over the photo.
  const cv::Rect content(0, 0, std::min(map_width, resized.cols * map_width / width),
                         std::min(map_height, resized.rows * map_height / height));
  std::vector<DetectedText> boxes = BoxesFromProbabilityMap(probability(content), options_);
  const float sx = static_cast<float>(bgr.cols) / content.width;
  const float sy = static_cast<float>(bgr.rows) / content.height;
  for (DetectedText& box : boxes) {
    for (cv::Point2f& p : box.corners) {
      p.x = std::clamp(p.x * sx, 0.0f, static_cast<float>(bgr.cols - 1));
      p.y = std::clamp(p.y * sy, 0.0f, static_cast<float>(bgr.rows - 1));
    }
  }
  return boxes;
}

std::vector<DetectedText> BoxesFromProbabilityMap(const cv::Mat& probability,
                                                  const TextDetectorOptions& options) {
  cv::Mat bitmap = probability > options.pixel_threshold;
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(bitmap, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
  std::vector<DetectedText> boxes;
  for (const auto& contour : contours) {
    if (contour.size() < 3) continue;
    const cv::RotatedRect rect = cv::minAreaRect(contour);
    if (std::min(rect.size.width, rect.size.height) < options.min_box_side) continue;
    // Mean probability inside the contour itself (PaddleOCR's "slow" score): a box's corners
    // would add background on tilted lines.
    const cv::Rect bounds =
        cv::boundingRect(contour) & cv::Rect(0, 0, probability.cols, probability.rows);
    if (bounds.empty()) continue;
    cv::Mat mask = cv::Mat::zeros(bounds.size(), CV_8U);
    std::vector<cv::Point> shifted(contour);
    for (cv::Point& p : shifted) p -= bounds.tl();
    cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{shifted}, 255);
    const float score = static_cast<float>(cv::mean(probability(bounds), mask)[0]);
    if (score < options.box_threshold) continue;
    // Unclip: the detector is trained on shrunk text regions; grow each side by
    // area × ratio / perimeter, which for a rectangle is exactly the polygon offset.
    const double w = rect.size.width, h = rect.size.height;
    const double grow = w * h * options.unclip_ratio / (2 * (w + h));
    const cv::RotatedRect grown(
        rect.center, cv::Size2f(static_cast<float>(w + 2 * grow), static_cast<float>(h + 2 * grow)),
        rect.angle);
    if (std::min(grown.size.width, grown.size.height) < options.min_box_side + 2) continue;
    DetectedText box;
    grown.points(box.corners.data());
    box.score = score;
    boxes.push_back(box);
  }
  return boxes;
}

}  // namespace examphoto
