#include "imaging/portrait_checks.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace examphoto::imaging {
namespace {

cv::Rect Clip(cv::Rect rect, cv::Size size) {
  return rect & cv::Rect(0, 0, size.width, size.height);
}

// Variance of the Laplacian over the face scaled to a fixed width, so that the figure does
// not depend on how large the face is in the photo.
double Sharpness(const cv::Mat& grey, const FaceLandmarks& face) {
  const cv::Rect box = Clip(cv::Rect(face.box), grey.size());
  if (box.width < 16 || box.height < 16) return 0;
  constexpr int kWidth = 128;
  cv::Mat patch;
  const double scale = std::min(1.0, static_cast<double>(kWidth) / box.width);
  cv::resize(grey(box), patch, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::Mat laplacian;
  cv::Laplacian(patch, laplacian, CV_32F, 3);
  cv::Scalar mean, deviation;
  cv::meanStdDev(laplacian, mean, deviation);
  return deviation[0] * deviation[0];
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

void MeasureUploadedFace(const cv::Mat& image, double scale, const FaceLandmarks& face,
                         PortraitMeasurements& m) {
  const FaceGeometry g = MeasureFace(face, image.size());
  m.face_width_fraction = g.face_width / image.cols;
  const double midline = 0.5 * (g.eye_centre.x + 0.5 * (face.points[0].x + face.points[16].x));
  m.centre_offset_fraction = std::abs(midline - image.cols / 2.0) / image.cols;
  m.eye_height_fraction = g.eye_centre.y / image.rows;
  m.pose = g.pose;
  m.eye_openness = std::min(g.eye_left_openness, g.eye_right_openness);
  m.mouth_openness = g.mouth_openness;
  m.source_face_scale = g.face_width / scale;  // divided by the finished width later

  cv::Mat grey;
  cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  m.sharpness = Sharpness(grey, face);

  const cv::Mat skin = FaceSkinMask(face, image.size());
  const int skin_pixels = cv::countNonZero(skin);
  if (skin_pixels > 50) {
    m.face_brightness = cv::mean(grey, skin)[0];
    m.face_clipped_fraction =
        cv::countNonZero((grey >= 250) & skin) / static_cast<double>(skin_pixels);
    // Side light: the two halves of the face either side of the line nose bridge → chin.
    const cv::Point2f top = face.points[27], bottom = face.points[8];
    cv::Mat left_half = cv::Mat::zeros(image.size(), CV_8U);
    const cv::Point2f direction = bottom - top;
    const float length = std::max(1.0f, static_cast<float>(cv::norm(direction)));
    const cv::Point2f normal(-direction.y / length, direction.x / length);
    const float far = static_cast<float>(image.cols + image.rows);
    std::vector<cv::Point> polygon = {top - direction * 5.0f, bottom + direction * 5.0f,
                                      bottom + direction * 5.0f + normal * far,
                                      top - direction * 5.0f + normal * far};
    cv::fillConvexPoly(left_half, polygon, cv::Scalar(255));
    const cv::Mat side_a = skin & left_half;
    const cv::Mat side_b = skin & ~left_half;
    if (cv::countNonZero(side_a) > 20 && cv::countNonZero(side_b) > 20) {
      const double a = cv::mean(grey, side_a)[0], b = cv::mean(grey, side_b)[0];
      m.side_light_ratio = std::abs(a - b) / std::max(1.0, std::max(a, b));
    }
  }

  // Recapture: the spectrum of the face at the photo's own resolution (a screen's grid is a
  // pixel-scale pattern that any resampling would blur away).
  const cv::Rect patch = Clip(cv::Rect(face.box), grey.size());
  if (patch.width >= 64 && patch.height >= 64) m.screen_moire_score = ScreenMoireScore(grey(patch));
}

void MeasureComposedFrame(const ComposedPhoto& composed, const PhotoProfile& profile,
                          PortraitMeasurements& m) {
  m.missing_fraction = composed.missing_fraction;
  m.missing_top_fraction = composed.missing_top_fraction;
  m.head_top_px = composed.geometry.head_top.y;
  m.eye_line_px = composed.geometry.eye_centre.y;
  m.face_width_px = composed.geometry.face_width;
  if (m.face_width_px > 0) m.source_face_scale /= m.face_width_px;
  (void)profile;

  cv::Mat grey;
  cv::cvtColor(composed.framed, grey, cv::COLOR_BGR2GRAY);
  // The wall as the checks see it: surely wall, not near the person's outline.
  cv::Mat wall = composed.sure_background & (composed.alpha < 0.05f);
  cv::erode(wall, wall, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
  const int wall_pixels = cv::countNonZero(wall);
  const cv::Mat skin = FaceSkinMask(composed.landmarks, composed.framed.size());
  const double face_level = cv::countNonZero(skin) > 0 ? cv::mean(grey, skin)[0] : 0;
  if (wall_pixels > 200) {
    cv::Mat edges;
    cv::Canny(grey, edges, 40, 100);
    m.background_edge_density = cv::countNonZero(edges & wall) / static_cast<double>(wall_pixels);
    cv::Mat lab;
    cv::cvtColor(composed.framed, lab, cv::COLOR_BGR2Lab);
    cv::Mat smooth;
    cv::GaussianBlur(lab, smooth, cv::Size(5, 5), 0);
    cv::Scalar mean, deviation;
    cv::meanStdDev(smooth, mean, deviation, wall);
    m.background_deviation = std::sqrt(deviation[0] * deviation[0] + deviation[1] * deviation[1] +
                                       deviation[2] * deviation[2]);
    m.backlight_difference = cv::mean(grey, wall)[0] - face_level;

    // The person's outline: just inside the mask's edge, above the chest.
    cv::Mat inside = composed.alpha > 0.9f;
    cv::Mat eroded;
    cv::erode(inside, eroded, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(9, 9)));
    cv::Mat outline = inside & ~eroded;
    const int chest = std::clamp(cvRound(composed.geometry.chin.y), 0, outline.rows);
    outline(cv::Rect(0, chest, outline.cols, outline.rows - chest)) = 0;
    const int outline_pixels = cv::countNonZero(outline);
    if (outline_pixels > 50) {
      const cv::Vec3f wall_colour(static_cast<float>(mean[0]), static_cast<float>(mean[1]),
                                  static_cast<float>(mean[2]));
      int like_wall = 0;
      for (int y = 0; y < outline.rows; ++y) {
        const uint8_t* o = outline.ptr<uint8_t>(y);
        const cv::Vec3b* p = smooth.ptr<cv::Vec3b>(y);
        for (int x = 0; x < outline.cols; ++x) {
          if (!o[x]) continue;
          const cv::Vec3f d = cv::Vec3f(p[x][0], p[x][1], p[x][2]) - wall_colour;
          like_wall += std::sqrt(d.dot(d)) < profile.checks.min_person_background_distance;
        }
      }
      m.outline_like_wall_fraction = like_wall / static_cast<double>(outline_pixels);
    }
  }
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
  if (m.face_count == 0) return {"photo.no_face"};
  if (m.significant_face_count > 1) codes.push_back("photo.multiple_faces");
  if (m.face_width_fraction < t.min_face_width_fraction) codes.push_back("photo.face_too_small");
  if (m.face_width_fraction > t.max_face_width_fraction) codes.push_back("photo.face_too_large");
  if (m.centre_offset_fraction > t.max_centre_offset_fraction ||
      m.eye_height_fraction < t.min_eye_height_fraction ||
      m.eye_height_fraction > t.max_eye_height_fraction) {
    codes.push_back("photo.face_not_centred");
  }
  if (m.missing_top_fraction > t.max_missing_top_fraction ||
      m.missing_fraction > t.max_missing_fraction) {
    codes.push_back("photo.out_of_frame");
  }
  if (std::abs(m.pose.yaw) > t.max_yaw_degrees) codes.push_back("photo.head_turned");
  if (std::abs(m.pose.roll) > t.max_roll_degrees) codes.push_back("photo.head_tilted");
  if (m.pose.pitch > t.max_pitch_degrees) codes.push_back("photo.head_raised");
  if (m.pose.pitch < -t.max_pitch_degrees) codes.push_back("photo.head_lowered");
  if (m.eye_openness < t.min_eye_openness) codes.push_back("photo.eyes_closed");
  if (m.mouth_openness > t.max_mouth_openness) codes.push_back("photo.mouth_open");
  if (m.face_brightness < t.min_face_brightness) codes.push_back("photo.too_dark");
  if (m.face_brightness > t.max_face_brightness ||
      m.face_clipped_fraction > t.max_face_clipped_fraction) {
    codes.push_back("photo.overexposed");
  }
  if (m.side_light_ratio > t.max_side_light_ratio) codes.push_back("photo.uneven_light");
  if (m.backlight_difference > t.max_backlight_difference) codes.push_back("photo.backlit");
  if (m.sharpness < t.min_sharpness) codes.push_back("photo.blurred");
  if (m.background_edge_density > t.max_background_edge_density ||
      m.background_deviation > t.max_background_deviation) {
    codes.push_back("photo.background_not_uniform");
  }
  if (m.outline_like_wall_fraction > t.max_outline_like_wall_fraction) {
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
