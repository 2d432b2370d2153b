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
  double upside_down_probability = 0;   // of the direction before it was turned round (mean of
                                        // the votes asked before the outcome was settled)
};

// The text boxes on a photo: detection on the whole photo at the detector's size; when that
// finds little or only small text, again at 960 px, and when the text is still small, on the
// region holding it at up to 960 px (a card far from the camera).
Result<std::vector<DetectedText>> DetectCardText(const cv::Mat& bgr, const TextDetector& detector);

// When the boxes' text is small at the detector's scale (or `always`), detects again on the
// region around them (at up to 960 px) if that shows it larger: a small card read at a
// higher resolution. The region is the boxes' extent grown by `margin` of its longer side
// on each side. Returns the boxes unchanged otherwise.
inline constexpr double kSmallTextRegionMargin = 0.15;
Result<std::vector<DetectedText>> DetectSmallTextAgain(const cv::Mat& bgr,
                                                       std::vector<DetectedText> boxes,
                                                       const TextDetector& detector,
                                                       bool always = false,
                                                       double margin = kSmallTextRegionMargin);

// Orients the boxes (dominant direction, orientation classifier) and reads every line.
Result<CardText> RecognizeCardText(const cv::Mat& bgr, const std::vector<DetectedText>& boxes,
                                   const TextRecognizer& recognizer);

// DetectCardText, then RecognizeCardText.
Result<CardText> ReadCardText(const cv::Mat& bgr, const TextDetector& detector,
                              const TextRecognizer& recognizer);

// Joins boxes that continue each other on one row along `direction` (similar heights, on the
// same line, the gap between them under about a character): the card's labels are printed
// with wide letter spacing (姓 名), which a reduced photo detects as separate boxes. Model-free.
std::vector<DetectedText> JoinRowNeighbours(std::vector<DetectedText> boxes, cv::Point2f direction);

// The median of the boxes' short sides (their text height), in their pixels; 0 if none.
double MedianBoxHeight(const std::vector<DetectedText>& boxes);

// The direction of the longer boxes' long sides (angle modulo 180°, length-weighted
// median), as a unit vector pointing right or down. Model-free.
cv::Point2f DominantTextDirection(const std::vector<DetectedText>& boxes);

// The box's corners in reading order (TextLine::quad) for text running along `direction`.
std::array<cv::Point2f, 4> OrientBox(const std::array<cv::Point2f, 4>& corners,
                                     cv::Point2f direction);

}  // namespace examphoto
