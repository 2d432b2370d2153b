// The input both MediaPipe models take: an 8-bit BGR picture as RGB floats in 0..1, NHWC,
// batch of one, continuous in memory (the tensor points into it while the model runs).
#pragma once

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "inference/inference_engine.h"

namespace examphoto::imaging {

// `rgb` receives the pixels and must outlive the returned tensor.
inline TensorInput RgbUnitTensor(const cv::Mat& bgr, cv::Mat& rgb) {
  cv::Mat converted;
  cv::cvtColor(bgr, converted, cv::COLOR_BGR2RGB);
  converted.convertTo(rgb, CV_32FC3, 1.0 / 255);
  return {{1, rgb.rows, rgb.cols, 3}, std::span<const float>(rgb.ptr<float>(), rgb.total() * 3)};
}

}  // namespace examphoto::imaging
