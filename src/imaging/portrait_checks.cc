#include "imaging/portrait_checks.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "imaging/matte_refinement.h"

namespace examphoto::imaging {
namespace {

cv::Rect Clip(cv::Rect rect, cv::Size size) {
  return rect & cv::Rect(0, 0, size.width, size.height);
}

// The standard deviation of a patch's values about the plane fitted to them: its contrast
// without a gradient of light across it (a side light darkens one half without adding any
// detail).
double DeviationAboutPlane(const cv::Mat& patch) {
  cv::Mat design(static_cast<int>(patch.total()), 3, CV_64F), values(design.rows, 1, CV_64F);
  int row = 0;
  for (int y = 0; y < patch.rows; ++y) {
    for (int x = 0; x < patch.cols; ++x, ++row) {
      design.at<double>(row, 0) = 1;
      design.at<double>(row, 1) = x;
      design.at<double>(row, 2) = y;
      values.at<double>(row) = patch.at<uint8_t>(y, x);
    }
  }
  cv::Mat plane;
  if (!cv::solve(design, values, plane, cv::DECOMP_NORMAL | cv::DECOMP_CHOLESKY)) {
    // A patch one pixel high or wide has no plane: its plain deviation then.
    cv::Scalar mean, deviation;
    cv::meanStdDev(patch, mean, deviation);
    return deviation[0];
  }
  const cv::Mat residual = values - design * plane;
  return std::sqrt(residual.dot(residual) / std::max(1, residual.rows));
}

// Variance of the Laplacian over the face scaled to a fixed width (so that the figure does
// not depend on how large the face is in the photo), over the variance of the face's luma
// about its plane on the same patch (so that it depends neither on how much light there is
// nor on a gradient of it); and that contrast itself.
void MeasureSharpness(const cv::Mat& grey, const FaceLandmarks& face, double& sharpness,
                      double& contrast) {
  const cv::Rect box = Clip(cv::Rect(face.box), grey.size());
  if (box.width < 16 || box.height < 16) return;
  constexpr int kWidth = 128;
  cv::Mat patch;
  const double scale = std::min(1.0, static_cast<double>(kWidth) / box.width);
  cv::resize(grey(box), patch, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::Mat laplacian;
  cv::Laplacian(patch, laplacian, CV_32F, 3);
  cv::Scalar mean, deviation;
  cv::meanStdDev(laplacian, mean, deviation);
  const double laplacian_variance = deviation[0] * deviation[0];
  contrast = DeviationAboutPlane(patch);
  sharpness = laplacian_variance / std::max(1.0, contrast * contrast);
}

}  // namespace

double ScreenMoireScore(const cv::Mat& grey_patch) {
  if (grey_patch.rows < 64 || grey_patch.cols < 64) return 0;
  int n = 64;  // a power of two that fits the patch, at most 256
  while (n * 2 <= std::min({grey_patch.rows, grey_patch.cols, 256})) n *= 2;
  cv::Mat patch;
  grey_patch(cv::Rect((grey_patch.cols - n) / 2, (grey_patch.rows - n) / 2, n, n))
      .convertTo(patch, CV_32F);
  // A window stops the patch's own edges from painting lines across the spectrum.
  cv::Mat window;
  cv::createHanningWindow(window, patch.size(), CV_32F);
  patch = (patch - cv::mean(patch)[0]).mul(window);
  cv::Mat spectrum;
  cv::dft(patch, spectrum, cv::DFT_COMPLEX_OUTPUT);
  // A screen's pixel grid or a print's halftone is periodic: it puts a few isolated peaks in
  // the outer band of the spectrum. Camera noise and fine detail spread their energy evenly
  // instead. The score is how far the strongest outer peak stands above the band's 99th
  // percentile, in units of the band's spread (median to 99th percentile), log-magnitudes.
  // Axis lines are skipped (JPEG's 8×8 blocks put energy there).
  std::vector<float> outer;
  float peak = 0;
  const int half = n / 2;
  for (int y = 0; y < n; ++y) {
    const int fy = y <= half ? y : y - n;
    const cv::Vec2f* row = spectrum.ptr<cv::Vec2f>(y);
    for (int fx = 0; fx <= half; ++fx) {
      if (std::abs(fx) < 3 || std::abs(fy) < 3) continue;
      const double radius = std::hypot(fx, fy) / half;
      if (radius < 0.3 || radius > 0.95) continue;
      const float magnitude = std::log1p(std::hypot(row[fx][0], row[fx][1]));
      outer.push_back(magnitude);
      peak = std::max(peak, magnitude);
    }
  }
  if (outer.size() < 100) return 0;
  std::nth_element(outer.begin(), outer.begin() + outer.size() / 2, outer.end());
  const float median = outer[outer.size() / 2];
  std::nth_element(outer.begin(), outer.begin() + outer.size() * 99 / 100, outer.end());
  const float high = outer[outer.size() * 99 / 100];
  return (peak - high) / std::max(0.05f, high - median);
}

double SkinSideLightRatio(const cv::Mat& bgr, const FaceLandmarks& face) {
  const cv::Rect box = Clip(cv::Rect(face.box), bgr.size());
  if (box.width < 16 || box.height < 16) return 0;
  // The cheek band: from the eye line down to the mouth, inside the jaw.
  const cv::Mat skin = FaceSkinMask(face, bgr.size());
  const float top = 0.5f * (face.points[37].y + face.points[44].y);
  const float bottom = face.points[51].y;
  // Normalised chroma (r, g) = (R, G) / (R + G + B) does not change when light dims, so a
  // shadowed cheek keeps the skin's chroma while hair, glasses and beard do not have it.
  std::vector<cv::Vec2f> chroma;
  std::vector<float> luma;
  std::vector<uint8_t> side;
  const cv::Point2f a = face.points[27], b = face.points[8];
  const cv::Point2f direction = b - a;
  for (int y = std::max(box.y, cvFloor(top)); y < std::min(box.br().y, cvCeil(bottom)); ++y) {
    const uint8_t* mask = skin.ptr<uint8_t>(y);
    const cv::Vec3b* pixel = bgr.ptr<cv::Vec3b>(y);
    for (int x = box.x; x < box.br().x; ++x) {
      if (!mask[x]) continue;
      const float blue = pixel[x][0], green = pixel[x][1], red = pixel[x][2];
      const float sum = blue + green + red;
      const float y_value = 0.114f * blue + 0.587f * green + 0.299f * red;
      if (y_value < 20 || y_value > 250) continue;  // no chroma in the black or the clipped
      chroma.emplace_back(red / sum, green / sum);
      luma.push_back(y_value);
      // Which side of the line nose bridge → chin the pixel lies on.
      side.push_back((x - a.x) * direction.y - (y - a.y) * direction.x > 0 ? 1 : 0);
    }
  }
  if (chroma.size() < 50) return 0;
  auto median = [](std::vector<float> values) {
    std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
    return values[values.size() / 2];
  };
  std::vector<float> r(chroma.size()), g(chroma.size());
  for (size_t i = 0; i < chroma.size(); ++i) {
    r[i] = chroma[i][0];
    g[i] = chroma[i][1];
  }
  const float skin_r = median(r), skin_g = median(g);
  std::vector<float> halves[2];
  for (size_t i = 0; i < chroma.size(); ++i) {
    if (std::abs(chroma[i][0] - skin_r) < 0.035f && std::abs(chroma[i][1] - skin_g) < 0.025f) {
      halves[side[i]].push_back(luma[i]);
    }
  }
  if (halves[0].size() < 20 || halves[1].size() < 20) return 0;
  // The 70th percentile of each half, not its mean: dark hair has skin's chroma too, and a
  // strand or a fringe over part of one cheek must not read as shadow, while a side light
  // darkens the whole half, upper percentiles included.
  auto upper = [](std::vector<float> values) {
    const size_t k = values.size() * 7 / 10;
    std::nth_element(values.begin(), values.begin() + k, values.end());
    return static_cast<double>(values[k]);
  };
  const double left = upper(halves[0]), right = upper(halves[1]);
  return std::abs(left - right) / std::max(1.0, std::max(left, right));
}

void MeasureUploadedFace(const cv::Mat& image, double scale, const FaceLandmarks& face,
                         const MeshMeasurements* mesh, PortraitMeasurements& m) {
  const FaceGeometry g = MeasureFace(face, image.size());
  m.face_width_fraction = g.face_width / image.cols;
  const double midline = 0.5 * (g.eye_centre.x + 0.5 * (face.points[0].x + face.points[16].x));
  m.centre_offset_fraction = std::abs(midline - image.cols / 2.0) / image.cols;
  m.eye_height_fraction = g.eye_centre.y / image.rows;
  m.pose = g.pose;
  m.eye_openness = std::min(g.eye_left_openness, g.eye_right_openness);
  m.mouth_openness = g.mouth_openness;
  if (mesh != nullptr) {
    m.mesh_presence = mesh->presence;
    if (mesh->presence >= 0.5) {
      m.pose = mesh->pose;
      m.eye_openness = mesh->eye_openness;
      m.mouth_openness = mesh->mouth_openness;
    }
  }
  m.source_face_px = g.face_width / scale;
  m.source_face_scale = m.source_face_px;  // divided by the finished width later

  cv::Mat grey;
  cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  MeasureSharpness(grey, face, m.sharpness, m.face_contrast);

  const cv::Mat skin = FaceSkinMask(face, image.size());
  const int skin_pixels = cv::countNonZero(skin);
  if (skin_pixels > 50) {
    m.face_brightness = cv::mean(grey, skin)[0];
    // The skin's highlights (90th percentile): a well-lit face of any skin tone has them on
    // forehead, nose and cheekbones; an underexposed or backlit face does not.
    m.face_highlight = MaskedPercentile(grey, skin, 0.9);
    m.face_clipped_fraction =
        cv::countNonZero((grey >= 250) & skin) / static_cast<double>(skin_pixels);
  }
  const cv::Mat region = FaceRegionMask(face, image.size());
  if (cv::countNonZero(region) > 50) m.face_peak = MaskedPercentile(grey, region, 0.99);
  m.side_light_ratio = SkinSideLightRatio(image, face);

  // Recapture: the spectrum of the face at the photo's own resolution (a screen's grid is a
  // pixel-scale pattern that any resampling would blur away).
  const cv::Rect patch = Clip(cv::Rect(face.box), grey.size());
  if (patch.width >= 64 && patch.height >= 64) m.screen_moire_score = ScreenMoireScore(grey(patch));
}

void MeasureComposedFrame(const ComposedPhoto& composed, const PhotoProfile& profile,
                          PortraitMeasurements& m) {
  (void)profile;
  m.missing_fraction = composed.missing_fraction;
  m.head_cut_face_widths = composed.head_cut_face_widths;
  m.body_cut_fraction = composed.body_cut_fraction;
  m.matte_unsure_band = composed.matte_confidence.unsure_band_face_widths;
  m.matte_face_covered = composed.matte_confidence.face_covered_fraction;
  m.head_top_px = composed.geometry.head_top.y;
  m.eye_line_px = composed.geometry.eye_centre.y;
  m.face_width_px = composed.geometry.face_width;
  if (m.face_width_px > 0) m.source_face_scale /= m.face_width_px;

  {
    cv::Mat grey;
    cv::cvtColor(composed.framed, grey, cv::COLOR_BGR2GRAY);
    m.frame_highlight = MaskedPercentile(grey, composed.coverage, 0.98);
  }

  // The background as the checks see it: inside the photo, surely not the person, and not
  // near the person's outline.
  cv::Mat background = (composed.alpha < 0.05f) & composed.coverage;
  cv::erode(background, background, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
  if (cv::countNonZero(background) <= 200) return;
  cv::Mat grey;
  cv::cvtColor(composed.framed, grey, cv::COLOR_BGR2GRAY);
  const cv::Mat skin = FaceSkinMask(composed.landmarks, composed.framed.size());
  (void)skin;
  // Backlight: the background against the face's highlights (not its mean, which a darker
  // skin tone lowers without any backlight).
  m.backlight_difference = cv::mean(grey, background)[0] - m.face_highlight;
  m.background_clipped = cv::countNonZero((grey >= 245) & background) /
                         static_cast<double>(cv::countNonZero(background));
  cv::Mat lab;
  cv::cvtColor(composed.framed, lab, cv::COLOR_BGR2Lab);
  cv::Scalar mean, deviation;
  cv::meanStdDev(lab, mean, deviation, background);
  m.background_deviation = std::sqrt(deviation[0] * deviation[0] + deviation[1] * deviation[1] +
                                     deviation[2] * deviation[2]);
}

void MeasureWholeImage(const cv::Mat& image, PortraitMeasurements& m) {
  cv::Mat small;
  const double scale = std::min(1.0, 320.0 / std::max(1, image.cols));
  cv::resize(image, small, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::Mat grey;
  cv::cvtColor(small, grey, cv::COLOR_BGR2GRAY);
  cv::Scalar grey_mean, grey_deviation;
  cv::meanStdDev(grey, grey_mean, grey_deviation);
  m.image_brightness = grey_mean[0];
  m.image_contrast = grey_deviation[0];
  cv::Mat laplacian;
  cv::Laplacian(grey, laplacian, CV_32F, 3);
  cv::Scalar mean, deviation;
  cv::meanStdDev(laplacian, mean, deviation);
  m.image_sharpness =
      deviation[0] * deviation[0] / std::max(1.0, m.image_contrast * m.image_contrast);
  // The screen's grid is a pixel-scale pattern: looked for at the photo's own resolution,
  // in its middle (where a face would be).
  cv::Mat full_grey;
  cv::cvtColor(image, full_grey, cv::COLOR_BGR2GRAY);
  const int side = std::min({full_grey.cols, full_grey.rows, 256});
  const cv::Rect middle((full_grey.cols - side) / 2, (full_grey.rows - side) / 2, side, side);
  m.screen_moire_score = ScreenMoireScore(full_grey(middle));
}

int CountSignificantFaces(const std::vector<FaceLandmarks>& faces, const FaceLandmarks& main,
                          double ratio) {
  int count = 0;
  for (const auto& face : faces) {
    if (face.box.width >= ratio * main.box.width) ++count;
  }
  return count;
}

bool NamesEditingSoftware(const ExifInfo& exif, const CheckThresholds& checks) {
  std::string software = exif.software;
  std::transform(software.begin(), software.end(), software.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& name : checks.editing_software) {
    if (!name.empty() && software.find(name) != std::string::npos) return true;
  }
  return false;
}

std::vector<std::string> JudgePortrait(const PortraitMeasurements& m, const PhotoProfile& profile) {
  const CheckThresholds& t = profile.checks;
  std::vector<std::string> codes;
  if (m.face_count == 0) {
    // Say what kept the face from being found, when the photo shows it.
    if (m.image_brightness > 0 && m.image_brightness < t.min_image_brightness) {
      return {"photo.too_dark"};
    }
    // Blurred: shapes but no detail. A plain wall has neither, and is simply no face.
    if (m.image_contrast > 20 && m.image_sharpness < t.min_image_sharpness) {
      return {"photo.blurred"};
    }
    // A screen's pixel grid hides the face from the detector: say what it is.
    if (m.screen_moire_score > t.max_screen_moire_score) return {"photo.recaptured"};
    return {"photo.no_face"};
  }
  if (m.significant_face_count > 1) codes.push_back("photo.multiple_faces");
  if (m.face_width_fraction < t.min_face_width_fraction) codes.push_back("photo.face_too_small");
  if (m.face_width_fraction > t.max_face_width_fraction) codes.push_back("photo.face_too_large");
  if (m.centre_offset_fraction > t.max_centre_offset_fraction ||
      m.eye_height_fraction < t.min_eye_height_fraction ||
      m.eye_height_fraction > t.max_eye_height_fraction) {
    codes.push_back("photo.face_not_centred");
  }
  // The frame may reach past the photo where there is only background (it is filled);
  // only the person cut by the photo's edge is a reason to retake it.
  if (m.head_cut_face_widths > t.max_head_cut_face_widths ||
      m.body_cut_fraction > t.max_body_cut_fraction) {
    codes.push_back("photo.out_of_frame");
  }
  if (std::abs(m.pose.yaw) > t.max_yaw_degrees) codes.push_back("photo.head_turned");
  if (std::abs(m.pose.roll) > t.max_roll_degrees) codes.push_back("photo.head_tilted");
  if (m.pose.pitch > t.max_pitch_degrees) codes.push_back("photo.head_raised");
  if (m.pose.pitch < -t.max_pitch_degrees) codes.push_back("photo.head_lowered");
  if (m.eye_openness < t.min_eye_openness) codes.push_back("photo.eyes_closed");
  if (m.mouth_openness > t.max_mouth_openness) codes.push_back("photo.mouth_open");
  // Too dark: even the face's brightest details (the whites of the eyes, the light's
  // reflections on forehead and nose) are dim. They are bright in a well-exposed photo
  // whatever the skin's tone, and whatever the scene around the face: a darker skin in a dim
  // street is not underexposed, a face that lost its highlights is.
  if (m.face_peak < t.min_face_peak) codes.push_back("photo.too_dark");
  if (m.face_brightness > t.max_face_brightness || m.face_highlight > t.max_face_highlight ||
      m.face_clipped_fraction > t.max_face_clipped_fraction) {
    codes.push_back("photo.overexposed");
  }
  if (m.side_light_ratio > t.max_side_light_ratio) codes.push_back("photo.uneven_light");
  // Backlight: a background far brighter than the face's highlights and itself burnt out
  // (a window, a lamp); a light wall behind a darker skin tone is not backlight.
  if (m.backlight_difference > t.max_backlight_difference &&
      m.background_clipped > t.min_backlight_clipped_fraction) {
    codes.push_back("photo.backlit");
  }
  if (m.sharpness < t.min_sharpness) codes.push_back("photo.blurred");
  // Any background is replaced; it is a reason to retake only when the matte is unsure.
  if (m.matte_unsure_band > t.max_matte_unsure_band ||
      m.matte_face_covered < t.min_matte_face_covered) {
    codes.push_back("photo.background_not_separable");
  }
  if (m.source_face_scale > 0 && m.source_face_scale < t.min_source_face_scale) {
    codes.push_back("photo.resolution_too_low");
  }
  if (m.jpeg_quality > 0 && m.jpeg_quality < t.min_jpeg_quality_estimate) {
    codes.push_back("photo.low_quality");
  }
  // A grid is only visible in a sharp photo; a blurred one is judged blurred instead.
  if (m.screen_moire_score > t.max_screen_moire_score && m.sharpness >= t.min_sharpness) {
    codes.push_back("photo.recaptured");
  }
  if (m.editing_software_named) codes.push_back("photo.edited");
  // The finished photo's own geometry: a last guard that the composer met the profile.
  if (m.face_width_px > 0 && (!profile.head_top_px.Contains(m.head_top_px) ||
                              !profile.eye_line_px.Contains(m.eye_line_px) ||
                              !profile.face_width_px.Contains(m.face_width_px))) {
    codes.push_back("photo.cannot_frame");
  }
  return codes;
}

}  // namespace examphoto::imaging
