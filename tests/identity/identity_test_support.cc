#include "identity_test_support.h"

#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace examphoto::identity::testing {

const FaceEmbedder& Embedder() { return Comparer().embedder(); }

const FaceComparer& Comparer() {
  static const FaceComparer comparer = [] {
    auto loaded = FaceComparer::Load({EXAMPHOTO_FACE_MODEL_DIR, EXAMPHOTO_SHAPE_PREDICTOR});
    if (!loaded.ok()) throw std::runtime_error("models: " + loaded.error().detail);
    return std::move(loaded).value();
  }();
  return comparer;
}

const imaging::FaceDetector& WideDetector() {
  static const imaging::FaceDetector detector = [] {
    imaging::FaceDetectorOptions options;
    options.detection_width = 1400;
    options.fallback_width = 0;
    options.threshold = -0.3;
    auto loaded = imaging::FaceDetector::Load(EXAMPHOTO_SHAPE_PREDICTOR, options);
    if (!loaded.ok()) throw std::runtime_error("shape predictor: " + loaded.error().detail);
    return std::move(loaded).value();
  }();
  return detector;
}

std::string SamplePath(int number) {
  return std::string(EXAMPHOTO_SAMPLE_DIR) + "/sample" + std::to_string(number) + ".jpg";
}

cv::Mat SamplePhoto(int number) {
  cv::Mat image = cv::imread(SamplePath(number), cv::IMREAD_COLOR);
  if (image.empty()) throw std::runtime_error("missing " + SamplePath(number));
  return image;
}

const std::vector<LabelledFace>& LabelledFaces() {
  // The blonde woman on the right of sample1 is the one in the middle of sample3; everyone
  // else appears once. The badge on her sleeve in sample1 is not a face and is left out.
  static const std::vector<LabelledFace> faces = {
      {1, {483, 483}, "sample1 clown make-up"},   {1, {1553, 347}, "blonde in uniform"},
      {1, {938, 575}, "sample1 purple lipstick"}, {2, {1553, 302}, "sample2 right"},
      {3, {665, 483}, "sample3 curly blonde"},    {3, {1598, 461}, "sample3 dark hair"},
      {3, {1156, 369}, "blonde in uniform"},      {4, {1052, 324}, "sample4 patterned dress"},
      {4, {1331, 288}, "sample4 blonde"},         {4, {734, 210}, "sample4 tilted head"},
      {5, {711, 551}, "sample5 left middle"},     {5, {1484, 551}, "sample5 right"},
      {5, {483, 1030}, "sample5 front"},          {5, {1180, 326}, "sample5 navy dress"},
      {5, {876, 232}, "sample5 red top"},         {6, {1280, 483}, "sample6 striped dress"},
      {6, {744, 497}, "sample6 red dress"},       {6, {369, 643}, "sample6 green dress"},
      {6, {1563, 444}, "sample6 right"},
  };
  return faces;
}

const imaging::FaceLandmarks* FaceAt(const std::vector<imaging::FaceLandmarks>& faces,
                                     cv::Point2f centre) {
  for (const auto& face : faces) {
    const cv::Point2f face_centre(face.box.x + face.box.width / 2,
                                  face.box.y + face.box.height / 2);
    if (cv::norm(face_centre - centre) < face.box.width / 3) return &face;
  }
  return nullptr;
}

cv::Mat SimulatedCardPortrait(const cv::Mat& photo, const cv::Rect2f& face, double pixels_per_mm) {
  // The card's frame shows the head with some shoulder: the face box (brows to chin) is
  // about half the frame's width, a little above its centre.
  const float frame_width = face.width * 2.0f;
  const float frame_height = frame_width * 32.0f / 26.0f;
  cv::Rect frame(cvRound(face.x + face.width / 2 - frame_width / 2),
                 cvRound(face.y + face.height * 0.45f - frame_height * 0.45f), cvRound(frame_width),
                 cvRound(frame_height));
  cv::Mat source;
  cv::copyMakeBorder(photo, source, photo.rows, photo.rows, photo.cols, photo.cols,
                     cv::BORDER_REPLICATE);
  frame.x += photo.cols;
  frame.y += photo.rows;
  cv::Mat portrait;
  cv::resize(source(frame), portrait,
             cv::Size(cvRound(26 * pixels_per_mm), cvRound(32 * pixels_per_mm)), 0, 0,
             cv::INTER_AREA);
  // The card's guilloche background shows through the printed photo.
  cv::Mat background(portrait.size(), CV_8UC3);
  for (int y = 0; y < background.rows; ++y) {
    for (int x = 0; x < background.cols; ++x) {
      const double wave = 20 * std::sin(x * 0.6 + 3 * std::sin(y * 0.15));
      background.at<cv::Vec3b>(y, x) = cv::Vec3b(cv::saturate_cast<uchar>(215 + wave),
                                                 cv::saturate_cast<uchar>(225 + wave / 2), 235);
    }
  }
  cv::addWeighted(portrait, 0.85, background, 0.15, 4, portrait);
  cv::GaussianBlur(portrait, portrait, cv::Size(3, 3), 0.7);
  cv::Mat noise(portrait.size(), CV_16SC3);
  cv::randn(noise, 0, 5);
  cv::Mat noisy;
  portrait.convertTo(noisy, CV_16SC3);
  noisy += noise;
  noisy.convertTo(portrait, CV_8UC3);
  std::vector<uchar> jpeg;
  cv::imencode(".jpg", portrait, jpeg, {cv::IMWRITE_JPEG_QUALITY, 70});
  return cv::imdecode(jpeg, cv::IMREAD_COLOR);
}

}  // namespace examphoto::identity::testing
