// Real sample photos (npm @vladmandic/face-api demo/sample1..6.jpg) and helpers that turn
// them into test inputs: encoded files of each format and hard cases for the checks.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace examphoto::imaging::testing {

std::string SamplePath(int n);
std::vector<uint8_t> ReadFileBytes(const std::string& path);
std::vector<uint8_t> SampleBytes(int n);
cv::Mat SampleImage(int n);

std::vector<uint8_t> EncodeJpeg(const cv::Mat& bgr, int quality = 92);
std::vector<uint8_t> EncodePng(const cv::Mat& image);
std::vector<uint8_t> EncodeWebp(const cv::Mat& bgr, float quality = 90);
std::vector<uint8_t> EncodeHeif(const cv::Mat& bgr, int quality = 80);

// A JPEG with an APP1 EXIF block carrying `orientation` and, if not empty, `software`.
std::vector<uint8_t> WithExif(std::vector<uint8_t> jpeg, int orientation,
                              const std::string& software);

}  // namespace examphoto::imaging::testing
