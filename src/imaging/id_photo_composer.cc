#include "imaging/id_photo_composer.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <opencv2/imgproc.hpp>

#include "imaging/jpeg_encoder.h"

namespace examphoto::imaging {
namespace {

cv::Mat Compose(const cv::Mat& a, const cv::Mat& b) {  // a ∘ b for 2×3 affine maps
  cv::Mat a3 = cv::Mat::eye(3, 3, CV_64F), b3 = cv::Mat::eye(3, 3, CV_64F);
  a.copyTo(a3(cv::Rect(0, 0, 3, 2)));
  b.copyTo(b3(cv::Rect(0, 0, 3, 2)));
  return cv::Mat(a3 * b3)(cv::Rect(0, 0, 3, 2)).clone();
}

cv::Mat ScaleAbout(cv::Point2f centre, double k) {
  return (cv::Mat_<double>(2, 3) << k, 0, centre.x * (1 - k), 0, k, centre.y * (1 - k));
}

// Warps `source` into the frame. When the map shrinks the photo by more than 1.5, the part
// the frame sees is first reduced by an integer factor with area averaging (OpenCV's fast
// path), so that the bilinear warp does not alias hair and fabric.
cv::Mat WarpIntoFrame(const cv::Mat& source, const cv::Mat& map, cv::Size size, int border) {
  const double k = std::sqrt(std::abs(cv::determinant(map(cv::Rect(0, 0, 2, 2)))));
  const int factor = static_cast<int>(std::floor(1.0 / (k * 1.5)));
  cv::Mat out;
  if (factor < 2) {
    cv::warpAffine(source, out, map, size, cv::INTER_LINEAR, border);
    return out;
  }
  cv::Mat inverse;
  cv::invertAffineTransform(map, inverse);
  std::vector<cv::Point2f> corners = {
      {0, 0},
      {static_cast<float>(size.width), 0},
      {0, static_cast<float>(size.height)},
      {static_cast<float>(size.width), static_cast<float>(size.height)}};
  cv::transform(corners, corners, inverse);
  cv::Rect region = cv::boundingRect(corners);
  // Aligned to the factor so that the reduced grid maps back exactly.
  region.x = std::max(0, (region.x - factor) / factor * factor);
  region.y = std::max(0, (region.y - factor) / factor * factor);
  region.width = std::min(source.cols - region.x, (region.width + 3 * factor) / factor * factor);
  region.height = std::min(source.rows - region.y, (region.height + 3 * factor) / factor * factor);
  region.width = region.width / factor * factor;
  region.height = region.height / factor * factor;
  if (region.width < factor || region.height < factor) {
    cv::warpAffine(source, out, map, size, cv::INTER_LINEAR, border);
    return out;
  }
  cv::Mat reduced;
  cv::resize(source(region), reduced, cv::Size(region.width / factor, region.height / factor), 0, 0,
             cv::INTER_AREA);
  // reduced(x, y) covers source(region.x + f·x … + f, …): its centre is f·x + (f − 1)/2.
  const double f = factor;
  cv::Mat from_reduced =
      (cv::Mat_<double>(2, 3) << f, 0, region.x + (f - 1) / 2, 0, f, region.y + (f - 1) / 2);
  cv::warpAffine(reduced, out, Compose(map, from_reduced), size, cv::INTER_LINEAR, border);
  return out;
}

double Clamp(double value, double low, double high) { return std::max(low, std::min(high, value)); }

// The topmost row of the person inside the head's column band, or -1.
int MeasureHeadTop(const cv::Mat& alpha, const FaceGeometry& face) {
  const int left =
      std::clamp(cvRound(face.eye_centre.x - 0.45 * face.face_width), 0, alpha.cols - 1);
  const int right =
      std::clamp(cvRound(face.eye_centre.x + 0.45 * face.face_width), left + 1, alpha.cols);
  const int bottom = std::clamp(cvRound(face.eye_centre.y), 0, alpha.rows);
  const int needed = std::max(3, (right - left) / 8);  // ignore a stray hair or two
  for (int y = 0; y < bottom; ++y) {
    const float* row = alpha.ptr<float>(y);
    int count = 0;
    for (int x = left; x < right; ++x) count += row[x] > 0.5f;
    if (count >= needed) return y;
  }
  return -1;
}

// White balance from the wall: a white or grey wall shows the light's colour cast, which is
// taken off the person by 60 % (a coloured wall tells nothing and is left alone).
void BalanceWhite(cv::Mat& image, const cv::Mat& wall) {
  if (cv::countNonZero(wall) < 200) return;
  cv::Scalar mean, deviation;
  cv::meanStdDev(image, mean, deviation, wall);
  // A busy background's average colour says nothing about the light.
  if (std::max({deviation[0], deviation[1], deviation[2]}) > 25) return;
  const double grey = (mean[0] + mean[1] + mean[2]) / 3;
  const double spread =
      std::max({mean[0], mean[1], mean[2]}) - std::min({mean[0], mean[1], mean[2]});
  if (grey < 60 || spread > 0.18 * grey) return;
  std::vector<cv::Mat> channels;
  cv::split(image, channels);
  for (int c = 0; c < 3; ++c) {
    const double gain = 1 + 0.6 * (grey / std::max(1.0, mean[c]) - 1);
    channels[c].convertTo(channels[c], CV_8U, gain);
  }
  cv::merge(channels, image);
}

// Corrects the exposure with a gamma curve (highlights and shadows are bent, not clipped),
// half-way towards a well-exposed photo, and limited so that a photo is corrected, not remade:
// a photo too dark or bright to fix is the checks' business. The meter is the face's
// brightest details (99th percentile of the face: the whites of the eyes, the light's
// reflections), which a well-exposed photo shows whatever the skin's tone: a face whose
// details are dim is brightened, however light its skin. The skin's own level is used only
// to darken a light skin in bright light. A darker skin in good light is left as it is (the
// skin's mean alone would have lightened it).
void NormaliseExposure(cv::Mat& image, const FaceLandmarks& face) {
  const cv::Mat skin = FaceSkinMask(face, image.size());
  const cv::Mat region = FaceRegionMask(face, image.size());
  if (cv::countNonZero(skin) < 100 || cv::countNonZero(region) < 100) return;
  cv::Mat grey;
  cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  constexpr double kWellExposedPeak = 200, kLightSkin = 160;
  const double peak = MaskedPercentile(grey, region, 0.99);
  const double level = cv::mean(grey, skin)[0];
  auto gamma_towards = [](double from, double to) {
    const double wanted = from + 0.5 * (to - from);
    return std::log(wanted / 255) / std::log(from / 255);
  };
  double gamma = 1;
  if (peak >= 5 && peak < kWellExposedPeak) {
    gamma = gamma_towards(peak, kWellExposedPeak);
  } else if (level > kLightSkin && level < 250) {
    gamma = gamma_towards(level, kLightSkin);
  }
  gamma = Clamp(gamma, 0.75, 1.33);
  if (std::abs(gamma - 1) < 0.02) return;
  cv::Mat table(1, 256, CV_8U);
  for (int i = 0; i < 256; ++i) {
    table.at<uint8_t>(i) = cv::saturate_cast<uint8_t>(255 * std::pow(i / 255.0, gamma));
  }
  cv::LUT(image, table, image);
}

// Replaces the background (where `background_mask` is set: surely background and inside
// the photo) with `colour`. At the soft edge (hair) the pixel is a mix of person and
// wall: I = αF + (1 − α)W. Swapping the local wall colour W for the new colour B gives
// αF + (1 − α)B = I + (1 − α)(B − W) without ever dividing by α. Far from the person the
// wall's own texture and shadows are dropped and B is painted flat.
cv::Mat ReplaceBackground(const cv::Mat& image, const cv::Mat& alpha,
                          const cv::Mat& background_mask, cv::Scalar colour) {
  // Local wall colour: the average of nearby wall pixels (a normalised box filter), worked
  // out at a quarter of the size — the wall's colour changes slowly.
  cv::Mat small_image, small_background;
  cv::resize(image, small_image, cv::Size(), 0.25, 0.25, cv::INTER_AREA);
  cv::resize(background_mask, small_background, small_image.size(), 0, 0, cv::INTER_NEAREST);
  cv::Mat weight;
  small_background.convertTo(weight, CV_32F, 1.0 / 255);
  cv::Mat small_float;
  small_image.convertTo(small_float, CV_32FC3);
  cv::Mat weight3;
  cv::merge(std::vector<cv::Mat>{weight, weight, weight}, weight3);
  const int radius = std::max(3, small_image.cols / 20);
  const cv::Size window(2 * radius + 1, 2 * radius + 1);
  cv::Mat weighted_sum, weight_sum;
  cv::boxFilter(small_float.mul(weight3), weighted_sum, CV_32F, window, cv::Point(-1, -1), false);
  cv::boxFilter(weight, weight_sum, CV_32F, window, cv::Point(-1, -1), false);
  const cv::Scalar global_wall = cv::mean(small_image, small_background);
  cv::Mat local_wall(small_image.size(), CV_32FC3);
  for (int y = 0; y < local_wall.rows; ++y) {
    const cv::Vec3f* sum = weighted_sum.ptr<cv::Vec3f>(y);
    const float* count = weight_sum.ptr<float>(y);
    cv::Vec3f* out = local_wall.ptr<cv::Vec3f>(y);
    for (int x = 0; x < local_wall.cols; ++x) {
      out[x] = count[x] > 0.5f ? sum[x] / count[x]
                               : cv::Vec3f(static_cast<float>(global_wall[0]),
                                           static_cast<float>(global_wall[1]),
                                           static_cast<float>(global_wall[2]));
    }
  }
  cv::resize(local_wall, local_wall, image.size(), 0, 0, cv::INTER_LINEAR);

  const cv::Vec3f background(static_cast<float>(colour[0]), static_cast<float>(colour[1]),
                             static_cast<float>(colour[2]));
  const cv::Vec3b flat(cv::saturate_cast<uint8_t>(colour[0]), cv::saturate_cast<uint8_t>(colour[1]),
                       cv::saturate_cast<uint8_t>(colour[2]));
  cv::Mat out(image.size(), CV_8UC3);
  for (int y = 0; y < image.rows; ++y) {
    const float* a = alpha.ptr<float>(y);
    const cv::Vec3b* pixel = image.ptr<cv::Vec3b>(y);
    const cv::Vec3f* wall = local_wall.ptr<cv::Vec3f>(y);
    cv::Vec3b* o = out.ptr<cv::Vec3b>(y);
    for (int x = 0; x < image.cols; ++x) {
      const float alpha_value = a[x];
      if (alpha_value <= 0.01f) {
        o[x] = flat;
      } else if (alpha_value >= 0.99f) {
        o[x] = pixel[x];
      } else {
        const float flat_share = std::clamp(1.0f - alpha_value / 0.3f, 0.0f, 1.0f);
        for (int c = 0; c < 3; ++c) {
          const float decontaminated =
              pixel[x][c] + (1 - alpha_value) * (background[c] - wall[x][c]);
          o[x][c] = cv::saturate_cast<uint8_t>(flat_share * background[c] +
                                               (1 - flat_share) * decontaminated);
        }
      }
    }
  }
  return out;
}

// How far past the photo's bottom edge and (below the chin) its side edges the frame may
// continue the photo (mirrored at its edge), in source pixels.
struct PhotoExtension {
  double bottom_px = 0;
  double side_px = 0;
};

// A zoom about the frame's eye point and the eye line after it: the third framing.
struct Refit {
  double zoom = 1;
  double eye_line = 0;
};

// Third framing, for a close photo: where the frame reaches past the photo across the person
// (shoulders cut by the photo's sides or bottom), a larger face and a lower eye line inside
// the profile's ranges may keep the person on the photo. Of the framings those ranges allow
// (zoomed about the eyes, face still centred), the one that leaves the least of the person
// outside the photo, and of equal ones the least zoomed and the nearest eye line; the frame
// as it is when it cuts no person. Worked on a quarter-size mask over a canvas twice the
// frame (the matte's edges repeated), with an integral image: each framing is one sum.
Refit FitInsidePhoto(const cv::Mat& alpha, const cv::Mat& map, cv::Size source_size,
                     const PhotoExtension& extension, const PhotoProfile& profile, double eye_line,
                     double head_top, double chin, double face_width, double max_face_width) {
  const Refit nominal{1, eye_line};
  constexpr int kQuarter = 4;
  const cv::Size frame(alpha.cols, alpha.rows);
  const cv::Size small(frame.width / kQuarter, frame.height / kQuarter);
  const cv::Point pad(small.width / 2, small.height / 2);
  cv::Mat person;
  cv::resize(alpha, person, small, 0, 0, cv::INTER_AREA);
  cv::copyMakeBorder(person, person, pad.y, pad.y, pad.x, pad.x, cv::BORDER_REPLICATE);
  cv::Mat inverse;
  cv::invertAffineTransform(map, inverse);
  const cv::Matx23d to_source(inverse);
  cv::Mat missing(person.size(), CV_8U);
  for (int y = 0; y < person.rows; ++y) {
    const float* a = person.ptr<float>(y);
    uint8_t* m = missing.ptr<uint8_t>(y);
    for (int x = 0; x < person.cols; ++x) {
      const cv::Vec3d p((x - pad.x + 0.5) * kQuarter, (y - pad.y + 0.5) * kQuarter, 1);
      const cv::Vec2d s = to_source * p;
      const double side = p[1] > chin ? extension.side_px : 0;
      const bool on_photo = s[0] >= -side && s[0] < source_size.width + side && s[1] >= 0 &&
                            s[1] < source_size.height + extension.bottom_px;
      m[x] = a[x] > 0.5f && !on_photo ? 1 : 0;
    }
  }
  // A pixel of margin: at a quarter of the size a shoulder that ends right at the frame's
  // edge would otherwise read as inside it.
  cv::dilate(missing, missing, cv::Mat());
  cv::Mat sums;
  cv::integral(missing, sums, CV_32S);
  const double cx = frame.width / 2.0;
  // Person pixels (quarter size) outside the photo in the frame that a framing makes.
  auto cut = [&](double zoom, double eye) {
    auto column = [&](double x) {
      return std::clamp(static_cast<int>(std::lround(x / kQuarter)) + pad.x, 0, person.cols);
    };
    auto row = [&](double y) {
      return std::clamp(static_cast<int>(std::lround(y / kQuarter)) + pad.y, 0, person.rows);
    };
    const int x0 = column(cx - cx / zoom), x1 = column(cx + cx / zoom);
    const int y0 = row(eye_line - eye / zoom), y1 = row(eye_line + (frame.height - eye) / zoom);
    return sums.at<int>(y1, x1) - sums.at<int>(y0, x1) - sums.at<int>(y1, x0) +
           sums.at<int>(y0, x0);
  };
  const int tolerance = std::max(4, small.area() / 500);
  const int as_is = cut(nominal.zoom, nominal.eye_line);
  if (as_is <= tolerance) return nominal;

  const auto& tops = profile.head_top_px;
  const auto& eyes = profile.eye_line_px;
  const double top_margin = 0.15 * (tops.max - tops.min);
  const double eye_margin = 0.1 * (eyes.max - eyes.min);
  const double max_zoom = max_face_width / std::max(1.0, face_width);
  Refit best = nominal;
  int best_cut = as_is;
  for (double zoom = 1; zoom <= max_zoom + 1e-9; zoom += 0.025) {
    for (double eye = eyes.min + eye_margin; eye <= eyes.max - eye_margin + 1e-9; eye += 4) {
      const double top = eye - zoom * (eye_line - head_top);
      if (top < tops.min + top_margin || top > tops.max - top_margin) continue;
      const int c = cut(zoom, eye);
      // Better by more than the tolerance, or as good and nearer the nominal eye line.
      if (c + tolerance < best_cut ||
          (c <= best_cut && zoom == best.zoom &&
           std::abs(eye - eye_line) < std::abs(best.eye_line - eye_line))) {
        best = {zoom, eye};
        best_cut = c;
      }
    }
  }
  return best;
}

}  // namespace

Result<ComposedPhoto> ComposeIdPhoto(const cv::Mat& source, const FaceLandmarks& face,
                                     const PhotoProfile& profile, const MatteSource& matter,
                                     const ComposerOptions& options) {
  ComposedPhoto composed;
  const cv::Size size(profile.width, profile.height);
  const FaceGeometry geometry = MeasureFace(face, source.size());

  // First framing, from the landmarks alone. A similarity map: level the eyes, scale so that
  // the estimated crown-to-eye distance matches the profile's targets (keeping the face
  // width inside its range), put the face's midline on the frame's centre and the eyes on
  // the target line.
  const double eye_to_top = cv::norm(geometry.eye_centre - geometry.head_top);
  const double wanted_eye_to_top = profile.target_eye_line_px - profile.target_head_top_px;
  const double face_margin = 0.08 * (profile.face_width_px.max - profile.face_width_px.min);
  double k = wanted_eye_to_top / std::max(1.0, eye_to_top);
  k = Clamp(k, (profile.face_width_px.min + face_margin) / geometry.face_width,
            (profile.face_width_px.max - face_margin) / geometry.face_width);
  const double roll = geometry.pose.roll * CV_PI / 180;
  const float midline_x =
      0.5f * (geometry.eye_centre.x + 0.5f * (face.points[0].x + face.points[16].x));
  const cv::Point2f anchor(
      midline_x, geometry.eye_centre.y +
                     static_cast<float>(std::tan(roll)) * (midline_x - geometry.eye_centre.x));
  cv::Mat map = cv::getRotationMatrix2D(anchor, geometry.pose.roll, k);
  map.at<double>(0, 2) += profile.width / 2.0 - anchor.x;
  map.at<double>(1, 2) += profile.target_eye_line_px - anchor.y;

  // The matte is taken on a small copy of that frame (the model sees 256×256 anyway). The
  // photo's edges are repeated, so that a wall cut by the photo's edge stays wall and hair
  // cut by it stays hair: the cut is then found where the person meets the photo's edge.
  const double preview_scale = std::min(
      1.0, static_cast<double>(options.matte_long_side) / std::max(profile.width, profile.height));
  const cv::Size preview_size(cvRound(size.width * preview_scale),
                              cvRound(size.height * preview_scale));
  const cv::Mat preview = WarpIntoFrame(source, Compose(ScaleAbout({0, 0}, preview_scale), map),
                                        preview_size, cv::BORDER_REPLICATE);
  auto model_matte = matter.Matte(preview);
  if (!model_matte.ok()) return model_matte.error();
  cv::Mat coarse;
  cv::resize(*model_matte, coarse, size, 0, 0, cv::INTER_LINEAR);
  FaceLandmarks framed_face = TransformLandmarks(face, map);
  FaceGeometry framed_geometry = MeasureFace(framed_face, size);
  cv::Mat anchored = AnchorMatteToFace(coarse, framed_face, framed_geometry, options.refinement);

  // Second framing: the crown measured on the matte (hair included) replaces the estimate.
  // The scale is set again from it, then the eye line is moved inside its range so that the
  // crown lands inside its own (a tall hairstyle puts the eyes lower in the frame). A crown
  // far from the estimate means the matte went wrong: the estimate is then the better guess.
  const int top = MeasureHeadTop(anchored, framed_geometry);
  const double eye_y = framed_geometry.eye_centre.y;
  const double fw = framed_geometry.face_width;
  const double estimated_top = framed_geometry.head_top.y;
  double final_head_top = estimated_top;
  if (top >= 0 && top < eye_y - 0.3 * fw && top > estimated_top - 0.45 * fw &&
      top < estimated_top + 0.2 * fw) {
    const double measured = eye_y - top;
    double k2 = wanted_eye_to_top / measured;
    k2 = Clamp(k2, (profile.face_width_px.min + face_margin) / fw,
               (profile.face_width_px.max - face_margin) / fw);
    k2 = Clamp(k2, 0.7, 1.4);
    const double eye_to_crown = k2 * measured;
    const auto& tops = profile.head_top_px;
    const auto& eyes = profile.eye_line_px;
    const double top_margin = 0.15 * (tops.max - tops.min);
    const double eye_margin = 0.1 * (eyes.max - eyes.min);
    double new_eye = profile.target_eye_line_px;
    if (new_eye - eye_to_crown < tops.min + top_margin)
      new_eye = tops.min + top_margin + eye_to_crown;
    if (new_eye - eye_to_crown > tops.max - top_margin)
      new_eye = tops.max - top_margin + eye_to_crown;
    new_eye = Clamp(new_eye, eyes.min + eye_margin, eyes.max - eye_margin);
    cv::Mat adjust = ScaleAbout(cv::Point2f(profile.width / 2.0f, static_cast<float>(eye_y)), k2);
    adjust.at<double>(1, 2) += new_eye - eye_y;
    map = Compose(adjust, map);
    cv::warpAffine(coarse, coarse, adjust, size, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    cv::warpAffine(anchored, anchored, adjust, size, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    final_head_top = new_eye - eye_to_crown;
    composed.head_top_measured = true;
  }
  // The photo may stop a little short of the frame's bottom edge or, below the chin, of its
  // sides: its edge rows and columns are then continued (mirrored). Only clothing is: a
  // photo that ends within a third of a face width below the chin is not (its mirrored rows
  // would be a second chin).
  const double map_scale = std::sqrt(std::abs(cv::determinant(map(cv::Rect(0, 0, 2, 2)))));
  PhotoExtension extension{options.max_bottom_extension * size.height / map_scale,
                           options.max_side_extension * size.width / map_scale};
  {
    const FaceGeometry framed_now = MeasureFace(TransformLandmarks(face, map), size);
    const double source_chin_y = face.points[8].y;
    if (source.rows - source_chin_y < 0.33 * framed_now.face_width / map_scale) {
      extension.bottom_px = 0;
    }
    // No larger than the profile allows, nor than the photo's own pixels support.
    const double max_face_width =
        std::min(profile.face_width_px.max - face_margin,
                 framed_now.face_width / (map_scale * profile.checks.min_source_face_scale));
    const double eye_line = framed_now.eye_centre.y;
    const Refit refit =
        FitInsidePhoto(anchored, map, source.size(), extension, profile, eye_line, final_head_top,
                       framed_now.chin.y, framed_now.face_width, max_face_width);
    if (refit.zoom != 1 || refit.eye_line != eye_line) {
      cv::Mat adjust =
          ScaleAbout(cv::Point2f(profile.width / 2.0f, static_cast<float>(eye_line)), refit.zoom);
      adjust.at<double>(1, 2) += refit.eye_line - eye_line;
      map = Compose(adjust, map);
      cv::warpAffine(coarse, coarse, adjust, size, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
      cv::warpAffine(anchored, anchored, adjust, size, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
      final_head_top = refit.eye_line + refit.zoom * (final_head_top - eye_line);
      composed.refit_zoom = refit.zoom;
    }
  }
  composed.framed = WarpIntoFrame(source, map, size, cv::BORDER_REFLECT_101);
  composed.landmarks = TransformLandmarks(face, map);
  composed.geometry = MeasureFace(composed.landmarks, size);
  if (composed.head_top_measured) {
    composed.geometry.head_top.y = static_cast<float>(final_head_top);
    composed.geometry.face_height = composed.geometry.chin.y - composed.geometry.head_top.y;
  }
  composed.source_to_frame = map;
  composed.coarse_alpha = coarse;
  composed.matte_confidence = MeasureMatteConfidence(coarse, composed.landmarks, composed.geometry);

  // The frame's pixels that the photo covers, the photo grown by `sides` columns each side
  // and `bottom` rows below (worked out on a quarter-size stand-in: only its outline matters).
  const cv::Size quarter((source.cols + 3) / 4, (source.rows + 3) / 4);
  auto covered = [&](int sides, int bottom) {
    cv::Mat out;
    const cv::Mat shift = (cv::Mat_<double>(2, 3) << 1, 0, -sides, 0, 1, 0);
    cv::warpAffine(
        cv::Mat(quarter.height + bottom, quarter.width + 2 * sides, CV_8U, cv::Scalar(255)), out,
        Compose(map, Compose(ScaleAbout(cv::Point2f(0, 0), 4.0), shift)), size, cv::INTER_NEAREST,
        cv::BORDER_CONSTANT, cv::Scalar(0));
    return out;
  };
  composed.missing_fraction =
      1.0 - cv::countNonZero(covered(0, 0)) / static_cast<double>(size.area());
  // A photo that ends a little above the frame's bottom, or beside the shoulders: its edge
  // rows and columns mirrored (BORDER_REFLECT_101 above: clothing continues with its own
  // texture, where repeated pixels would streak) stand in next to those edges, at the sides
  // below the chin.
  const int side_columns = static_cast<int>(std::ceil(extension.side_px / 4));
  const int bottom_rows = static_cast<int>(std::ceil(extension.bottom_px / 4));
  cv::Mat coverage = covered(0, bottom_rows);
  const int chin_row = std::clamp(cvRound(composed.geometry.chin.y), 0, size.height);
  const cv::Rect below_chin(0, chin_row, size.width, size.height - chin_row);
  covered(side_columns, bottom_rows)(below_chin).copyTo(coverage(below_chin));
  composed.coverage = coverage;

  // The person cut by the photo's edge: person pixels on the inner rim of the coverage,
  // leaving out the frame's own border (the frame may cut the shoulders; that is its job).
  cv::Mat eroded;
  cv::erode(coverage, eroded, cv::Mat(), cv::Point(-1, -1), 1, cv::BORDER_CONSTANT,
            cv::Scalar(255));
  const cv::Mat rim = (coverage & ~eroded) & (anchored > 0.5f);
  composed.head_cut_face_widths = cv::countNonZero(rim(cv::Rect(0, 0, size.width, chin_row))) /
                                  std::max(1.0, composed.geometry.face_width);
  composed.body_cut_fraction =
      cv::countNonZero(rim(cv::Rect(0, chin_row, size.width, size.height - chin_row))) /
      static_cast<double>(size.height);

  // Outside the photo there is only background to paint.
  anchored.setTo(0.0f, coverage == 0);
  composed.alpha = RefineMatte(composed.framed, anchored, composed.geometry, options.refinement);
  composed.alpha.setTo(0.0f, coverage == 0);

  const cv::Mat background = (composed.alpha < 0.05f) & coverage;
  cv::Mat adjusted = composed.framed.clone();
  BalanceWhite(adjusted, background);
  NormaliseExposure(adjusted, composed.landmarks);
  const auto& rgb = profile.background_rgb;
  composed.photo =
      ReplaceBackground(adjusted, composed.alpha, background, cv::Scalar(rgb[2], rgb[1], rgb[0]));
  return composed;
}

EncodedPhoto EncodeIdPhoto(const cv::Mat& photo, const PhotoProfile& profile) {
  const size_t min_bytes = static_cast<size_t>(profile.file_kb.min) * 1024;
  const size_t max_bytes = static_cast<size_t>(profile.file_kb.max) * 1024;
  EncodedPhoto best;
  // Most photos fit at the top quality straight away.
  constexpr int kTopQuality = 95;
  {
    std::string jpeg = EncodeJpeg(photo, kTopQuality, profile.dpi);
    if (jpeg.size() <= max_bytes && jpeg.size() >= min_bytes) {
      return {std::move(jpeg), kTopQuality, true};
    }
  }
  // Size grows with quality, so a binary search finds the highest quality under the cap.
  int low = std::max(1, profile.jpeg_min_quality), high = kTopQuality;
  while (low <= high) {
    const int quality = (low + high) / 2;
    std::string jpeg = EncodeJpeg(photo, quality, profile.dpi);
    if (jpeg.size() <= max_bytes) {
      best = {std::move(jpeg), quality, false};
      low = quality + 1;
    } else {
      high = quality - 1;
    }
  }
  if (best.jpeg.empty()) {  // even the minimum quality is too big: keep it, flagged
    best = {EncodeJpeg(photo, profile.jpeg_min_quality, profile.dpi), profile.jpeg_min_quality,
            false};
  }
  if (best.jpeg.size() < min_bytes && best.quality < 100) {
    // A very plain photo compresses too well; the highest quality is the most faithful way
    // to reach the minimum size.
    for (int quality : {97, 100}) {
      if (best.jpeg.size() >= min_bytes) break;
      std::string jpeg = EncodeJpeg(photo, quality, profile.dpi);
      if (jpeg.size() <= max_bytes) best = {std::move(jpeg), quality, false};
    }
  }
  best.within_size_range = best.jpeg.size() >= min_bytes && best.jpeg.size() <= max_bytes;
  return best;
}

}  // namespace examphoto::imaging
