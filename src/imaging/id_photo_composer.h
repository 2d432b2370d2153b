// Makes the standard ID photo from a portrait: rotates so the eyes are level, scales and
// crops so the head top, eye line and face width land where the profile wants them,
// replaces the background — plain wall or busy room — with the profile's colour (soft edges
// at the hair, from the learned matte refined at the frame's resolution), fills the parts of
// the frame the photo does not reach (above the hair, beside the shoulders) with that colour,
// normalises exposure and white balance mildly, and encodes a JPEG with the profile's DPI
// inside its file-size range. Pure functions given a matte source; results own their pixels.
#pragma once

#include <opencv2/core.hpp>
#include <string>

#include "domain/result.h"
#include "imaging/face_detector.h"
#include "imaging/face_geometry.h"
#include "imaging/matte_refinement.h"
#include "imaging/photo_profile.h"

namespace examphoto::imaging {

// Where the person matte comes from: the learned model in production (PersonMatter), a
// drawn matte in tests of the composer's own logic.
class MatteSource {
 public:
  virtual ~MatteSource() = default;
  // The person's probability for each pixel of `bgr`, CV_32F in [0, 1], at any resolution
  // (the caller resizes it to the frame).
  virtual Result<cv::Mat> Matte(const cv::Mat& bgr) const = 0;
};

struct ComposedPhoto {
  cv::Mat photo;            // profile size, background replaced, normalised
  cv::Mat framed;           // the same frame before any change of colour, photo edges replicated
  cv::Mat alpha;            // CV_32F refined person matte in the frame (0 where the photo ends)
  cv::Mat coarse_alpha;     // CV_32F the model's matte in the frame, before anchoring/refinement
  cv::Mat coverage;         // CV_8U, 255 where the frame shows the photo (or its short extension
                            // below the chest), 0 where it is filled with the background colour
  FaceLandmarks landmarks;  // in the frame
  FaceGeometry geometry;    // in the frame; head_top measured on the matte when possible
  bool head_top_measured = false;
  MatteConfidence matte_confidence;
  double missing_fraction = 0;  // share of the frame the photo does not cover (filled)
  // Where the person runs into the photo's own edge inside the frame, i.e. is cut off:
  // above the chin in face widths of edge length, below it as a share of the frame height.
  double head_cut_face_widths = 0;
  double body_cut_fraction = 0;
  // The third framing's zoom for a close photo (1: none): a larger face inside the profile's
  // range, so that the frame stays on the photo where the person is.
  double refit_zoom = 1;
  cv::Mat source_to_frame;  // 2×3 CV_64F
};

struct ComposerOptions {
  MatteRefinementOptions refinement;
  // The frame is handed to the matte source at this long side (the selfie model then
  // resamples it to 256×256): more pixels would only cost resampling time.
  int matte_long_side = 320;
  // The photo may stop this share of the frame's height above the frame's bottom edge; its
  // last rows are then mirrored (clothing), as a studio would extend a cropped chest.
  double max_bottom_extension = 0.08;
  // Below the chin, the photo's side edges may likewise be mirrored for this share of the
  // frame's width: a shoulder cut by the photo's side, continued as a studio would. Never
  // above the chin (no head or hair is made up).
  double max_side_extension = 0.05;
};

// An error only when the matte source fails (inference error): geometry alone never fails.
Result<ComposedPhoto> ComposeIdPhoto(const cv::Mat& source, const FaceLandmarks& face,
                                     const PhotoProfile& profile, const MatteSource& matter,
                                     const ComposerOptions& options = {});

struct EncodedPhoto {
  std::string jpeg;
  int quality = 0;
  bool within_size_range = false;
};

// The highest JPEG quality (not below the profile's minimum) whose file fits the profile's
// size range, with the profile's DPI in the JFIF header.
EncodedPhoto EncodeIdPhoto(const cv::Mat& photo, const PhotoProfile& profile);

}  // namespace examphoto::imaging
