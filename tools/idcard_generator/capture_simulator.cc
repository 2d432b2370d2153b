#include "capture_simulator.h"

#include <cmath>
#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

namespace examphoto::testing {
namespace {

double Uniform(std::mt19937& rng, double low, double high) {
  return std::uniform_real_distribution<double>(low, high)(rng);
}

int UniformInt(std::mt19937& rng, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(rng);
}

// Smooth random field in [0, 1] at `size`, built from coarse noise.
cv::Mat SmoothNoise(std::mt19937& rng, cv::Size size, int cells) {
  cv::Mat coarse(cells, cells, CV_32F);
  for (int y = 0; y < cells; ++y) {
    for (int x = 0; x < cells; ++x) coarse.at<float>(y, x) = Uniform(rng, 0, 1);
  }
  cv::Mat field;
  cv::resize(coarse, field, size, 0, 0, cv::INTER_CUBIC);
  return field;
}

// A table top, computed at a quarter of the final size (it is smooth anyway).
// Clutter stays clear of `keep_clear` (the card's box): people lay the card on a free spot.
cv::Mat Background(std::mt19937& rng, cv::Size size, cv::Rect keep_clear) {
  const cv::Size small(size.width / 4, size.height / 4);
  cv::Mat image(small, CV_32FC3);
  const int kind = UniformInt(rng, 0, 3);
  cv::Vec3f base;
  switch (kind) {
    case 0:  // wood
      base = {static_cast<float>(Uniform(rng, 40, 90)), static_cast<float>(Uniform(rng, 80, 130)),
              static_cast<float>(Uniform(rng, 120, 180))};
      break;
    case 1:  // cloth
      base = {static_cast<float>(Uniform(rng, 30, 200)), static_cast<float>(Uniform(rng, 30, 200)),
              static_cast<float>(Uniform(rng, 30, 200))};
      break;
    case 2:  // dark desk
      base = cv::Vec3f::all(Uniform(rng, 25, 80));
      break;
    default:  // grey or light desk
      base = cv::Vec3f::all(Uniform(rng, 110, 185));
      break;
  }
  cv::Mat warp = SmoothNoise(rng, small, 8);
  const double frequency = Uniform(rng, 0.02, 0.08);
  const double angle = Uniform(rng, 0, CV_PI);
  for (int y = 0; y < small.height; ++y) {
    for (int x = 0; x < small.width; ++x) {
      double shade = 1.0;
      const double u = x * std::cos(angle) + y * std::sin(angle);
      if (kind == 0) {
        shade = 0.85 + 0.15 * std::sin(u * frequency + 12 * warp.at<float>(y, x));
      } else if (kind == 1) {
        const double v = -x * std::sin(angle) + y * std::cos(angle);
        shade = 0.9 + 0.05 * std::sin(u * 0.8) + 0.05 * std::sin(v * 0.8);
      } else {
        shade = 0.93 + 0.07 * warp.at<float>(y, x);
      }
      image.at<cv::Vec3f>(y, x) = base * shade;
    }
  }
  // Clutter: pens, coins, a phone, scraps of paper.
  const int objects = UniformInt(rng, 0, 5);
  const cv::Rect clear(keep_clear.x / 4, keep_clear.y / 4, keep_clear.width / 4,
                       keep_clear.height / 4);
  for (int i = 0; i < objects; ++i) {
    const cv::Scalar color(Uniform(rng, 0, 255), Uniform(rng, 0, 255), Uniform(rng, 0, 255));
    const cv::Point2f center(Uniform(rng, 0, small.width), Uniform(rng, 0, small.height));
    cv::Mat layer(small, CV_32FC3, cv::Scalar::all(-1));
    switch (UniformInt(rng, 0, 3)) {
      case 0: {
        const double length = Uniform(rng, 0.15, 0.4) * small.width;
        const double a = Uniform(rng, 0, CV_PI);
        cv::line(layer, center, center + cv::Point2f(length * std::cos(a), length * std::sin(a)),
                 color, UniformInt(rng, 4, 10), cv::LINE_AA);
        break;
      }
      case 1:
        cv::circle(layer, center, Uniform(rng, 0.02, 0.05) * small.width, color, -1, cv::LINE_AA);
        break;
      case 2: {
        const cv::RotatedRect phone(center, cv::Size2f(small.width * 0.18, small.width * 0.36),
                                    Uniform(rng, 0, 180));
        cv::Point2f points[4];
        phone.points(points);
        std::vector<cv::Point> polygon(points, points + 4);
        cv::fillConvexPoly(layer, polygon, cv::Scalar(25, 25, 28), cv::LINE_AA);
        break;
      }
      default: {
        const cv::RotatedRect paper(
            center,
            cv::Size2f(Uniform(rng, 0.1, 0.3) * small.width, Uniform(rng, 0.1, 0.3) * small.width),
            Uniform(rng, 0, 180));
        cv::Point2f points[4];
        paper.points(points);
        std::vector<cv::Point> polygon(points, points + 4);
        cv::fillConvexPoly(layer, polygon, cv::Scalar::all(Uniform(rng, 190, 240)), cv::LINE_AA);
        break;
      }
    }
    cv::Mat drawn;
    cv::inRange(layer, cv::Scalar::all(0), cv::Scalar::all(1e9), drawn);
    cv::Mat mask_box = cv::Mat::zeros(small, CV_8U);
    mask_box(clear & cv::Rect(0, 0, small.width, small.height)).setTo(255);
    if (cv::countNonZero(drawn & mask_box) == 0) layer.copyTo(image, drawn);
  }
  cv::Mat full;
  cv::resize(image, full, size, 0, 0, cv::INTER_LINEAR);
  return full;
}

// Projects the card's corners: in-plane rotation, tilt about a random axis, pinhole camera.
std::array<cv::Point2f, 4> ProjectCard(std::mt19937& rng, cv::Size image_size, double long_side_px,
                                       double rotation_degrees, double tilt_degrees,
                                       cv::Point2f center) {
  const double w = 85.6, h = 54.0;
  const double focal = 0.9 * std::max(image_size.width, image_size.height);
  const double distance = focal * w / long_side_px;
  const double axis = Uniform(rng, 0, 2 * CV_PI);
  cv::Vec3d rvec(std::cos(axis), std::sin(axis), 0);
  rvec *= tilt_degrees * CV_PI / 180;
  cv::Mat tilt;
  cv::Rodrigues(rvec, tilt);
  const double spin = rotation_degrees * CV_PI / 180;
  std::array<cv::Point2f, 4> corners;
  const cv::Point2d local[4] = {{-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}};
  for (int i = 0; i < 4; ++i) {
    const cv::Vec3d p(local[i].x * std::cos(spin) - local[i].y * std::sin(spin),
                      local[i].x * std::sin(spin) + local[i].y * std::cos(spin), 0);
    cv::Mat q = tilt * cv::Mat(p);
    const double z = distance + q.at<double>(2);
    corners[i] =
        cv::Point2f(center.x + focal * q.at<double>(0) / z, center.y + focal * q.at<double>(1) / z);
  }
  return corners;
}

bool Inside(const std::array<cv::Point2f, 4>& corners, cv::Size size, double margin) {
  for (const auto& p : corners) {
    if (p.x < margin || p.y < margin || p.x > size.width - margin || p.y > size.height - margin) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string CaptureCaseName(CaptureCase capture_case) {
  switch (capture_case) {
    case CaptureCase::kNormal:
      return "normal";
    case CaptureCase::kClean:
      return "clean";
    case CaptureCase::kCornerOut:
      return "corner_out";
    case CaptureCase::kHeavyBlur:
      return "heavy_blur";
    case CaptureCase::kGlare:
      return "glare";
    case CaptureCase::kSmall:
      return "small";
    case CaptureCase::kNoCard:
      return "no_card";
  }
  return "normal";
}

Capture SimulateCapture(const RenderedCard* card, CaptureCase capture_case, std::mt19937& rng) {
  Capture capture;
  cv::theRNG().state = rng();  // cv::randn draws from OpenCV's own generator
  const bool clean = capture_case == CaptureCase::kClean;
  const bool portrait_frame = !clean && UniformInt(rng, 0, 1) == 1;
  const cv::Size size =
      clean ? cv::Size(2000, 1500) : (portrait_frame ? cv::Size(3000, 4000) : cv::Size(4000, 3000));
  cv::Mat image;   // CV_32FC3
  cv::Mat glare3;  // specular highlight, added after exposure
  cv::Rect card_region;

  if (card != nullptr && capture_case != CaptureCase::kNoCard) {
    const int quarter_turns = clean ? 0 : UniformInt(rng, 0, 3);
    capture.rotation_degrees = quarter_turns * 90;
    const double spin = capture.rotation_degrees + (clean ? 0 : Uniform(rng, -10, 10));
    capture.tilt_degrees = clean ? 0 : Uniform(rng, 0, 20);
    const int short_side = std::min(size.width, size.height);
    const int long_frame_side = std::max(size.width, size.height);
    // The card's long side along the frame's long side when it lies that way, else the short.
    const bool card_along_long_side = (quarter_turns % 2 == 0) == (size.width > size.height);
    const double room =
        card_along_long_side ? std::min<double>(long_frame_side, short_side * 1.585) : short_side;
    for (int attempt = 0; attempt < 200; ++attempt) {
      double fraction = clean ? 0.7 : Uniform(rng, 0.5, 0.88);
      if (capture_case == CaptureCase::kSmall) fraction = Uniform(rng, 0.1, 0.14);
      const cv::Point2f center(size.width / 2.0f + Uniform(rng, -0.15, 0.15) * size.width,
                               size.height / 2.0f + Uniform(rng, -0.15, 0.15) * size.height);
      auto corners =
          ProjectCard(rng, size, fraction * room, spin, capture.tilt_degrees,
                      clean ? cv::Point2f(size.width / 2.0f, size.height / 2.0f) : center);
      if (capture_case == CaptureCase::kCornerOut) {
        // Push the card towards one corner of the frame until exactly that corner is cut.
        const int victim = UniformInt(rng, 0, 3);
        const cv::Point2f frame_center(size.width / 2.0f, size.height / 2.0f);
        const cv::Point2f direction = corners[victim] - frame_center;
        const double length = std::hypot(direction.x, direction.y);
        for (double shift = 0; shift < short_side; shift += 10) {
          std::array<cv::Point2f, 4> moved;
          for (int i = 0; i < 4; ++i) moved[i] = corners[i] + direction * (shift / length);
          int outside = 0;
          for (const auto& p : moved) outside += !Inside({p, p, p, p}, size, 0);
          if (outside >= 1) {
            for (int i = 0; i < 4; ++i) moved[i] += direction * (0.05 * fraction * room / length);
            corners = moved;
            break;
          }
        }
        capture.corners = corners;
        break;
      }
      if (Inside(corners, size, 0.03 * short_side)) {
        capture.corners = corners;
        break;
      }
    }
    cv::Rect card_box =
        cv::boundingRect(std::vector<cv::Point2f>(capture.corners.begin(), capture.corners.end()));
    const int pad = card_box.width / 20;
    card_box = cv::Rect(card_box.x - pad, card_box.y - pad, card_box.width + 2 * pad,
                        card_box.height + 2 * pad);
    image = Background(rng, size, card_box);
    card_region = card_box & cv::Rect(0, 0, size.width, size.height);
    const std::array<cv::Point2f, 4> source = {cv::Point2f(0, 0), cv::Point2f(card->image.cols, 0),
                                               cv::Point2f(card->image.cols, card->image.rows),
                                               cv::Point2f(0, card->image.rows)};
    const cv::Mat homography = cv::getPerspectiveTransform(source.data(), capture.corners.data());
    cv::Mat card_float, warped, mask;
    card->image.convertTo(card_float, CV_32FC3);
    cv::warpPerspective(card_float, warped, homography, size, cv::INTER_LINEAR,
                        cv::BORDER_CONSTANT);
    cv::warpPerspective(card->mask, mask, homography, size, cv::INTER_LINEAR, cv::BORDER_CONSTANT);
    mask.convertTo(mask, CV_32F, 1.0 / 255);
    // A soft shadow under the card, offset towards the light's far side.
    cv::Mat shadow;
    const double card_px = std::hypot(capture.corners[1].x - capture.corners[0].x,
                                      capture.corners[1].y - capture.corners[0].y);
    // Computed at an eighth of the size: the shadow is smooth, and a wide blur at 12 MP is
    // the slowest step of the whole simulation.
    cv::Mat small_mask;
    cv::resize(mask, small_mask, {size.width / 8, size.height / 8}, 0, 0, cv::INTER_AREA);
    const cv::Mat shift =
        (cv::Mat_<double>(2, 3) << 1, 0, card_px * 0.01 / 8, 0, 1, card_px * 0.015 / 8);
    cv::warpAffine(small_mask, shadow, shift, small_mask.size());
    cv::GaussianBlur(shadow, shadow, {0, 0}, card_px * 0.01 / 8 + 0.5);
    cv::resize(shadow, shadow, size, 0, 0, cv::INTER_LINEAR);
    cv::Mat shadow3, mask3;
    cv::merge(std::vector<cv::Mat>{shadow, shadow, shadow}, shadow3);
    cv::merge(std::vector<cv::Mat>{mask, mask, mask}, mask3);
    image = image.mul(cv::Scalar::all(1) - shadow3 * 0.35);
    image = image.mul(cv::Scalar::all(1) - mask3) + warped.mul(mask3);

    if (capture_case == CaptureCase::kGlare) {
      // Centre the highlight on the printed fields (name/birth or authority/validity).
      const std::vector<cv::Point2f> field = {
          card->emblem_side ? cv::Point2f(card->image.cols * 0.5f, card->image.rows * 0.82f)
                            : cv::Point2f(card->image.cols * 0.3f, card->image.rows * 0.45f)};
      std::vector<cv::Point2f> at;
      cv::perspectiveTransform(field, at, homography);
      cv::Mat glare = cv::Mat::zeros(size, CV_32F);
      cv::ellipse(glare, at[0], cv::Size(card_px * 0.13, card_px * 0.08), Uniform(rng, 0, 180), 0,
                  360, 1.0, -1, cv::LINE_AA);
      cv::GaussianBlur(glare, glare, {0, 0}, card_px * 0.02);
      cv::merge(std::vector<cv::Mat>{glare, glare, glare}, glare3);
    }
  }

  if (image.empty()) image = Background(rng, size, cv::Rect());

  // Uneven light: a slope, a warm or cool cast, and a bright or dark patch.
  {
    const cv::Size small(size.width / 8, size.height / 8);
    cv::Mat light(small, CV_32F);
    const double base = clean ? 1.0 : Uniform(rng, 0.75, 1.0);
    const double gx = clean ? 0 : Uniform(rng, -0.25, 0.25),
                 gy = clean ? 0 : Uniform(rng, -0.25, 0.25);
    const cv::Point2f patch(Uniform(rng, 0, small.width), Uniform(rng, 0, small.height));
    const double patch_gain = clean ? 0 : Uniform(rng, -0.15, 0.12);
    const double patch_radius = Uniform(rng, 0.2, 0.5) * small.width;
    for (int y = 0; y < small.height; ++y) {
      for (int x = 0; x < small.width; ++x) {
        const double u = static_cast<double>(x) / small.width - 0.5;
        const double v = static_cast<double>(y) / small.height - 0.5;
        const double d2 =
            (std::pow(x - patch.x, 2) + std::pow(y - patch.y, 2)) / (patch_radius * patch_radius);
        light.at<float>(y, x) = base + gx * u + gy * v + patch_gain * std::exp(-d2);
      }
    }
    cv::resize(light, light, size, 0, 0, cv::INTER_LINEAR);
    cv::Mat light3;
    cv::merge(std::vector<cv::Mat>{light, light, light}, light3);
    const cv::Scalar cast =
        clean ? cv::Scalar::all(1)
              : cv::Scalar(Uniform(rng, 0.92, 1.06), 1.0, Uniform(rng, 0.94, 1.08));
    image = image.mul(light3, 1.0);
    cv::multiply(image, cast, image);
    // Auto exposure: the phone keeps the brightest part of the card just below white.
    if (!card_region.empty()) {
      cv::Mat gray;
      cv::cvtColor(image(card_region), gray, cv::COLOR_BGR2GRAY);
      cv::Mat reduced;
      cv::resize(gray, reduced, {}, 0.1, 0.1, cv::INTER_AREA);
      std::vector<float> values(reduced.begin<float>(), reduced.end<float>());
      std::nth_element(values.begin(), values.begin() + values.size() * 98 / 100, values.end());
      const float bright = values[values.size() * 98 / 100];
      if (bright > 240) image *= 240.0 / bright;
    }
    if (!glare3.empty()) image = image + (cv::Scalar::all(330) - image).mul(glare3);
  }

  capture.blur_sigma_pixels = clean ? 0.6 : Uniform(rng, 0.4, 1.8);
  if (capture_case == CaptureCase::kHeavyBlur) capture.blur_sigma_pixels = Uniform(rng, 14, 20);
  cv::GaussianBlur(image, image, {0, 0}, capture.blur_sigma_pixels);
  if (!clean && UniformInt(rng, 0, 4) == 0) {
    // A little hand shake.
    const int length = UniformInt(rng, 3, 9);
    cv::Mat kernel = cv::Mat::zeros(length, length, CV_32F);
    const double a = Uniform(rng, 0, CV_PI);
    cv::line(kernel,
             cv::Point2f(length / 2.0f - std::cos(a) * length / 2,
                         length / 2.0f - std::sin(a) * length / 2),
             cv::Point2f(length / 2.0f + std::cos(a) * length / 2,
                         length / 2.0f + std::sin(a) * length / 2),
             1.0);
    kernel /= cv::sum(kernel)[0];
    cv::filter2D(image, image, -1, kernel);
  }
  cv::Mat noise(size, CV_32FC3);
  const double noise_sigma = clean ? 1.5 : Uniform(rng, 2, 6);
  cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(noise_sigma));
  image += noise;
  image.convertTo(capture.image, CV_8UC3);
  capture.jpeg_quality = clean ? 92 : UniformInt(rng, 70, 95);
  return capture;
}

}  // namespace examphoto::testing
