// Real sample photos (npm @vladmandic/face-api demo/sample1..6.jpg) and helpers that turn
// them into test inputs: encoded files of each format and hard cases for the checks.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "imaging/face_detector.h"
#include "imaging/portrait_checker.h"

namespace examphoto::imaging::testing {

// The portrait checker with its models (dlib's landmarks, the selfie matte), loaded once per
// test process.
const PortraitChecker& SharedChecker();

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

// A portrait of a candidate before a plain light-grey wall, made from a real photo: the
// person in a sample photo (a crop of `crop_width` around `centre`) composed by the ID-photo
// composer onto kWallBgr at 720×960. The good photo from which hard cases are derived.
inline const cv::Scalar kWallBgr(224, 228, 226);
cv::Mat PlainWallPortrait(int sample, cv::Point centre, int crop_width);
cv::Mat PlainWallPortrait(const PortraitChecker& checker, int sample, cv::Point centre,
                          int crop_width);

// A crop of a sample photo shaped like a phone portrait (3:4), `centre` at 2/5 height.
cv::Mat PortraitCrop(int sample, cv::Point centre, int crop_width);

// Hard cases, each from a good portrait.
cv::Mat Darken(const cv::Mat& photo, double factor);
cv::Mat Overexpose(const cv::Mat& photo);
cv::Mat Blur(const cv::Mat& photo, double sigma);
cv::Mat Rotate(const cv::Mat& photo, double degrees_clockwise);
cv::Mat ShiftSideways(const cv::Mat& photo, double fraction_of_width);
cv::Mat ShrinkOnWall(const cv::Mat& photo, double scale);
cv::Mat CropAroundCentre(const cv::Mat& photo, double fraction);
cv::Mat PasteSecondFace(const cv::Mat& photo, const cv::Rect& face, double scale);
cv::Mat BusyBackground(const cv::Mat& photo);
// Light from one side across the face: `darkest` of the light on the far cheek.
cv::Mat SideLight(const cv::Mat& photo, const FaceLandmarks& face, double darkest, bool from_right);
cv::Mat ShowOnScreen(const cv::Mat& photo);

}  // namespace examphoto::imaging::testing
