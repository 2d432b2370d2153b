// JPEG encoding with libjpeg-turbo, for every image the service stores or sends (finished
// photos, straightened cards, card portraits). The server does not link OpenCV's imgcodecs,
// whose dependencies (GDAL, DICOM, PDF readers) would cost memory for nothing.
#pragma once

#include <opencv2/core.hpp>
#include <string>

namespace examphoto::imaging {

// A baseline 4:2:0 JPEG of an 8-bit BGR (or grey) image; `dpi` > 0 is written to the JFIF
// header. Empty on failure.
std::string EncodeJpeg(const cv::Mat& image, int quality, int dpi = 0);

}  // namespace examphoto::imaging
