// Measurements of one face taken from its 68 landmarks: eye centres, chin, an estimate of
// the top of the head, head pose, eye and mouth openness. Pure functions over values; the
// landmarks come from FaceDetector.
#pragma once

#include <opencv2/core.hpp>

#include "imaging/face_detector.h"

namespace examphoto::imaging {

// Degrees. yaw: turned left/right (positive = nose towards the image's right), from the
// nose tip's offset between the outer eye corners; pitch: raised/lowered (positive = chin
// up), from a generic 3-D head fitted to the landmarks (solvePnP); roll: in-plane tilt of
// the eye line (positive = the eye on the image's right is lower).
struct HeadPose {
  double yaw = 0;
  double pitch = 0;
  double roll = 0;
};

struct FaceGeometry {
  // "Left" and "right" as seen in the image (the subject's right eye is the image's left).
  cv::Point2f eye_left;
  cv::Point2f eye_right;
  cv::Point2f eye_centre;  // midpoint of the two eye centres
  cv::Point2f nose_tip;
  cv::Point2f mouth_centre;
  cv::Point2f chin;
  // Top of the head (with hair) estimated from proportions: the crown lies about as far
  // above the eyes as the chin lies below them, and about 0.85 face widths above them. The
  // composer replaces it with the top of the person mask.
  cv::Point2f head_top;
  cv::Rect2f face_box;
  double eye_distance = 0;  // between eye centres, px
  double face_width = 0;    // jaw points 0–16 (cheek to cheek at ear level), px
  double face_height = 0;   // head top to chin along the face's vertical axis, px
  HeadPose pose;
  // Eye aspect ratio (Soukupová & Čech 2016): about 0.25–0.35 open, below ~0.15 closed.
  double eye_left_openness = 0;
  double eye_right_openness = 0;
  // Inner-lip gap over mouth width: about 0–0.1 closed, above ~0.25 clearly open.
  double mouth_openness = 0;
};

FaceGeometry MeasureFace(const FaceLandmarks& face, cv::Size image_size);

// The skin of the face (cheeks, forehead below the brows, nose, chin) without eyes, brows
// and mouth: where exposure, side light and sharpness are measured. CV_8U, 255 = skin.
cv::Mat FaceSkinMask(const FaceLandmarks& face, cv::Size image_size);

// The luma level below which `fraction` of the pixels of `grey` under `mask` lie (0 when the
// mask is empty).
int MaskedPercentile(const cv::Mat& grey, const cv::Mat& mask, double fraction);

// The same landmarks under an affine map (2×3, CV_64F), e.g. after rotating to level eyes.
FaceLandmarks TransformLandmarks(const FaceLandmarks& face, const cv::Mat& affine);

}  // namespace examphoto::imaging
