#include "imaging/jpeg_encoder.h"

#include <turbojpeg.h>

#include <memory>
#include <opencv2/imgproc.hpp>

namespace examphoto::imaging {

std::string EncodeJpeg(const cv::Mat& image, int quality, int dpi) {
  cv::Mat bgr;
  if (image.channels() == 1) {
    cv::cvtColor(image, bgr, cv::COLOR_GRAY2BGR);
  } else if (image.channels() == 4) {
    cv::cvtColor(image, bgr, cv::COLOR_BGRA2BGR);
  } else {
    bgr = image.isContinuous() ? image : image.clone();
  }
  std::unique_ptr<void, int (*)(tjhandle)> handle(tjInitCompress(), tjDestroy);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  if (tjCompress2(handle.get(), bgr.data, bgr.cols, static_cast<int>(bgr.step), bgr.rows, TJPF_BGR,
                  &buffer, &size, TJSAMP_420, quality, 0) != 0) {
    tjFree(buffer);
    return {};
  }
  std::string jpeg(reinterpret_cast<const char*>(buffer), size);
  tjFree(buffer);
  // JFIF APP0 right after SOI: "JFIF\0", version (2), units (1), X and Y density (2 each).
  if (dpi > 0 && jpeg.size() > 18 && jpeg.compare(6, 5, std::string("JFIF\0", 5)) == 0) {
    jpeg[13] = 1;  // dots per inch
    jpeg[14] = static_cast<char>(dpi >> 8);
    jpeg[15] = static_cast<char>(dpi & 0xFF);
    jpeg[16] = static_cast<char>(dpi >> 8);
    jpeg[17] = static_cast<char>(dpi & 0xFF);
  }
  return jpeg;
}

}  // namespace examphoto::imaging
