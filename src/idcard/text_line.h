// One line of text as the recogniser read it: where it is in the photo, the greedy reading
// with a probability per character, and the recogniser's output per frame (kept sparse) so
// that an expected string can be scored against the line afterwards (ctc_alignment.h).
// Plain values, made by TextRecognizer and by tests.
#pragma once

#include <array>
#include <opencv2/core.hpp>
#include <string>
#include <utility>
#include <vector>

namespace examphoto {

struct RecognizedCharacter {
  std::string text;
  float probability = 0;  // the highest class probability over its frames
  int first_frame = 0;    // frames of the recogniser's output that carry it
  int last_frame = 0;
};

// The most likely classes of one output frame, best first, always including the blank
// (class 0); `rest` is the probability of every class not listed.
struct FramePosteriors {
  std::vector<std::pair<int, float>> top;
  float rest = 0;
};

struct TextLine {
  // Corners in the photo in reading order: top-left, top-right, bottom-right, bottom-left of
  // the text as read (upright text runs from corner 0 to corner 1).
  std::array<cv::Point2f, 4> quad{};
  std::string text;
  float score = 0;  // mean character probability; 0 when nothing was read
  std::vector<RecognizedCharacter> characters;
  std::vector<FramePosteriors> frames;
  // Frames that cover the line's own pixels (the rest is padding); frame t covers the
  // fraction (t + 0.5) / content_frames of the line's length.
  int content_frames = 0;

  double Height() const;  // mean length of the short sides, in photo pixels
  double Length() const;  // mean length of the long sides
  cv::Point2f Center() const;
  // The point on the line's middle axis at `fraction` of its length (0 = start).
  cv::Point2f PointAlong(double fraction) const;
  // The middle of a character, in the photo.
  cv::Point2f CharacterCenter(const RecognizedCharacter& character) const;
};

}  // namespace examphoto
