#include "identity/face_comparer.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <opencv2/imgproc.hpp>
#include <utility>
#include <vector>

#include "domain/messages.h"
#include "imaging/image_decoder.h"

namespace examphoto::identity {
namespace {

const imaging::FaceLandmarks* Largest(const std::vector<imaging::FaceLandmarks>& faces) {
  const auto largest =
      std::max_element(faces.begin(), faces.end(),
                       [](const auto& a, const auto& b) { return a.box.area() < b.box.area(); });
  return largest == faces.end() ? nullptr : &*largest;
}

// Printed portraits are often flat and faint (ink on polycarbonate, photographed through
// glare); stretching local contrast on lightness gives the detector its edges back.
cv::Mat WithLocalContrast(const cv::Mat& bgr) {
  cv::Mat lab;
  cv::cvtColor(bgr, lab, cv::COLOR_BGR2Lab);
  std::vector<cv::Mat> channels;
  cv::split(lab, channels);
  cv::createCLAHE(2.0, cv::Size(8, 8))->apply(channels[0], channels[0]);
  cv::merge(channels, lab);
  cv::Mat result;
  cv::cvtColor(lab, result, cv::COLOR_Lab2BGR);
  return result;
}

Error Renamed(const Error& error, std::string_view code) {
  Error renamed = MakeError(error.kind, code, error.code + ": " + error.detail);
  return renamed;
}

}  // namespace

FaceComparer::FaceComparer(FaceEmbedder embedder, imaging::FaceDetector detector,
                           FaceComparerOptions options)
    : embedder_(std::move(embedder)),
      detector_(std::move(detector)),
      options_(std::move(options)) {}

Result<FaceComparer> FaceComparer::Load(const FaceModelPaths& paths,
                                        const FaceComparerOptions& options) {
  auto embedder = FaceEmbedder::Load(paths.face_model_dir);
  if (!embedder.ok()) return embedder.error();
  auto detector = imaging::FaceDetector::Load(paths.shape_predictor_path, options.detector);
  if (!detector.ok()) {
    return MakeError(ErrorKind::kInternal, "face.model_missing", detector.error().detail);
  }
  return FaceComparer(std::move(embedder).value(), std::move(detector).value(), options);
}

FaceComparison FaceComparer::Judge(double distance) const {
  return FaceComparison{distance, distance < options_.threshold, options_.threshold};
}

Result<FaceDescriptor> FaceComparer::Describe(const cv::Mat& bgr, FaceSource source) const {
  if (source == FaceSource::kCardPortrait) return DescribeCardPortrait(bgr);
  return DescribePhoto(bgr);
}

Result<FaceDescriptor> FaceComparer::DescribePhoto(const cv::Mat& bgr) const {
  const auto faces = detector_.Detect(bgr);
  const auto* face = Largest(faces);
  if (face == nullptr) {
    return MakeError(ErrorKind::kUnprocessable, "face.not_found_in_photo");
  }
  return embedder_.Embed(bgr, *face);
}

Result<FaceDescriptor> FaceComparer::DescribeCardPortrait(const cv::Mat& portrait) const {
  if (portrait.empty()) return MakeError(ErrorKind::kUnprocessable, "face.not_found_on_card");
  // A portrait is cropped tight around the head: the detector's window and dlib's chip
  // (25 % padding around the landmarks) both reach past its edges, so it gets a border.
  const int border = std::max(portrait.cols, portrait.rows) / 4;
  cv::Mat padded;
  cv::copyMakeBorder(portrait, padded, border, border, border, border, cv::BORDER_REPLICATE);
  // Rescale with a cubic kernel: the detector needs the face above its 80 px window, and the
  // chip is then sampled from the larger copy without aliasing the print's dot pattern.
  // Printed portraits are often flat and faint, so each width is tried as printed and then
  // with local contrast stretched.
  cv::Mat scaled;
  const imaging::FaceLandmarks* face = nullptr;
  std::vector<imaging::FaceLandmarks> faces;
  // A large input (a portrait cut from a sharp capture, or the whole card) is passed as it
  // is: the detector scales it down itself and retries wider when nothing is found.
  std::vector<int> widths;
  if (padded.cols >= options_.card_detection_widths.front()) widths.push_back(padded.cols);
  for (int width : options_.card_detection_widths) {
    if (width > padded.cols) widths.push_back(width);
  }
  // Last, twice the size: a whole card captured small (5 px/mm) prints the face ~65 px wide,
  // under the detector's window even at the card's own size.
  if (widths.empty() || padded.cols * 2 > widths.back()) widths.push_back(padded.cols * 2);
  for (bool contrast : {false, true}) {
    for (int width : widths) {
      if (width == padded.cols) {
        scaled = padded;
      } else {
        const double scale = static_cast<double>(width) / padded.cols;
        cv::resize(padded, scaled, cv::Size(), scale, scale, cv::INTER_CUBIC);
      }
      // Landmarks found on the contrasted copy fit the plain one: the geometry is the same,
      // and the chip comes from `scaled` so that the network sees the colours it knows.
      faces = detector_.Detect(contrast ? WithLocalContrast(scaled) : scaled);
      face = Largest(faces);
      if (face != nullptr) break;
    }
    if (face != nullptr) break;
  }
  if (face == nullptr) {
    return MakeError(ErrorKind::kUnprocessable, "face.not_found_on_card");
  }
  return embedder_.Embed(scaled, *face);
}

Result<FaceComparison> FaceComparer::Compare(const cv::Mat& first, FaceSource first_source,
                                             const cv::Mat& second,
                                             FaceSource second_source) const {
  auto first_descriptor = Describe(first, first_source);
  if (!first_descriptor.ok()) return Renamed(first_descriptor.error(), "face.not_found_in_first");
  auto second_descriptor = Describe(second, second_source);
  if (!second_descriptor.ok()) {
    return Renamed(second_descriptor.error(), "face.not_found_in_second");
  }
  return Judge(FaceDistance(*first_descriptor, *second_descriptor));
}

Result<cv::Mat> FaceComparer::ReadImage(const std::filesystem::path& path) const {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return MakeError(ErrorKind::kNotFound, "face.unreadable", "not a file: " + path.string());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorKind::kNotFound, "face.unreadable", path.string());
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
  imaging::DecodeOptions decode_options;
  decode_options.target_long_side = options_.decode_long_side;
  auto decoded = imaging::DecodeImage(bytes, decode_options);
  if (!decoded.ok()) return decoded.error();
  return std::move(decoded->bgr);
}

Result<FaceComparison> FaceComparer::CompareFiles(const std::filesystem::path& first,
                                                  FaceSource first_source,
                                                  const std::filesystem::path& second,
                                                  FaceSource second_source) const {
  auto first_image = ReadImage(first);
  if (!first_image.ok()) return Renamed(first_image.error(), "face.unreadable_first");
  auto second_image = ReadImage(second);
  if (!second_image.ok()) return Renamed(second_image.error(), "face.unreadable_second");
  return Compare(*first_image, first_source, *second_image, second_source);
}

}  // namespace examphoto::identity
