// The portrait checks: measurements taken on the uploaded photo and on the composed frame,
// and the judgement of those measurements against a profile's thresholds. Each failed
// check is a stable code (photo.*) whose Chinese message and fix hint live in
// config/messages/photo.json. Pure functions over values.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "imaging/exif_reader.h"
#include "imaging/face_detector.h"
#include "imaging/face_geometry.h"
#include "imaging/face_mesh.h"
#include "imaging/id_photo_composer.h"
#include "imaging/photo_profile.h"

namespace examphoto::imaging {

// Everything the checks look at; reported as is so that thresholds can be tuned on data.
struct PortraitMeasurements {
  int face_count = 0;
  int significant_face_count = 0;     // faces at least max_second_face_ratio of the main one
  double face_width_fraction = 0;     // face width / photo width
  double centre_offset_fraction = 0;  // horizontal, face midline to photo centre / width
  double eye_height_fraction = 0;     // eye line / photo height
  HeadPose pose;            // from the face mesh when it found the face, else the 68 points
  double eye_openness = 0;  // the less open eye
  double mouth_openness = 0;
  double mesh_presence = 0;  // the face mesh's face flag (0 when it was not run)
  // Laplacian variance of the face (at 128 px wide) over the variance of its luma about a
  // fitted plane: how much fine detail for the contrast it has. Darkening a photo lowers both
  // alike, a side light neither; blur only the first.
  double sharpness = 0;
  double face_contrast = 0;    // deviation of the face's luma about that plane
  double face_brightness = 0;  // mean luma of the skin
  double face_highlight = 0;   // 90th percentile luma of the skin
  // 99th percentile luma of the whole face (eyes, nose and forehead included): its brightest
  // details, the whites of the eyes and the light's reflections, which a well-exposed photo
  // shows whatever the skin's tone.
  double face_peak = 0;
  double frame_highlight = 0;     // 98th percentile luma of the whole frame (reported, not judged)
  double background_clipped = 0;  // share of the background at luma 245 or more
  double face_clipped_fraction = 0;
  double side_light_ratio = 0;
  double backlight_difference = 0;
  double background_deviation = 0;  // colour spread of the background (reported, not judged)
  double matte_unsure_band = 0;     // MatteConfidence::unsure_band_face_widths
  double matte_face_covered = 0;    // MatteConfidence::face_covered_fraction
  double source_face_px = 0;        // face width in the original photo's pixels
  double source_face_scale = 0;     // face width in the original photo / in the finished one
  double screen_moire_score = 0;
  double missing_fraction = 0;      // of the frame, filled with the background colour
  double head_cut_face_widths = 0;  // ComposedPhoto::head_cut_face_widths
  double body_cut_fraction = 0;     // ComposedPhoto::body_cut_fraction
  // The finished photo's geometry, in its pixels.
  double head_top_px = 0;
  double eye_line_px = 0;
  double face_width_px = 0;
  bool editing_software_named = false;
  int jpeg_quality = 0;  // estimated from the upload's tables, 0 when not a JPEG
  // Taken only when no face was found, to say why: the whole photo's sharpness (as
  // `sharpness`, on the photo at 320 px wide), mean luma and contrast, and its moiré score.
  double image_sharpness = 0;
  double image_brightness = 0;
  double image_contrast = 0;  // standard deviation of its luma
};

// When no face was found: measures the whole photo so that a photo too blurred or too dark
// to find a face in, or a photo of a screen, is told so, rather than "no face".
void MeasureWholeImage(const cv::Mat& image, PortraitMeasurements& measurements);

// Measures the face on the uploaded photo (`image` as decoded, `scale` = decoded / original
// pixels) — size, position, pose, eyes, mouth, sharpness, light on the skin, recapture.
// Pose, eyes and mouth come from `mesh` when given and sure of the face (presence ≥ 0.5),
// else from the 68 points.
void MeasureUploadedFace(const cv::Mat& image, double scale, const FaceLandmarks& face,
                         const MeshMeasurements* mesh, PortraitMeasurements& measurements);

// Measures the composed frame: matte confidence, backlight, what the photo does not cover
// and where it cuts the person, finished geometry.
void MeasureComposedFrame(const ComposedPhoto& composed, const PhotoProfile& profile,
                          PortraitMeasurements& measurements);

// Detected faces other than the main one that are large enough to be another person.
int CountSignificantFaces(const std::vector<FaceLandmarks>& faces, const FaceLandmarks& main,
                          double ratio);

bool NamesEditingSoftware(const ExifInfo& exif, const CheckThresholds& checks);

// The codes of the failed checks, in the order a candidate should fix them.
std::vector<std::string> JudgePortrait(const PortraitMeasurements& measurements,
                                       const PhotoProfile& profile);

// Side light: how much darker one cheek's skin is than the other's, |a − b| / max(a, b) of
// their 70th-percentile luma. Only pixels of the face's own skin colour count (normalised
// chroma near the face's median), between the eye line and the mouth: glasses, a grey
// beard and glare do not have it; dark hair does, but a strand or fringe over part of a
// cheek leaves the upper percentile alone, where a side light darkens the whole half.
double SkinSideLightRatio(const cv::Mat& bgr, const FaceLandmarks& face);

// The screen/print moiré score of a grey patch: how far the strongest peak in the outer
// band of its spectrum stands out from the band (a pixel grid or halftone is periodic;
// camera noise and detail are not). Camera photos score about 0.3–0.8, a simulated photo
// of a monitor about 1.4: a weak signal, see docs/performance/imaging.md.
double ScreenMoireScore(const cv::Mat& grey_patch);

}  // namespace examphoto::imaging
