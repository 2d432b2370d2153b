#include "imaging/person_matter.h"

#include <opencv2/imgproc.hpp>
#include <vector>

#include "domain/messages.h"
#include "imaging/model_input.h"

namespace examphoto::imaging {

Result<PersonMatter> PersonMatter::Load(const InferenceEngine& engine,
                                        const std::filesystem::path& model_file) {
  auto model = engine.Load(model_file);
  if (!model.ok()) return model.error();
  const std::vector<int64_t> shape = (*model)->input_shape(0);
  if (shape != std::vector<int64_t>{1, kInputSize, kInputSize, 3}) {
    return MakeError(ErrorKind::kInternal, "models.load_failed",
                     model_file.string() + " is not the 1×256×256×3 selfie segmentation model");
  }
  PersonMatter matter(std::shared_ptr<const InferenceModel>(std::move(model).value()));
  // The first run of a session sets up its kernels (hundreds of ms): pay it at load.
  const cv::Mat grey(kInputSize, kInputSize, CV_8UC3, cv::Scalar(128, 128, 128));
  if (auto warm = matter.Matte(grey); !warm.ok()) return warm.error();
  return matter;
}

Result<cv::Mat> PersonMatter::Matte(const cv::Mat& bgr) const {
  // The model takes RGB in 0..1, NHWC, the whole picture squeezed to 256×256 (as MediaPipe
  // feeds it): a 3:4 portrait frame is stretched sideways, which it was trained to expect.
  cv::Mat resized;
  cv::resize(bgr, resized, cv::Size(kInputSize, kInputSize), 0, 0, cv::INTER_AREA);
  cv::Mat input;
  const TensorInput tensor = RgbUnitTensor(resized, input);
  auto outputs = model_->Run(std::span<const TensorInput>(&tensor, 1));
  if (!outputs.ok()) return outputs.error();
  const Tensor& out = outputs->front();
  if (out.values.size() != static_cast<size_t>(kInputSize) * kInputSize) {
    return MakeError(ErrorKind::kInternal, "internal.error", "selfie model output has wrong size");
  }
  return cv::Mat(kInputSize, kInputSize, CV_32F, const_cast<float*>(out.values.data())).clone();
}

}  // namespace examphoto::imaging
