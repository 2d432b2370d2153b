// Turns a flat specimen card into a simulated photo of it: on a table, cloth or patterned
// surface with clutter, or filling the frame, or scanned flat on white paper; the card in
// perspective at any multiple of 90°, uneven light, blur, sensor noise; "harsh" conditions
// (steep tilt, strong casts, shake, low JPEG quality, a messenger app's downscaling); and the
// cases the reader must refuse or flag (a corner cut, heavy blur, glare, a tiny card, no
// card, a photocopy, a photo of a screen). Pure function of its rng.
#pragma once

#include <array>
#include <opencv2/core.hpp>
#include <random>
#include <string>

#include "card_renderer.h"

namespace examphoto::testing {

enum class CaptureCase {
  kNormal,     // a usable phone photo (on a surface, filling the frame, or a flat scan)
  kHarsh,      // usable but hard: steep tilt, strong light, shake, low quality, downscaled
  kClean,      // flat, square-on, well lit, smaller image: for end-to-end tests
  kCornerOut,  // one corner of the card outside the frame
  kHeavyBlur,  // far out of focus
  kGlare,      // a specular highlight over the printed fields
  kSmall,      // the card fills a small part of the frame but its text is still legible
  kTiny,       // the card is so small that its text cannot be read
  kNoCard,     // the table without a card
  kPhotocopy,  // a black-and-white photocopy of the card, scanned or photographed
  kScreen,     // the card shown on a phone or monitor screen, photographed
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
  std::string framing;  // "table", "fill", "scan", "small", ...: how the card was taken
  std::string surface;  // what it lies on
};

Capture SimulateCapture(const RenderedCard* card, CaptureCase capture_case, std::mt19937& rng);

}  // namespace examphoto::testing
