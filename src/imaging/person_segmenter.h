// Separates the candidate from the wall behind them, for the background replacement and the
// background checks. Classical and fast, suited to the guide's "stand before a uniform
// wall": colour models of wall and person learnt from seeds placed by the face landmarks
// (sure person: face, neck, chest; sure wall: the band above the crown and the strips
// beside the head), combined with a head-and-shoulders layout prior at low resolution, then
// refined at full resolution with a guided filter so that hair edges stay soft.
// Stateless; safe from any thread.
#pragma once

#include <opencv2/core.hpp>

#include "imaging/face_geometry.h"

namespace examphoto::imaging {

struct PersonMask {
  cv::Mat alpha;  // CV_32F in [0, 1], same size as the image: 1 = person
  // The wall seeds, at the image's size: lets the background checks look only at pixels
  // that are surely wall.
  cv::Mat sure_background;  // CV_8U, 255 where the wall was assumed
  bool ok = false;          // false when the model could not be built (no wall visible)
};

struct SegmenterOptions {
  int work_width = 120;   // colour classification resolution; the guided filter restores edges
  int guided_radius = 5;  // at the output size, px
  double guided_epsilon = 1e-3;
};

// `image` is the photo in the output frame (eyes level, face placed); `landmarks` and
// `face` describe the face in the same frame.
PersonMask SegmentPerson(const cv::Mat& image, const FaceLandmarks& landmarks,
                         const FaceGeometry& face, const SegmenterOptions& options = {});

// The two halves of SegmentPerson, for callers that frame the photo in two steps: the
// coarse mask at the work resolution (alpha and sure_background at that size, alpha 0 or
// 1), and its refinement against the full-resolution image.
PersonMask SegmentPersonCoarse(const cv::Mat& image, const FaceLandmarks& landmarks,
                               const FaceGeometry& face, const SegmenterOptions& options = {});
cv::Mat RefinePersonMask(const cv::Mat& image, const cv::Mat& coarse_alpha,
                         const SegmenterOptions& options = {});

}  // namespace examphoto::imaging
