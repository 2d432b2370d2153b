#include "idcard/text_recognizer.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <opencv2/imgproc.hpp>

#include "domain/messages.h"

namespace examphoto {
namespace {

// Each input is run at its own width, rounded up to kWidthStep, and at least kMinWidth
// (PaddleOCR pads to 320: narrower inputs lost accuracy in the spike); wider lines are
// squeezed to kMaxWidth. One input per run: on one core a batch of lines costs as much as
// the lines one by one, and padding lines to shared widths cost a fifth of the time.
constexpr int kMinWidth = 320;
constexpr int kMaxWidth = 1280;
constexpr int kWidthStep = 8;  // the recogniser's frames are 8 px apart
// Blank after each line's end: without it the recogniser is less sure of the last characters
// (on blind3, 16 more fields were unsure with none; 32 px brought all but 3 back, 48 px no
// more than 32).
constexpr int kEndBlank = 48;
constexpr int kOrientationWidth = 192;
// Lines at most kShortLine px wide (at the recogniser's height) share inputs of up to
// kSharedWidth, kLineGap px of blank between them.
constexpr int kShortLine = 256;
constexpr int kSharedWidth = 640;
constexpr int kLineGap = 48;

double Distance(cv::Point2f a, cv::Point2f b) { return std::hypot(a.x - b.x, a.y - b.y); }

// (x / 255 - 0.5) / 0.5 into planar CHW at `out` (rows `stride` values apart), at most
// `max_width` columns; the rest is left at 0 (the padding PaddleOCR uses).
void Normalize(const cv::Mat& line, int max_width, float* out, int stride) {
  const size_t plane = static_cast<size_t>(TextRecognizer::kLineHeight) * stride;
  for (int y = 0; y < line.rows; ++y) {
    const cv::Vec3b* row = line.ptr<cv::Vec3b>(y);
    for (int x = 0; x < std::min(line.cols, max_width); ++x) {
      for (int c = 0; c < 3; ++c) {
        out[c * plane + static_cast<size_t>(y) * stride + x] = row[x][c] / 127.5f - 1.0f;
      }
    }
  }
}

void Normalize(const cv::Mat& line, int input_width, std::vector<float>& out) {
  out.assign(3 * static_cast<size_t>(TextRecognizer::kLineHeight) * input_width, 0.0f);
  Normalize(line, input_width, out.data(), input_width);
}

int InputWidth(int line_width) {
  const int padded = line_width + kEndBlank;
  return std::clamp((padded + kWidthStep - 1) / kWidthStep * kWidthStep, kMinWidth, kMaxWidth);
}

}  // namespace

cv::Mat CropLine(const cv::Mat& bgr, const std::array<cv::Point2f, 4>& quad, int height) {
  const double length = std::max(Distance(quad[0], quad[1]), Distance(quad[3], quad[2]));
  const double tall = std::max(Distance(quad[0], quad[3]), Distance(quad[1], quad[2]));
  const int native_width = std::max(1, static_cast<int>(std::lround(length)));
  const int native_height = std::max(1, static_cast<int>(std::lround(tall)));
  const cv::Point2f target[4] = {
      {0, 0},
      {static_cast<float>(native_width), 0},
      {static_cast<float>(native_width), static_cast<float>(native_height)},
      {0, static_cast<float>(native_height)}};
  const cv::Mat transform = cv::getPerspectiveTransform(quad.data(), target);
  cv::Mat native;
  cv::warpPerspective(bgr, native, transform, {native_width, native_height}, cv::INTER_LINEAR,
                      cv::BORDER_REPLICATE);
  const int width = std::max(
      1, static_cast<int>(std::ceil(static_cast<double>(height) * native_width / native_height)));
  cv::Mat line;
  cv::resize(native, line, {width, height}, 0, 0,
             native_height > height ? cv::INTER_AREA : cv::INTER_CUBIC);
  return line;
}

TextLine DecodeCtc(const float* probabilities, int frames, int classes, int content_frames,
                   const CharacterSet& characters) {
  TextLine line;
  line.content_frames = content_frames;
  if (frames <= 0 || classes <= 0) return line;
  line.frames.resize(frames);
  const int kept = std::min(classes, TextRecognizer::kKeptClasses);
  // The kept best classes of a frame, best first: one pass over the classes, where almost
  // every class falls below the last one kept (a sort of all 6,625 per frame cost more than
  // the rest of decoding).
  std::vector<std::pair<int, float>> best;
  best.reserve(kept + 1);
  int previous = CharacterSet::kBlank;
  double sum = 0;
  for (int t = 0; t < frames; ++t) {
    const float* row = probabilities + static_cast<size_t>(t) * classes;
    best.clear();
    for (int c = 0; c < classes; ++c) {
      const float p = row[c];
      if (static_cast<int>(best.size()) == kept && p <= best.back().second) continue;
      auto at = std::find_if(best.begin(), best.end(),
                             [p](const std::pair<int, float>& entry) { return p > entry.second; });
      best.insert(at, {c, p});
      if (static_cast<int>(best.size()) > kept) best.pop_back();
    }
    FramePosteriors& frame = line.frames[t];
    frame.top = best;
    float listed = 0;
    bool blank_listed = false;
    for (const auto& [index, probability] : best) {
      listed += probability;
      blank_listed |= index == CharacterSet::kBlank;
    }
    if (!blank_listed) {
      frame.top.emplace_back(CharacterSet::kBlank, row[CharacterSet::kBlank]);
      listed += row[CharacterSet::kBlank];
    }
    frame.rest = std::max(0.0f, 1.0f - listed);
    const int top = best.front().first;
    if (top != CharacterSet::kBlank && top != previous) {
      line.characters.push_back({characters.Symbol(top), row[top], t, t});
    } else if (top != CharacterSet::kBlank && !line.characters.empty()) {
      RecognizedCharacter& last = line.characters.back();
      last.probability = std::max(last.probability, row[top]);
      last.last_frame = t;
    }
    previous = top;
  }
  for (const RecognizedCharacter& c : line.characters) {
    line.text += c.text;
    sum += c.probability;
  }
  line.score = line.characters.empty() ? 0.0f : static_cast<float>(sum / line.characters.size());
  return line;
}

Result<TextRecognizer> TextRecognizer::Load(const InferenceEngine& engine,
                                            const TextRecognizerPaths& paths, bool warm_up) {
  auto characters = CharacterSet::Load(paths.keys);
  if (!characters.ok()) return characters.error();
  auto recognizer = engine.Load(paths.recognizer);
  if (!recognizer.ok()) return recognizer.error();
  auto orientation = engine.Load(paths.orientation);
  if (!orientation.ok()) return orientation.error();
  TextRecognizer loaded;
  loaded.characters_ = std::make_shared<const CharacterSet>(std::move(characters.value()));
  loaded.recognizer_ = std::move(recognizer.value());
  loaded.orientation_ = std::move(orientation.value());
  if (warm_up) {
    // The narrowest and the widest input once: the first run of a session is slow. Other
    // widths cost no more on their first run than later (thread CPU, measured per width).
    std::vector<float> zeros;
    for (int width : {kMinWidth, kMaxWidth}) {
      zeros.assign(3 * static_cast<size_t>(kLineHeight) * width, 0.0f);
      const TensorInput input{{1, 3, kLineHeight, width}, zeros};
      auto run = loaded.recognizer_->Run(std::span(&input, 1));
      if (!run.ok()) return run.error();
    }
    zeros.assign(3 * static_cast<size_t>(kLineHeight) * kOrientationWidth, 0.0f);
    const TensorInput input{{1, 3, kLineHeight, kOrientationWidth}, zeros};
    auto run = loaded.orientation_->Run(std::span(&input, 1));
    if (!run.ok()) return run.error();
  }
  return loaded;
}

Result<TextLine> TextRecognizer::Recognize(const cv::Mat& bgr,
                                           const std::array<cv::Point2f, 4>& quad) const {
  auto lines = RecognizeLines(bgr, {quad});
  if (!lines.ok()) return lines.error();
  return std::move(lines->front());
}

Result<std::vector<TextLine>> TextRecognizer::RecognizeLines(
    const cv::Mat& bgr, const std::vector<std::array<cv::Point2f, 4>>& quads) const {
  std::vector<cv::Mat> crops;
  for (const auto& quad : quads) {
    cv::Mat line = CropLine(bgr, quad, kLineHeight);
    if (line.cols > kMaxWidth) {
      cv::resize(line, line, {kMaxWidth, kLineHeight}, 0, 0, cv::INTER_AREA);
    }
    crops.push_back(std::move(line));
  }
  // Inputs: short lines share one, side by side with blank gaps between them (each would
  // otherwise be padded to 320 px on its own); longer lines have one each.
  struct Placed {
    size_t line;
    int x;
  };
  struct Input {
    std::vector<Placed> lines;
    int used = 0;
    int width = 0;
  };
  std::vector<size_t> by_width(crops.size());
  std::iota(by_width.begin(), by_width.end(), 0);
  std::stable_sort(by_width.begin(), by_width.end(),
                   [&](size_t a, size_t b) { return crops[a].cols > crops[b].cols; });
  std::vector<Input> inputs;
  for (size_t index : by_width) {
    const int width = crops[index].cols;
    Input* shared = nullptr;
    if (width <= kShortLine) {
      for (Input& input : inputs) {
        if (input.width == 0 && input.used + kLineGap + width <= kSharedWidth) {
          shared = &input;
          break;
        }
      }
    }
    if (shared) {
      const int x = (shared->used + kLineGap + 7) / 8 * 8;
      shared->lines.push_back({index, x});
      shared->used = x + width;
      continue;
    }
    inputs.push_back({{{index, 0}}, width, width > kShortLine ? InputWidth(width) : 0});
  }
  for (Input& input : inputs) {
    if (input.width == 0) input.width = InputWidth(input.used);
  }
  std::vector<TextLine> lines(quads.size());
  std::vector<float> values;
  for (const Input& input : inputs) {
    const size_t plane = static_cast<size_t>(kLineHeight) * input.width;
    values.assign(3 * plane, 0.0f);
    for (const Placed& placed : input.lines) {
      Normalize(crops[placed.line], input.width - placed.x, values.data() + placed.x, input.width);
    }
    const TensorInput tensor{{1, 3, kLineHeight, input.width}, values};
    auto outputs = recognizer_->Run(std::span(&tensor, 1));
    if (!outputs.ok()) return outputs.error();
    const Tensor& output = outputs->front();
    const int frames = static_cast<int>(output.Dim(1));
    const int classes = static_cast<int>(output.Dim(2));
    if (classes != characters_->class_count()) {
      return MakeError(ErrorKind::kInternal, "internal.error",
                       "recogniser has " + std::to_string(classes) +
                           " classes, the character list " +
                           std::to_string(characters_->class_count()));
    }
    const double frames_per_px = static_cast<double>(frames) / input.width;
    for (const Placed& placed : input.lines) {
      const int width = crops[placed.line].cols;
      // The line's frames, with the blank frames after it up to the next line (or the end).
      const int first_frame = static_cast<int>(std::floor(placed.x * frames_per_px));
      int end_frame = frames;
      for (const Placed& other : input.lines) {
        if (other.x > placed.x) {
          end_frame = std::min(
              end_frame, static_cast<int>(std::floor((other.x - kLineGap / 2.0) * frames_per_px)));
        }
      }
      const int count = std::max(1, end_frame - first_frame);
      const int content_frames =
          std::clamp(static_cast<int>(std::ceil(width * frames_per_px)), 1, count);
      lines[placed.line] =
          DecodeCtc(output.values.data() + static_cast<size_t>(first_frame) * classes, count,
                    classes, content_frames, *characters_);
      lines[placed.line].quad = quads[placed.line];
    }
  }
  return lines;
}

Result<double> TextRecognizer::UpsideDownProbability(const cv::Mat& bgr,
                                                     const std::array<cv::Point2f, 4>& quad) const {
  cv::Mat line = CropLine(bgr, quad, kLineHeight);
  if (line.cols > kOrientationWidth) {
    cv::resize(line, line, {kOrientationWidth, kLineHeight}, 0, 0, cv::INTER_AREA);
  }
  std::vector<float> input;
  Normalize(line, kOrientationWidth, input);
  const TensorInput tensor{{1, 3, kLineHeight, kOrientationWidth}, input};
  auto outputs = orientation_->Run(std::span(&tensor, 1));
  if (!outputs.ok()) return outputs.error();
  const std::vector<float>& p = outputs->front().values;
  if (p.size() < 2) return MakeError(ErrorKind::kInternal, "internal.error", "orientation output");
  return static_cast<double>(p[1] / std::max(1e-6f, p[0] + p[1]));
}

}  // namespace examphoto
