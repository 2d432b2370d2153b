#include "drawn_face.h"

#include <cmath>
#include <opencv2/imgproc.hpp>

namespace examphoto::imaging::testing {

FaceLandmarks DrawnFaceLandmarks(cv::Point2f eyes, float width) {
  // Unit: the face width; origin: the midpoint of the eyes; y down.
  cv::Point2f unit[68];
  for (int i = 0; i <= 16; ++i) {  // jaw, ear to ear through the chin
    const double t = i / 16.0;
    unit[i] = {static_cast<float>(-0.5 * std::cos(CV_PI * t)),
               static_cast<float>(-0.05 + 0.65 * std::sin(CV_PI * t))};
  }
  for (int i = 0; i < 5; ++i) {  // brows
    unit[17 + i] = {-0.38f + 0.075f * i, -0.17f - 0.02f * static_cast<float>(i == 2)};
    unit[22 + i] = {0.08f + 0.075f * i, -0.17f - 0.02f * static_cast<float>(i == 2)};
  }
  for (int i = 0; i < 4; ++i) unit[27 + i] = {0, -0.05f + 0.1f * i};  // nose bridge to tip
  for (int i = 0; i < 5; ++i) unit[31 + i] = {-0.1f + 0.05f * i, 0.3f};
  const cv::Point2f eye_shape[6] = {{-0.1f, 0}, {-0.035f, -0.03f}, {0.035f, -0.03f},
                                    {0.1f, 0},  {0.035f, 0.03f},   {-0.035f, 0.03f}};
  for (int i = 0; i < 6; ++i) {
    unit[36 + i] = eye_shape[i] + cv::Point2f(-0.2f, 0);
    unit[42 + i] = eye_shape[i] + cv::Point2f(0.2f, 0);
  }
  for (int i = 0; i < 12; ++i) {  // outer lip, an ellipse from the left corner clockwise
    const double a = CV_PI + 2 * CV_PI * i / 12.0;
    unit[48 + i] = {static_cast<float>(0.15 * std::cos(a)),
                    static_cast<float>(0.45 + 0.05 * std::sin(a))};
  }
  const cv::Point2f inner[8] = {{-0.12f, 0.45f}, {-0.05f, 0.447f}, {0, 0.447f}, {0.05f, 0.447f},
                                {0.12f, 0.45f},  {0.05f, 0.453f},  {0, 0.453f}, {-0.05f, 0.453f}};
  for (int i = 0; i < 8; ++i) unit[60 + i] = inner[i];

  FaceLandmarks face;
  for (int i = 0; i < 68; ++i) face.points[i] = eyes + unit[i] * width;
  face.box = cv::Rect2f(eyes.x - 0.45f * width, eyes.y - 0.25f * width, 0.9f * width, 0.9f * width);
  face.score = 1;
  return face;
}

void DrawPerson(cv::Mat& image, cv::Point2f eyes, float width, double hair_above_eyes) {
  const float w = width;
  // Shoulders and chest, then the neck, the hair cap and the face over them.
  std::vector<cv::Point> body = {{cvRound(eyes.x - 1.1f * w), image.rows},
                                 {cvRound(eyes.x - 1.05f * w), cvRound(eyes.y + 1.15f * w)},
                                 {cvRound(eyes.x - 0.3f * w), cvRound(eyes.y + 0.85f * w)},
                                 {cvRound(eyes.x + 0.3f * w), cvRound(eyes.y + 0.85f * w)},
                                 {cvRound(eyes.x + 1.05f * w), cvRound(eyes.y + 1.15f * w)},
                                 {cvRound(eyes.x + 1.1f * w), image.rows}};
  cv::fillPoly(image, std::vector<std::vector<cv::Point>>{body}, kDrawnClothesBgr, cv::LINE_AA);
  cv::rectangle(image,
                cv::Rect(cvRound(eyes.x - 0.22f * w), cvRound(eyes.y + 0.3f * w),
                         cvRound(0.44f * w), cvRound(0.65f * w)),
                kDrawnSkinBgr * 0.9, cv::FILLED);
  const float hair_height = static_cast<float>(hair_above_eyes) * w;
  cv::ellipse(image, cv::Point(cvRound(eyes.x), cvRound(eyes.y - 0.05f * w)),
              cv::Size(cvRound(0.6f * w), cvRound(hair_height)), 0, 180, 360,
              cv::Scalar(40, 45, 60), cv::FILLED, cv::LINE_AA);
  cv::ellipse(image, cv::Point(cvRound(eyes.x), cvRound(eyes.y + 0.12f * w)),
              cv::Size(cvRound(0.5f * w), cvRound(0.5f * w)), 0, 0, 360, kDrawnSkinBgr, cv::FILLED,
              cv::LINE_AA);
  // Eyes and mouth, so that the face is not one flat colour.
  for (float side : {-0.2f, 0.2f}) {
    cv::ellipse(image, cv::Point(cvRound(eyes.x + side * w), cvRound(eyes.y)),
                cv::Size(cvRound(0.08f * w), cvRound(0.025f * w)), 0, 0, 360,
                cv::Scalar(50, 40, 30), cv::FILLED);
  }
  cv::ellipse(image, cv::Point(cvRound(eyes.x), cvRound(eyes.y + 0.45f * w)),
              cv::Size(cvRound(0.13f * w), cvRound(0.02f * w)), 0, 0, 360, cv::Scalar(90, 90, 170),
              cv::FILLED);
}

Result<cv::Mat> ColourKeyMatte::Matte(const cv::Mat& bgr) const {
  cv::Mat alpha(bgr.size(), CV_32F);
  for (int y = 0; y < bgr.rows; ++y) {
    const cv::Vec3b* pixel = bgr.ptr<cv::Vec3b>(y);
    float* out = alpha.ptr<float>(y);
    for (int x = 0; x < bgr.cols; ++x) {
      double nearest = 1e9;
      for (const cv::Scalar& colour : background_) {
        const double d = std::abs(pixel[x][0] - colour[0]) + std::abs(pixel[x][1] - colour[1]) +
                         std::abs(pixel[x][2] - colour[2]);
        nearest = std::min(nearest, d);
      }
      out[x] = static_cast<float>(std::clamp((nearest - 15.0) / 30.0, 0.0, 1.0));
    }
  }
  return alpha;
}

}  // namespace examphoto::imaging::testing
