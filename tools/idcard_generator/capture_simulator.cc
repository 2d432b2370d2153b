#include "capture_simulator.h"

#include <cmath>
#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

namespace examphoto::testing {
namespace {

constexpr double kCardWidthMm = 85.6;

double Uniform(std::mt19937& rng, double low, double high) {
  return std::uniform_real_distribution<double>(low, high)(rng);
}

int UniformInt(std::mt19937& rng, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(rng);
}

bool Chance(std::mt19937& rng, double p) { return Uniform(rng, 0, 1) < p; }

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

cv::Vec3f RandomColor(std::mt19937& rng, double low, double high) {
  return {static_cast<float>(Uniform(rng, low, high)), static_cast<float>(Uniform(rng, low, high)),
          static_cast<float>(Uniform(rng, low, high))};
}

// What the card lies on, computed at a quarter of the final size (it is smooth anyway).
// Clutter stays clear of `keep_clear` (the card's box): people lay the card on a free spot.
cv::Mat Surface(std::mt19937& rng, cv::Size size, cv::Rect keep_clear, bool white_paper,
                std::string* name) {
  const cv::Size small(size.width / 4, size.height / 4);
  cv::Mat image(small, CV_32FC3);
  const int kind = white_paper ? -1 : std::discrete_distribution<int>({3, 2, 2, 2, 2, 2})(rng);
  static const char* const kNames[] = {"wood",       "cloth",  "dark desk",
                                       "light desk", "colour", "pattern"};
  *name = kind < 0 ? "white paper" : kNames[kind];
  cv::Vec3f base, second;
  switch (kind) {
    case -1:
      base = cv::Vec3f::all(static_cast<float>(Uniform(rng, 236, 252)));
      break;
    case 0:  // wood
      base = {static_cast<float>(Uniform(rng, 40, 90)), static_cast<float>(Uniform(rng, 80, 130)),
              static_cast<float>(Uniform(rng, 120, 180))};
      break;
    case 1:  // cloth
      base = RandomColor(rng, 30, 200);
      break;
    case 2:  // dark desk
      base = cv::Vec3f::all(static_cast<float>(Uniform(rng, 25, 80)));
      break;
    case 3:  // grey or light desk
      base = cv::Vec3f::all(static_cast<float>(Uniform(rng, 110, 185)));
      break;
    case 4: {  // a strongly coloured cloth or mat (green, red, blue, yellow...)
      base = RandomColor(rng, 10, 70);
      base[UniformInt(rng, 0, 2)] = static_cast<float>(Uniform(rng, 150, 235));
      break;
    }
    default:  // checks, stripes or plaid in two colours
      base = RandomColor(rng, 20, 230);
      second = RandomColor(rng, 20, 230);
      break;
  }
  const int pattern = UniformInt(rng, 0, 2);
  const double period = Uniform(rng, 0.015, 0.06) * small.width;
  cv::Mat warp = SmoothNoise(rng, small, 8);
  const double frequency = Uniform(rng, 0.02, 0.08);
  const double angle = Uniform(rng, 0, CV_PI);
  for (int y = 0; y < small.height; ++y) {
    cv::Vec3f* row = image.ptr<cv::Vec3f>(y);
    const float* w = warp.ptr<float>(y);
    for (int x = 0; x < small.width; ++x) {
      double shade = 1.0;
      const double u = x * std::cos(angle) + y * std::sin(angle);
      const double v = -x * std::sin(angle) + y * std::cos(angle);
      cv::Vec3f color = base;
      if (kind == 0) {
        shade = 0.85 + 0.15 * std::sin(u * frequency + 12 * w[x]);
      } else if (kind == 1 || kind == 4) {
        shade = 0.9 + 0.05 * std::sin(u * 0.8) + 0.05 * std::sin(v * 0.8);
      } else if (kind == 5) {
        const bool a = static_cast<int>(std::floor(u / period)) % 2 == 0;
        const bool b = static_cast<int>(std::floor(v / period)) % 2 == 0;
        const bool on = pattern == 0 ? a != b : pattern == 1 ? a : (a || b);
        color = on ? second : base;
        shade = 0.95 + 0.05 * w[x];
      } else if (kind < 0) {
        shade = 0.99 + 0.01 * w[x];
      } else {
        shade = 0.93 + 0.07 * w[x];
      }
      row[x] = color * static_cast<float>(shade);
    }
  }
  // Clutter: pens, coins, a phone, scraps of paper.
  const int objects = white_paper ? 0 : UniformInt(rng, 0, 5);
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

// Projects a rectangle of `w` × `h` (any unit) centred at `center`: in-plane rotation, tilt
// about a random axis, pinhole camera; its long side spans about `long_side_px`.
std::array<cv::Point2f, 4> ProjectRectangle(std::mt19937& rng, cv::Size image_size, double w,
                                            double h, double long_side_px, double rotation_degrees,
                                            double tilt_degrees, cv::Point2f center) {
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

// What is photographed: the card itself, a photocopy of it on a sheet of paper, or a screen
// showing it. `card` are the card's corners in `image`.
struct Subject {
  cv::Mat image;  // 8UC3
  cv::Mat mask;   // 8U, 255 on the subject
  std::array<cv::Point2f, 4> card{};
  bool emissive = false;  // a screen: lit from inside, no shadow
};

Subject CardSubject(const RenderedCard& card) {
  const float w = static_cast<float>(card.image.cols), h = static_cast<float>(card.image.rows);
  return {card.image, card.mask, {cv::Point2f(0, 0), {w, 0}, {w, h}, {0, h}}, false};
}

// A black-and-white copy: grey, contrast pushed (the faint security print drops out, the
// photo turns blotchy), toner specks, the card's outline as a grey line, on a white sheet.
Subject PhotocopySubject(const RenderedCard& card, std::mt19937& rng) {
  cv::Mat gray;
  cv::cvtColor(card.image, gray, cv::COLOR_BGR2GRAY);
  const double black = Uniform(rng, 40, 90), white = Uniform(rng, 180, 215);
  gray.convertTo(gray, CV_8U, 255.0 / (white - black), -black * 255.0 / (white - black));
  cv::Mat specks(gray.size(), CV_8U);
  cv::randu(specks, 0, 255);
  gray.setTo(40, specks > 253);
  const int margin_x = static_cast<int>(card.image.cols * Uniform(rng, 0.12, 0.3));
  const int margin_y = static_cast<int>(card.image.rows * Uniform(rng, 0.15, 0.4));
  const cv::Size page(card.image.cols + 2 * margin_x, card.image.rows + 2 * margin_y);
  cv::Mat sheet(page, CV_8U, cv::Scalar(static_cast<int>(Uniform(rng, 238, 252))));
  const cv::Rect at(margin_x, margin_y, card.image.cols, card.image.rows);
  gray.copyTo(sheet(at), card.mask);
  std::vector<std::vector<cv::Point>> outline;
  cv::findContours(card.mask.clone(), outline, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  cv::drawContours(sheet(at), outline, -1, cv::Scalar(110), 3, cv::LINE_AA);
  Subject subject;
  cv::cvtColor(sheet, subject.image, cv::COLOR_GRAY2BGR);
  subject.mask = cv::Mat(page, CV_8U, cv::Scalar(255));
  const float x0 = static_cast<float>(margin_x), y0 = static_cast<float>(margin_y);
  const float x1 = x0 + card.image.cols, y1 = y0 + card.image.rows;
  subject.card = {cv::Point2f(x0, y0), {x1, y0}, {x1, y1}, {x0, y1}};
  return subject;
}

// A screen showing the card: the card resampled to the screen's pixels inside a dark app
// frame, each screen pixel drawn as red, green and blue stripes with dark gaps (a phone or
// monitor seen up close). Photographing it resamples that grid again, which gives moiré.
Subject ScreenSubject(const RenderedCard& card, std::mt19937& rng) {
  const int card_pixels = UniformInt(rng, 420, 900);  // card width in screen pixels
  const int card_rows = card_pixels * card.image.rows / card.image.cols;
  const int margin_x = card_pixels / 12, margin_y = card_rows / 4;
  const cv::Size screen(card_pixels + 2 * margin_x, card_rows + 2 * margin_y);
  cv::Mat pixels(screen, CV_8UC3, cv::Scalar::all(UniformInt(rng, 10, 40)));
  cv::Mat shown, shown_mask;
  cv::resize(card.image, shown, {card_pixels, card_rows}, 0, 0, cv::INTER_AREA);
  cv::resize(card.mask, shown_mask, {card_pixels, card_rows}, 0, 0, cv::INTER_AREA);
  shown.copyTo(pixels(cv::Rect(margin_x, margin_y, card_pixels, card_rows)), shown_mask > 127);
  constexpr int kSub = 3;  // sub-pixels per screen pixel each way
  Subject subject;
  subject.image.create(screen.height * kSub, screen.width * kSub, CV_8UC3);
  const double gap = Uniform(rng, 0.35, 0.7);  // brightness of the gaps between pixels
  for (int y = 0; y < subject.image.rows; ++y) {
    const cv::Vec3b* source = pixels.ptr<cv::Vec3b>(y / kSub);
    cv::Vec3b* row = subject.image.ptr<cv::Vec3b>(y);
    const bool gap_row = y % kSub == kSub - 1;
    for (int x = 0; x < subject.image.cols; ++x) {
      const cv::Vec3b p = source[x / kSub];
      const int channel = 2 - x % kSub;  // red, green, blue from left to right (BGR order)
      cv::Vec3b out(0, 0, 0);
      // Each stripe carries its own colour at full strength, a little of the others.
      for (int c = 0; c < 3; ++c)
        out[c] = cv::saturate_cast<uchar>(p[c] * (c == channel ? 1.0 : 0.3));
      if (gap_row) out *= gap;
      row[x] = out;
    }
  }
  subject.mask = cv::Mat(subject.image.size(), CV_8U, cv::Scalar(255));
  subject.emissive = true;
  const float x0 = static_cast<float>(margin_x * kSub), y0 = static_cast<float>(margin_y * kSub);
  const float x1 = x0 + card_pixels * kSub, y1 = y0 + card_rows * kSub;
  subject.card = {cv::Point2f(x0, y0), {x1, y0}, {x1, y1}, {x0, y1}};
  return subject;
}

std::array<cv::Point2f, 4> Transform(const cv::Mat& homography,
                                     const std::array<cv::Point2f, 4>& points) {
  std::vector<cv::Point2f> in(points.begin(), points.end()), out;
  cv::perspectiveTransform(in, out, homography);
  return {out[0], out[1], out[2], out[3]};
}

}  // namespace

std::string CaptureCaseName(CaptureCase capture_case) {
  switch (capture_case) {
    case CaptureCase::kNormal:
      return "normal";
    case CaptureCase::kHarsh:
      return "harsh";
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
    case CaptureCase::kTiny:
      return "tiny";
    case CaptureCase::kNoCard:
      return "no_card";
    case CaptureCase::kPhotocopy:
      return "photocopy";
    case CaptureCase::kScreen:
      return "screen";
  }
  return "normal";
}

Capture SimulateCapture(const RenderedCard* card, CaptureCase capture_case, std::mt19937& rng) {
  Capture capture;
  cv::theRNG().state = rng();  // cv::randn draws from OpenCV's own generator
  const bool clean = capture_case == CaptureCase::kClean;
  const bool harsh = capture_case == CaptureCase::kHarsh;
  const bool has_card = card != nullptr && capture_case != CaptureCase::kNoCard;
  // How the photo is framed.
  capture.framing = "table";
  if (clean) {
    capture.framing = "clean";
  } else if (capture_case == CaptureCase::kNormal) {
    capture.framing = std::discrete_distribution<int>({60, 28, 12})(rng) == 0 ? "table"
                      : Chance(rng, 0.7)                                      ? "fill"
                                                                              : "scan";
  } else if (harsh) {
    capture.framing = Chance(rng, 0.45) ? "fill" : "table";
  } else if (capture_case == CaptureCase::kSmall || capture_case == CaptureCase::kTiny) {
    capture.framing = "small";
  } else if (capture_case == CaptureCase::kPhotocopy) {
    capture.framing = Chance(rng, 0.5) ? "scan" : "table";
  } else if (capture_case == CaptureCase::kScreen) {
    capture.framing = "fill";
  }
  const bool scan = capture.framing == "scan";
  const bool portrait_frame = !clean && UniformInt(rng, 0, 1) == 1;
  cv::Size size = clean ? cv::Size(2000, 1500) : cv::Size(4000, 3000);
  if (scan) size = cv::Size(3508, 2480);  // A4 at 300 dpi
  if (portrait_frame) size = cv::Size(size.height, size.width);
  const int short_side = std::min(size.width, size.height);
  const int long_frame_side = std::max(size.width, size.height);

  Subject subject;
  if (has_card) {
    subject = capture_case == CaptureCase::kPhotocopy ? PhotocopySubject(*card, rng)
              : capture_case == CaptureCase::kScreen  ? ScreenSubject(*card, rng)
                                                      : CardSubject(*card);
  }
  cv::Mat image;       // CV_32FC3
  cv::Mat glare;       // specular highlight (CV_32F), added after exposure
  cv::Mat homography;  // subject image to photo
  cv::Rect card_region;
  if (has_card) {
    const int quarter_turns = clean ? 0 : UniformInt(rng, 0, 3);
    capture.rotation_degrees = quarter_turns * 90;
    const double spin = capture.rotation_degrees + (clean  ? 0
                                                    : scan ? Uniform(rng, -3, 3)
                                                           : Uniform(rng, -10, 10));
    capture.tilt_degrees = clean || scan ? 0 : harsh ? Uniform(rng, 15, 35) : Uniform(rng, 0, 20);
    const double subject_w = subject.image.cols, subject_h = subject.image.rows;
    const double card_share = cv::norm(subject.card[1] - subject.card[0]) / subject_w;
    // The subject's long side along the frame's long side when it lies that way, else the short.
    const bool along_long_side = (quarter_turns % 2 == 0) == (size.width > size.height);
    // The card's long side along the frame's long side when it lies that way, else the short.
    const double room = along_long_side
                            ? std::min<double>(long_frame_side, short_side * kCardWidthMm / 54.0)
                            : short_side;
    for (int attempt = 0; attempt < 400; ++attempt) {
      // The card's width in the photo.
      double card_px = (clean ? 0.7 : Uniform(rng, 0.45, 0.88)) * room;
      double margin = 0.03 * short_side;
      if (capture.framing == "fill") {
        card_px = Uniform(rng, 0.88, 0.985) * room;
        margin = 0.004 * short_side;
      }
      if (scan) card_px = kCardWidthMm * 300 / 25.4;
      if (capture_case == CaptureCase::kSmall) card_px = Uniform(rng, 380, 560);
      if (capture_case == CaptureCase::kTiny) card_px = Uniform(rng, 130, 200);
      if (capture_case == CaptureCase::kPhotocopy && !scan)
        card_px = Uniform(rng, 0.45, 0.7) * room;
      // A steep tilt may not fit the frame at the size drawn: shrink as attempts fail.
      card_px *= 1 - 0.5 * attempt / 400.0;
      const double spread = capture.framing == "fill" ? 0.02 : 0.15;
      const cv::Point2f center(
          size.width / 2.0f + static_cast<float>(Uniform(rng, -spread, spread) * size.width),
          size.height / 2.0f + static_cast<float>(Uniform(rng, -spread, spread) * size.height));
      auto corners = ProjectRectangle(
          rng, size, subject_w, subject_h, card_px / card_share, spin, capture.tilt_degrees,
          clean ? cv::Point2f(size.width / 2.0f, size.height / 2.0f) : center);
      homography = cv::getPerspectiveTransform(
          std::array<cv::Point2f, 4>{cv::Point2f(0, 0), cv::Point2f(subject_w, 0),
                                     cv::Point2f(subject_w, subject_h), cv::Point2f(0, subject_h)}
              .data(),
          corners.data());
      std::array<cv::Point2f, 4> card_corners = Transform(homography, subject.card);
      if (capture_case == CaptureCase::kCornerOut) {
        // Push the card towards one corner of the frame until exactly that corner is cut.
        const int victim = UniformInt(rng, 0, 3);
        const cv::Point2f frame_center(size.width / 2.0f, size.height / 2.0f);
        const cv::Point2f direction = card_corners[victim] - frame_center;
        const double length = std::hypot(direction.x, direction.y);
        for (double shift = 0; shift < short_side; shift += 10) {
          std::array<cv::Point2f, 4> moved;
          for (int i = 0; i < 4; ++i) moved[i] = card_corners[i] + direction * (shift / length);
          int outside = 0;
          for (const auto& p : moved) outside += !Inside({p, p, p, p}, size, 0);
          if (outside >= 1) {
            const cv::Point2f offset =
                moved[0] - card_corners[0] + direction * (0.05 * card_px / length);
            for (auto& p : corners) p += offset;
            break;
          }
        }
        homography = cv::getPerspectiveTransform(
            std::array<cv::Point2f, 4>{cv::Point2f(0, 0), cv::Point2f(subject_w, 0),
                                       cv::Point2f(subject_w, subject_h), cv::Point2f(0, subject_h)}
                .data(),
            corners.data());
        capture.corners = Transform(homography, subject.card);
        break;
      }
      // The subject (a sheet of paper or a screen) may run out of the frame; the card may not.
      if (Inside(card_corners, size, margin)) {
        capture.corners = card_corners;
        break;
      }
    }
    cv::Rect card_box =
        cv::boundingRect(std::vector<cv::Point2f>(capture.corners.begin(), capture.corners.end()));
    const int pad = card_box.width / 20;
    card_box = cv::Rect(card_box.x - pad, card_box.y - pad, card_box.width + 2 * pad,
                        card_box.height + 2 * pad);
    image = Surface(rng, size, card_box, scan, &capture.surface);
    card_region = card_box & cv::Rect(0, 0, size.width, size.height);

    cv::Mat warped, mask;
    cv::warpPerspective(subject.image, warped, homography, size, cv::INTER_LINEAR,
                        cv::BORDER_CONSTANT);
    cv::warpPerspective(subject.mask, mask, homography, size, cv::INTER_LINEAR,
                        cv::BORDER_CONSTANT);
    // A soft shadow under the subject, computed at an eighth of the size (it is smooth, and a
    // wide blur at 12 MP is the slowest step of the whole simulation).
    const double card_px = cv::norm(capture.corners[1] - capture.corners[0]);
    cv::Mat small_mask, shadow;
    cv::resize(mask, small_mask, {size.width / 8, size.height / 8}, 0, 0, cv::INTER_AREA);
    small_mask.convertTo(small_mask, CV_32F, 1.0 / 255);
    const cv::Mat shift =
        (cv::Mat_<double>(2, 3) << 1, 0, card_px * 0.01 / 8, 0, 1, card_px * 0.015 / 8);
    cv::warpAffine(small_mask, shadow, shift, small_mask.size());
    cv::GaussianBlur(shadow, shadow, {0, 0}, card_px * 0.01 / 8 + 0.5);
    cv::resize(shadow, shadow, size, 0, 0, cv::INTER_LINEAR);
    const float shadow_strength = subject.emissive || scan ? 0.0f : 0.35f;
    // In place, row by row: 12 MP float temporaries cost more in page faults than in work.
    for (int y = 0; y < size.height; ++y) {
      cv::Vec3f* out = image.ptr<cv::Vec3f>(y);
      const cv::Vec3b* subject_row = warped.ptr<cv::Vec3b>(y);
      const uchar* m = mask.ptr<uchar>(y);
      const float* s = shadow.ptr<float>(y);
      for (int x = 0; x < size.width; ++x) {
        const float a = m[x] / 255.0f;
        const cv::Vec3f under = out[x] * (1 - shadow_strength * s[x]);
        out[x] = under * (1 - a) +
                 cv::Vec3f(subject_row[x][0], subject_row[x][1], subject_row[x][2]) * a;
      }
    }
    if (capture_case == CaptureCase::kGlare) {
      // Centre the highlight on the printed fields (name/birth or authority/validity).
      const float w = static_cast<float>(card->image.cols),
                  h = static_cast<float>(card->image.rows);
      const cv::Mat card_to_photo = cv::getPerspectiveTransform(
          std::array<cv::Point2f, 4>{cv::Point2f(0, 0), {w, 0}, {w, h}, {0, h}}.data(),
          capture.corners.data());
      const std::vector<cv::Point2f> field = {card->emblem_side ? cv::Point2f(w * 0.5f, h * 0.82f)
                                                                : cv::Point2f(w * 0.3f, h * 0.45f)};
      std::vector<cv::Point2f> at;
      cv::perspectiveTransform(field, at, card_to_photo);
      glare = cv::Mat::zeros(size, CV_32F);
      cv::ellipse(glare, at[0], cv::Size(card_px * 0.13, card_px * 0.08), Uniform(rng, 0, 180), 0,
                  360, 1.0, -1, cv::LINE_AA);
      cv::GaussianBlur(glare, glare, {0, 0}, card_px * 0.02);
    }
  } else {
    image = Surface(rng, size, cv::Rect(), false, &capture.surface);
  }

  // Uneven light: a slope, a warm or cool cast, and a bright or dark patch.
  {
    const bool flat = clean || scan;
    const cv::Size small(size.width / 8, size.height / 8);
    cv::Mat light(small, CV_32F);
    const double base = flat ? 1.0 : harsh ? Uniform(rng, 0.55, 1.0) : Uniform(rng, 0.75, 1.0);
    const double slope = flat ? 0.02 : harsh ? 0.45 : 0.25;
    const double gx = Uniform(rng, -slope, slope), gy = Uniform(rng, -slope, slope);
    const cv::Point2f patch(Uniform(rng, 0, small.width), Uniform(rng, 0, small.height));
    const double patch_gain = flat    ? 0
                              : harsh ? Uniform(rng, -0.3, 0.2)
                                      : Uniform(rng, -0.15, 0.12);
    const double patch_radius = Uniform(rng, 0.2, 0.5) * small.width;
    for (int y = 0; y < small.height; ++y) {
      for (int x = 0; x < small.width; ++x) {
        const double u = static_cast<double>(x) / small.width - 0.5;
        const double v = static_cast<double>(y) / small.height - 0.5;
        const double d2 =
            (std::pow(x - patch.x, 2) + std::pow(y - patch.y, 2)) / (patch_radius * patch_radius);
        light.at<float>(y, x) =
            static_cast<float>(base + gx * u + gy * v + patch_gain * std::exp(-d2));
      }
    }
    cv::resize(light, light, size, 0, 0, cv::INTER_LINEAR);
    const double cast_range = harsh ? 0.18 : 0.07;
    const cv::Vec3f cast =
        flat ? cv::Vec3f::all(1)
             : cv::Vec3f(static_cast<float>(Uniform(rng, 1 - cast_range, 1 + cast_range * 0.8)),
                         1.0f,
                         static_cast<float>(Uniform(rng, 1 - cast_range * 0.8, 1 + cast_range)));
    for (int y = 0; y < size.height; ++y) {
      cv::Vec3f* row = image.ptr<cv::Vec3f>(y);
      const float* l = light.ptr<float>(y);
      for (int x = 0; x < size.width; ++x) {
        row[x] = cv::Vec3f(row[x][0] * cast[0], row[x][1] * cast[1], row[x][2] * cast[2]) * l[x];
      }
    }
    // Auto exposure: the phone keeps the brightest part of the card just below white.
    if (!card_region.empty()) {
      cv::Mat reduced;
      cv::resize(image(card_region), reduced, {}, 0.1, 0.1, cv::INTER_AREA);
      cv::cvtColor(reduced, reduced, cv::COLOR_BGR2GRAY);
      std::vector<float> values(reduced.begin<float>(), reduced.end<float>());
      std::nth_element(values.begin(), values.begin() + values.size() * 98 / 100, values.end());
      const float bright = values[values.size() * 98 / 100];
      const float target = harsh ? static_cast<float>(Uniform(rng, 170, 240)) : 240.0f;
      if (bright > target || harsh) image *= target / std::max(1.0f, bright);
    }
    if (!glare.empty()) {
      for (int y = 0; y < size.height; ++y) {
        cv::Vec3f* row = image.ptr<cv::Vec3f>(y);
        const float* g = glare.ptr<float>(y);
        for (int x = 0; x < size.width; ++x) row[x] += (cv::Vec3f::all(330) - row[x]) * g[x];
      }
    }
  }

  capture.blur_sigma_pixels = clean   ? 0.6
                              : scan  ? Uniform(rng, 0.4, 0.9)
                              : harsh ? Uniform(rng, 1.0, 2.6)
                                      : Uniform(rng, 0.4, 1.8);
  if (capture_case == CaptureCase::kHeavyBlur) capture.blur_sigma_pixels = Uniform(rng, 14, 20);
  cv::GaussianBlur(image, image, {0, 0}, capture.blur_sigma_pixels);
  if (!clean && !scan && (harsh ? Chance(rng, 0.5) : UniformInt(rng, 0, 4) == 0)) {
    // Hand shake.
    const int length = harsh ? UniformInt(rng, 5, 13) : UniformInt(rng, 3, 9);
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
  // Sensor noise, a row at a time.
  const double noise_sigma = clean   ? 1.5
                             : scan  ? Uniform(rng, 0.8, 2)
                             : harsh ? Uniform(rng, 4, 10)
                                     : Uniform(rng, 2, 6);
  cv::Mat noise(1, size.width, CV_32FC3);
  capture.image.create(size, CV_8UC3);
  for (int y = 0; y < size.height; ++y) {
    cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(noise_sigma));
    cv::Mat row = image.row(y);
    row += noise;
    row.convertTo(capture.image.row(y), CV_8UC3);
  }
  capture.jpeg_quality = clean   ? 92
                         : scan  ? UniformInt(rng, 85, 95)
                         : harsh ? UniformInt(rng, 55, 80)
                                 : UniformInt(rng, 70, 95);
  if (harsh && Chance(rng, 0.5)) {
    // Sent through a messenger, which shrinks photos to about 1,280-1,600 pixels.
    const double scale = Uniform(rng, 1280, 1600) / long_frame_side;
    cv::resize(capture.image, capture.image, {}, scale, scale, cv::INTER_AREA);
    for (auto& p : capture.corners) p *= static_cast<float>(scale);
    capture.blur_sigma_pixels *= scale;
  }
  return capture;
}

}  // namespace examphoto::testing
