// Every line of text in a photo, read upright: PP-OCR detects text on the whole photo, the
// dominant direction of the long lines tells how the card lies (any rotation), the
// orientation classifier tells upright from upside down, and each line is recognised along
// that direction. When the text is small in the frame, the region holding it is detected
// again at a higher resolution. Thread-safe (the models are).
#pragma once

#include <array>
#include <opencv2/core.hpp>
#include <vector>

#include "domain/result.h"
#include "idcard/text_detector.h"
#include "idcard/text_line.h"
#include "idcard/text_recognizer.h"

namespace examphoto {

struct CardText {
  std::vector<TextLine> lines;
  cv::Point2f reading_direction{1, 0};  // unit vector along upright lines, in the photo
  double upside_down_probability = 0;   // of the direction before it was turned round
  double detection_scale = 1;           // reduction of the photo for the last detection
};

Result<CardText> ReadCardText(const cv::Mat& bgr, const TextDetector& detector,
                              const TextRecognizer& recognizer);

// The direction of the longer boxes' long sides (angle modulo 180°, length-weighted
// median), as a unit vector pointing right or down. Model-free.
cv::Point2f DominantTextDirection(const std::vector<DetectedText>& boxes);

// The box's corners in reading order (TextLine::quad) for text running along `direction`.
std::array<cv::Point2f, 4> OrientBox(const std::array<cv::Point2f, 4>& corners,
                                     cv::Point2f direction);

}  // namespace examphoto
