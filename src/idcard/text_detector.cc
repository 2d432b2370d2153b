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

int RoundTo32(double value) { return std::max(32, static_cast<int>(std::lround(value / 32)) * 32); }

}  // namespace

Result<TextDetector> TextDetector::Load(const InferenceEngine& engine,
                                        const std::filesystem::path& model_file,
                                        TextDetectorOptions options) {
  auto model = engine.Load(model_file);
  if (!model.ok()) return model.error();
  return TextDetector(std::move(model.value()), options);
}

Result<std::vector<DetectedText>> TextDetector::Detect(const cv::Mat& bgr) const {
  return Detect(bgr, options_.max_side);
}

Result<std::vector<DetectedText>> TextDetector::Detect(const cv::Mat& bgr, int max_side) const {
  const double scale = std::min(1.0, static_cast<double>(max_side) / std::max(bgr.cols, bgr.rows));
  const int width = RoundTo32(bgr.cols * scale), height = RoundTo32(bgr.rows * scale);
  cv::Mat resized;
  cv::resize(bgr, resized, {width, height}, 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  std::vector<float> input(3 * static_cast<size_t>(width) * height);
  const size_t plane = static_cast<size_t>(width) * height;
  for (int y = 0; y < height; ++y) {
    const cv::Vec3b* row = resized.ptr<cv::Vec3b>(y);
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < 3; ++c) {
        input[c * plane + y * width + x] = (row[x][c] / 255.0f - kMean[c]) / kDeviation[c];
      }
    }
  }
  const TensorInput tensor{{1, 3, height, width}, input};
  auto outputs = model_->Run(std::span(&tensor, 1));
  if (!outputs.ok()) return outputs.error();
  const Tensor& map = outputs->front();
  const int map_height = static_cast<int>(map.Dim(2)), map_width = static_cast<int>(map.Dim(3));
  const cv::Mat probability(map_height, map_width, CV_32F, const_cast<float*>(map.values.data()));
  std::vector<DetectedText> boxes = BoxesFromProbabilityMap(probability, options_);
  const float sx = static_cast<float>(bgr.cols) / map_width;
  const float sy = static_cast<float>(bgr.rows) / map_height;
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
