// Turns a flat specimen card into a simulated phone photo: a table or cloth background with
// clutter, the card in perspective (tilt up to ~20°) at any multiple of 90°, uneven light,
// blur, sensor noise; plus the hard cases the reader must reject. Pure function of its rng.
#pragma once

#include <array>
#include <opencv2/core.hpp>
#include <random>
#include <string>

#include "card_renderer.h"

namespace examphoto::testing {

enum class CaptureCase {
  kNormal,     // a usable photo
  kClean,      // flat, square-on, well lit, smaller image: for end-to-end tests
  kCornerOut,  // one corner of the card outside the frame
  kHeavyBlur,  // far out of focus
  kGlare,      // a specular highlight over the printed fields
  kSmall,      // the card fills only a small part of the frame
  kNoCard,     // the table without a card
};

std::string CaptureCaseName(CaptureCase capture_case);

struct Capture {
  cv::Mat image;                         // BGR
  std::array<cv::Point2f, 4> corners{};  // card corners: top-left, top-right, bottom-right,
                                         // bottom-left of the upright card, in image pixels
  int rotation_degrees = 0;              // 0, 90, 180, 270 (clockwise)
  double tilt_degrees = 0;               // angle between the card and the image plane
  double blur_sigma_pixels = 0;
  int jpeg_quality = 90;
};

Capture SimulateCapture(const RenderedCard* card, CaptureCase capture_case, std::mt19937& rng);

}  // namespace examphoto::testing
