// Turns a face into dlib's 128-D face descriptor (the ResNet metric network of dlib's
// dnn_face_recognition_ex), with the weights that npm @vladmandic/face-api ships. Two
// descriptors of the same person lie within FaceDistance 0.6 of each other (dlib's figure).
// Load once per process. Embed is thread-safe: each call borrows a network from a pool
// (one per concurrently embedding thread, created on demand, ~7 MB each) and returns it.
#pragma once

#include <array>
#include <memory>
#include <opencv2/core.hpp>
#include <string>

#include "domain/result.h"
#include "imaging/face_detector.h"

namespace examphoto::identity {

using FaceDescriptor = std::array<float, 128>;

class FaceEmbedder {
 public:
  // Side of the square face chip the network takes, in pixels.
  static constexpr int kChipSize = 150;

  // Reads face_recognition_model.bin and its weights manifest from `model_dir` (the
  // face-api package's model/ folder). Fails with face.model_missing or face.model_invalid.
  static Result<FaceEmbedder> Load(const std::string& model_dir);

  FaceEmbedder(FaceEmbedder&&) noexcept;
  FaceEmbedder& operator=(FaceEmbedder&&) noexcept;
  ~FaceEmbedder();

  // The descriptor of `face` (found in `bgr`, 8-bit BGR or grey) after aligning it the way
  // dlib does.
  FaceDescriptor Embed(const cv::Mat& bgr, const imaging::FaceLandmarks& face) const;

  // The descriptor of a chip already aligned by AlignFace (kChipSize square, BGR).
  FaceDescriptor EmbedChip(const cv::Mat& chip_bgr) const;

  // dlib's alignment: get_face_chip_details(shape, 150, 0.25) and extract_image_chip, i.e.
  // the eyes, nose and mouth moved to fixed places in a 150×150 chip with 25 % padding.
  static cv::Mat AlignFace(const cv::Mat& bgr, const imaging::FaceLandmarks& face);

 private:
  struct State;
  explicit FaceEmbedder(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Euclidean distance between two descriptors; below 0.6 dlib calls it the same person.
double FaceDistance(const FaceDescriptor& first, const FaceDescriptor& second);

}  // namespace examphoto::identity
