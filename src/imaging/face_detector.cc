#include "imaging/face_detector.h"

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv/cv_image.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <opencv2/imgproc.hpp>

#include "domain/messages.h"

namespace examphoto::imaging {

// dlib's detector keeps scratch buffers in itself, so one instance serves one thread at a
// time; a small pool of copies lets concurrent calls run without waiting on each other.
struct FaceDetector::State {
  FaceDetectorOptions options;
  dlib::shape_predictor shape_predictor;  // const use is thread-safe
  dlib::frontal_face_detector prototype;
  std::mutex pool_mutex;
  std::vector<std::unique_ptr<dlib::frontal_face_detector>> pool;

  std::unique_ptr<dlib::frontal_face_detector> Take() {
    std::lock_guard lock(pool_mutex);
    if (pool.empty()) return std::make_unique<dlib::frontal_face_detector>(prototype);
    auto detector = std::move(pool.back());
    pool.pop_back();
    return detector;
  }
  void Give(std::unique_ptr<dlib::frontal_face_detector> detector) {
    std::lock_guard lock(pool_mutex);
    pool.push_back(std::move(detector));
  }
};

FaceDetector::FaceDetector(std::unique_ptr<State> state) : state_(std::move(state)) {}
FaceDetector::FaceDetector(FaceDetector&&) noexcept = default;
FaceDetector& FaceDetector::operator=(FaceDetector&&) noexcept = default;
FaceDetector::~FaceDetector() = default;

Result<FaceDetector> FaceDetector::Load(const std::string& shape_predictor_path,
                                        FaceDetectorOptions options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(shape_predictor_path, ec)) {
    return MakeError(ErrorKind::kInternal, "photo.model_missing",
                     "shape predictor not found: " + shape_predictor_path);
  }
  auto state = std::make_unique<State>();
  state->options = options;
  try {
    dlib::deserialize(shape_predictor_path) >> state->shape_predictor;
  } catch (const std::exception& e) {
    return MakeError(ErrorKind::kInternal, "photo.model_missing",
                     "cannot read shape predictor " + shape_predictor_path + ": " + e.what());
  }
  state->prototype = dlib::get_frontal_face_detector();
  return FaceDetector(std::move(state));
}

namespace {

FaceLandmarks ToLandmarks(const dlib::full_object_detection& shape, const cv::Rect2f& box,
                          double score) {
  FaceLandmarks face;
  face.box = box;
  face.score = score;
  for (unsigned long i = 0; i < shape.num_parts() && i < face.points.size(); ++i) {
    face.points[i] =
        cv::Point2f(static_cast<float>(shape.part(i).x()), static_cast<float>(shape.part(i).y()));
  }
  return face;
}

dlib::rectangle ToDlib(const cv::Rect2f& box) {
  return dlib::rectangle(std::lround(box.x), std::lround(box.y), std::lround(box.x + box.width),
                         std::lround(box.y + box.height));
}

}  // namespace

FaceLandmarks FaceDetector::Landmarks(const cv::Mat& image, const cv::Rect2f& box) const {
  dlib::full_object_detection shape;
  if (image.channels() == 3) {
    // Landmarks sample a few hundred pixels only, so the full-resolution colour image is
    // read in place rather than converted to grey.
    shape = state_->shape_predictor(dlib::cv_image<dlib::bgr_pixel>(image), ToDlib(box));
  } else {
    shape = state_->shape_predictor(dlib::cv_image<unsigned char>(image), ToDlib(box));
  }
  return ToLandmarks(shape, box, 0);
}

std::vector<FaceLandmarks> FaceDetector::Detect(const cv::Mat& image) const {
  if (image.empty() || image.depth() != CV_8U) return {};
  auto faces = DetectAtWidth(image, state_->options.detection_width);
  const int fallback = state_->options.fallback_width;
  if (faces.empty() && fallback > state_->options.detection_width &&
      image.cols > state_->options.detection_width) {
    faces = DetectAtWidth(image, fallback);
  }
  // The last pass may enlarge a small photo up to twice (HOG's window is 80 px): a face
  // of 40 px is then found, and judged too small or too low in resolution.
  const int far = state_->options.far_fallback_width;
  if (faces.empty() && far > fallback) {
    faces = DetectAtWidth(image, std::min(far, 2 * image.cols), /*allow_upscale=*/true);
  }
  return faces;
}

std::vector<FaceLandmarks> FaceDetector::DetectAtWidth(const cv::Mat& image, int width,
                                                       bool allow_upscale) const {
  const double scale = allow_upscale ? static_cast<double>(width) / image.cols
                                     : std::min(1.0, static_cast<double>(width) / image.cols);
  cv::Mat small;
  if (scale > 1.0) {
    cv::resize(image, small, cv::Size(), scale, scale, cv::INTER_LINEAR);
  } else if (scale < 1.0) {
    cv::resize(image, small, cv::Size(), scale, scale, cv::INTER_AREA);
  } else {
    small = image;
  }
  cv::Mat grey;
  if (small.channels() == 3) {
    cv::cvtColor(small, grey, cv::COLOR_BGR2GRAY);
  } else if (small.channels() == 4) {
    cv::cvtColor(small, grey, cv::COLOR_BGRA2GRAY);
  } else {
    grey = small;
  }

  std::vector<dlib::rect_detection> detections;
  auto detector = state_->Take();
  (*detector)(dlib::cv_image<unsigned char>(grey), detections, state_->options.threshold);
  state_->Give(std::move(detector));
  std::sort(detections.begin(), detections.end(), [](const auto& a, const auto& b) {
    return a.detection_confidence > b.detection_confidence;
  });

  cv::Mat bgr = image;
  if (image.channels() == 4) cv::cvtColor(image, bgr, cv::COLOR_BGRA2BGR);
  std::vector<FaceLandmarks> faces;
  faces.reserve(detections.size());
  for (const auto& detection : detections) {
    const auto& r = detection.rect;
    cv::Rect2f box(static_cast<float>(r.left() / scale), static_cast<float>(r.top() / scale),
                   static_cast<float>(r.width() / scale), static_cast<float>(r.height() / scale));
    FaceLandmarks face = Landmarks(bgr, box);
    face.score = detection.detection_confidence;
    faces.push_back(face);
  }
  return faces;
}

}  // namespace examphoto::imaging
