// PNG encoding with libpng, for the debug images of `photo check --debug-dir` (lossless, so
// that a matte can be read back exactly). Same reason as jpeg_encoder.h for not using
// OpenCV's imgcodecs.
#pragma once

#include <opencv2/core.hpp>
#include <string>

namespace examphoto::imaging {

// An 8-bit grey (CV_8UC1) or BGR (CV_8UC3) image as PNG bytes; empty on failure.
std::string EncodePng(const cv::Mat& image);

}  // namespace examphoto::imaging
