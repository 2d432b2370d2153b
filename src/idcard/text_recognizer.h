// Reads one line of text with PaddleOCR's PP-OCRv4 recogniser (CRNN + CTC, ONNX, run by the
// shared inference engine), and tells upright lines from upside-down ones with PaddleOCR's
// text-line orientation classifier. Thread-safe; load once per process.
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <opencv2/core.hpp>
#include <vector>

#include "domain/result.h"
#include "idcard/character_set.h"
#include "idcard/text_line.h"
#include "inference/inference_engine.h"

namespace examphoto {

struct TextRecognizerPaths {
  std::filesystem::path recognizer;   // ch_PP-OCRv4_rec_infer.onnx
  std::filesystem::path keys;         // ppocr_keys_v1.txt
  std::filesystem::path orientation;  // ch_ppocr_mobile_v2.0_cls_infer.onnx
};

class TextRecognizer {
 public:
  static constexpr int kLineHeight = 48;
  // Classes kept per output frame (FramePosteriors::top).
  static constexpr int kKeptClasses = 12;

  // Runs each input width once so that no request pays for ONNX Runtime's first run of a
  // shape; off in tests that only need a few lines.
  static Result<TextRecognizer> Load(const InferenceEngine& engine,
                                     const TextRecognizerPaths& paths, bool warm_up = true);

  // Reads the text inside `quad` (corners in reading order, TextLine::quad) of `bgr`.
  Result<TextLine> Recognize(const cv::Mat& bgr, const std::array<cv::Point2f, 4>& quad) const;
  // The same for many lines: each line is one input at its own width, except that short
  // lines share an input side by side (text_recognizer.cc).
  Result<std::vector<TextLine>> RecognizeLines(
      const cv::Mat& bgr, const std::vector<std::array<cv::Point2f, 4>>& quads) const;
  // The probability that the line inside `quad` is upside down.
  Result<double> UpsideDownProbability(const cv::Mat& bgr,
                                       const std::array<cv::Point2f, 4>& quad) const;

  const CharacterSet& characters() const { return *characters_; }

 private:
  TextRecognizer() = default;
  std::shared_ptr<InferenceModel> recognizer_;
  std::shared_ptr<InferenceModel> orientation_;
  std::shared_ptr<const CharacterSet> characters_;
};

// The quad's content warped upright to `height` pixels (width in proportion), BGR.
cv::Mat CropLine(const cv::Mat& bgr, const std::array<cv::Point2f, 4>& quad, int height);

// Greedy CTC decoding of a probability matrix (frames × classes, row-major): the characters
// with their probabilities and frames, and the sparse posteriors. For the recogniser and
// for tests.
TextLine DecodeCtc(const float* probabilities, int frames, int classes, int content_frames,
                   const CharacterSet& characters);

}  // namespace examphoto
