// Makes the standard ID photo from a portrait: rotates so the eyes are level, scales and
// crops so the head top, eye line and face width land where the profile wants them,
// replaces the wall with the profile's colour (soft edges at the hair), normalises exposure
// and white balance mildly, and encodes a JPEG with the profile's DPI inside its file-size
// range. Pure functions; results own their pixels.
#pragma once

#include <opencv2/core.hpp>
#include <string>

#include "imaging/face_detector.h"
#include "imaging/face_geometry.h"
#include "imaging/person_segmenter.h"
#include "imaging/photo_profile.h"

namespace examphoto::imaging {

struct ComposedPhoto {
  cv::Mat photo;            // profile size, background replaced, normalised
  cv::Mat framed;           // the same frame before any change of colour: for the background checks
  cv::Mat alpha;            // CV_32F person mask in the frame
  cv::Mat sure_background;  // CV_8U, the wall the segmenter learnt from
  FaceLandmarks landmarks;  // in the frame
  FaceGeometry geometry;    // in the frame; head_top measured on the mask when possible
  bool head_top_measured = false;
  double missing_fraction = 0;      // share of the frame the source photo does not cover
  double missing_top_fraction = 0;  // … of the rows above the eye line
  cv::Mat source_to_frame;          // 2×3 CV_64F
};

ComposedPhoto ComposeIdPhoto(const cv::Mat& source, const FaceLandmarks& face,
                             const PhotoProfile& profile, const SegmenterOptions& options = {});

struct EncodedPhoto {
  std::string jpeg;
  int quality = 0;
  bool within_size_range = false;
};

// The highest JPEG quality (not below the profile's minimum) whose file fits the profile's
// size range, with the profile's DPI in the JFIF header.
EncodedPhoto EncodeIdPhoto(const cv::Mat& photo, const PhotoProfile& profile);

}  // namespace examphoto::imaging
