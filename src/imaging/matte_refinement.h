// Turns the learned model's coarse person matte into one fit for a studio photo, and says
// how sure it is. Pure functions over images, no model: tested on small drawn fixtures.
//  1. AnchorMatteToFace: the person is the one whose face was found. Keeps the part of the
//     matte connected to that face, fills small holes, drops blobs of background that the
//     model took for person beside the head (busy backgrounds), and makes the face itself
//     surely person (a face before a skin-coloured wall).
//  2. RefineMatte: a trimap from the coarse matte (sure person, sure background, and an
//     unsure band along the outline); inside the band, at the frame's full resolution, each
//     pixel is explained as a mix of the person's and the background's local colours (where
//     they differ by more than the background's own texture varies), then smoothed by a
//     guided filter, so that the edge follows the photo's own edge and hair; sure values
//     outside.
//  3. MeasureMatteConfidence: how wide the coarse matte's unsure band is along the head,
//     and how much of the face it holds; a wide band means the model could not tell person
//     from background, which is the one background problem worth rejecting a photo for.
#pragma once

#include <opencv2/core.hpp>

#include "imaging/face_detector.h"
#include "imaging/face_geometry.h"

namespace examphoto::imaging {

struct MatteRefinementOptions {
  // Half-width of the unsure band around the coarse outline, as a share of the face width
  // (the band scales with the person, not with the frame).
  // 0.03 with the guided filter below came out best on the tune part of the development set
  // against the IS-Net reference (band error 0.076; 0.06 / 0.035 / 1e-3 gave 0.093).
  double band_face_widths = 0.03;
  // Guided filter on luma: window radius (share of the face width) and regularisation (on
  // 0..1 luma; smaller follows edges more closely).
  double guided_face_widths = 0.02;
  double guided_epsilon = 1e-4;
  // How much the background's texture (its colour variance next to the band, summed over
  // the channels) counts against trusting the colour mix, against F and B's squared
  // distance. At 8 a mix is trusted half when the background strays about 0.35 of the way
  // from B to F. Chosen on the tune part's street composites by eye (streaks of street
  // beside the hair gone); their band error did not move (0.0880–0.0882 for 0–16).
  double background_texture_weight = 8;
  // Holes in the person smaller than this share of the frame are filled (a dark pupil, a
  // logo on a shirt that looked like background); larger ones are real background.
  double max_hole_fraction = 0.01;
  // Above the chin, the person reaches at most this many face widths either side of the
  // face's midline (hair included); what the model finds farther out is background (a
  // neighbour's head in a group photo, a shelf). 1.05 cut loose curls along a straight
  // line; 1.3, where the tune part's band error stops falling (0.094 at 1.05, 0.054 at 1.2,
  // 0.048 at 1.3 and at 1.45), keeps them.
  double max_head_half_width = 1.3;
};

// `alpha`: CV_32F in [0, 1] at the frame's size; `face` and `geometry` in the same frame.
// Returns the anchored matte (CV_32F, same size).
cv::Mat AnchorMatteToFace(const cv::Mat& alpha, const FaceLandmarks& face,
                          const FaceGeometry& geometry, const MatteRefinementOptions& options = {});

// `frame`: CV_8UC3, the photo in the output frame; `alpha`: the anchored coarse matte at the
// same size. Returns the refined matte (CV_32F in [0, 1]).
cv::Mat RefineMatte(const cv::Mat& frame, const cv::Mat& alpha, const FaceGeometry& geometry,
                    const MatteRefinementOptions& options = {});

struct MatteConfidence {
  // Mean width, in face widths, of the band where the coarse matte is between 0.25 and
  // 0.75, along the outline above the shoulders. A sure model draws ≈ 0.02–0.05.
  double unsure_band_face_widths = 0;
  // Share of the face (inside the jaw line) that the coarse matte calls person.
  double face_covered_fraction = 0;
};

MatteConfidence MeasureMatteConfidence(const cv::Mat& coarse_alpha, const FaceLandmarks& face,
                                       const FaceGeometry& geometry);

// The polygon of the face inside the jaw line and the brows (CV_8U, 255 = face).
cv::Mat FaceRegionMask(const FaceLandmarks& face, cv::Size size);

}  // namespace examphoto::imaging
