#include "idcard/text_line.h"

#include <algorithm>
#include <cmath>

namespace examphoto {
namespace {

double Distance(cv::Point2f a, cv::Point2f b) { return std::hypot(a.x - b.x, a.y - b.y); }

}  // namespace

double TextLine::Height() const {
  return (Distance(quad[0], quad[3]) + Distance(quad[1], quad[2])) / 2;
}

double TextLine::Length() const {
  return (Distance(quad[0], quad[1]) + Distance(quad[3], quad[2])) / 2;
}

cv::Point2f TextLine::Center() const { return (quad[0] + quad[1] + quad[2] + quad[3]) * 0.25f; }

cv::Point2f TextLine::PointAlong(double fraction) const {
  const cv::Point2f start = (quad[0] + quad[3]) * 0.5f;
  const cv::Point2f end = (quad[1] + quad[2]) * 0.5f;
  return start + (end - start) * static_cast<float>(fraction);
}

cv::Point2f TextLine::CharacterCenter(const RecognizedCharacter& character) const {
  if (content_frames <= 0) return Center();
  const double frame = (character.first_frame + character.last_frame) / 2.0 + 0.5;
  return PointAlong(std::clamp(frame / content_frames, 0.0, 1.0));
}

}  // namespace examphoto
