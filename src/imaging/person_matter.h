// Separates the candidate from whatever is behind them with a learned person matte:
// MediaPipe's selfie segmentation (256×256, Apache-2.0; converted to ONNX at install time by
// tools/model_converter/tfjs_to_onnx.py) run through the inference engine on one core.
// Its matte is right about the body's outline but soft and coarse at the hair; the refinement
// in matte_refinement.h sharpens it against the full-resolution frame. Load once per process;
// Matte is const and thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <opencv2/core.hpp>

#include "domain/result.h"
#include "imaging/id_photo_composer.h"
#include "inference/inference_engine.h"

namespace examphoto::imaging {

class PersonMatter final : public MatteSource {
 public:
  // The model's side: the frame is resampled to this square before inference.
  static constexpr int kInputSize = 256;

  static Result<PersonMatter> Load(const InferenceEngine& engine,
                                   const std::filesystem::path& model_file);

  // The person's probability for each pixel of `bgr` (8-bit BGR of any size), as CV_32F in
  // [0, 1] at the model's resolution (kInputSize²): the caller resizes it to where it needs
  // it. An inference failure is an error, not a crash.
  Result<cv::Mat> Matte(const cv::Mat& bgr) const override;

 private:
  explicit PersonMatter(std::shared_ptr<const InferenceModel> model) : model_(std::move(model)) {}
  std::shared_ptr<const InferenceModel> model_;
};

}  // namespace examphoto::imaging
