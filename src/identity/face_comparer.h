// 1:1 face comparison: finds the largest face in each of two images, embeds both with
// FaceEmbedder and judges the distance against a threshold (a setting; dlib documents 0.6
// for this network). Owns its detector and embedder; load once per process. All methods
// are const and thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "domain/result.h"
#include "identity/face_embedder.h"
#include "imaging/face_detector.h"

namespace examphoto::identity {

// Where an image comes from, which decides how its face is looked for.
enum class FaceSource {
  kPhoto,         // a camera photo or an ID photo: the face is large and sharp
  kCardPortrait,  // the small printed portrait on an ID card (or the card itself)
};

struct FaceComparerOptions {
  // Distance below which two faces are the same person. dlib reports 99.38 % on LFW at 0.6.
  double threshold = 0.6;
  // Files are decoded with their long side near this (JPEGs by DCT scaling, so a 12 MP photo
  // costs a fraction of a full decode). A face a twelfth of the long side wide is still
  // ~130 px, enough for the 150 px chip, whose inner face is ~100 px.
  int decode_long_side = 1600;
  // A card portrait is padded and rescaled to these widths in turn until a face is found:
  // printed faces are ~100 px wide or less, below what the HOG detector (80 px window) finds
  // reliably, and at any single scale a small face can fall between the detector's pyramid
  // levels (a 4 px/mm card was missed at 400 and 480 px but found at 340, 440 and 560).
  std::vector<int> card_detection_widths = {400, 340, 460, 560};
  // The comparer's own detector settings, fixed here rather than inherited from the portrait
  // checker's defaults so that a distance does not move when those are tuned for speed.
  // At 400 px a face down to a fifth of the width is found; the 960 px retry finds group and
  // far-away faces down to about a twelfth.
  imaging::FaceDetectorOptions detector = {.detection_width = 400, .fallback_width = 960};
};

struct FaceComparison {
  double distance = 0;
  bool same_person = false;
  double threshold = 0;
};

// Where the models are; the caller says (the app: beside its binary, app/layout.h).
struct FaceModelPaths {
  std::string face_model_dir;  // face-api's model/ folder (face_recognition_model.bin)
  // dlib's landmark model as Debian's libdlib-data installs it.
  std::string shape_predictor_path = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";
};

class FaceComparer {
 public:
  static Result<FaceComparer> Load(const FaceModelPaths& paths,
                                   const FaceComparerOptions& options = {});

  // The descriptor of the largest face in `bgr`. Fails with face.not_found_in_photo or
  // face.not_found_on_card.
  Result<FaceDescriptor> Describe(const cv::Mat& bgr, FaceSource source) const;

  // Both images' largest faces compared. Fails with face.not_found_in_first or
  // face.not_found_in_second.
  Result<FaceComparison> Compare(const cv::Mat& first, FaceSource first_source,
                                 const cv::Mat& second, FaceSource second_source) const;

  // As Compare, from image files (JPEG, PNG, WebP, HEIC, upright by EXIF). Unreadable files
  // fail with face.unreadable_first or face.unreadable_second.
  Result<FaceComparison> CompareFiles(const std::filesystem::path& first, FaceSource first_source,
                                      const std::filesystem::path& second,
                                      FaceSource second_source) const;

  // The verdict for a distance under this comparer's threshold.
  FaceComparison Judge(double distance) const;

  // Reads and decodes an image file as CompareFiles does (long side near decode_long_side).
  Result<cv::Mat> ReadImage(const std::filesystem::path& path) const;

  const FaceComparerOptions& options() const { return options_; }
  const FaceEmbedder& embedder() const { return embedder_; }
  const imaging::FaceDetector& detector() const { return detector_; }

 private:
  FaceComparer(FaceEmbedder embedder, imaging::FaceDetector detector, FaceComparerOptions options);
  Result<FaceDescriptor> DescribePhoto(const cv::Mat& bgr) const;
  Result<FaceDescriptor> DescribeCardPortrait(const cv::Mat& bgr) const;

  FaceEmbedder embedder_;
  imaging::FaceDetector detector_;
  FaceComparerOptions options_;
};

}  // namespace examphoto::identity
