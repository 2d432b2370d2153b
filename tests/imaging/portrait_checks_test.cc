// The judgement of measurements and the skin-only light measure, on values and drawn faces.
#include "imaging/portrait_checks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "domain/messages.h"
#include "drawn_face.h"

namespace examphoto::imaging {
namespace {

const PhotoProfile& Beijing() { return PhotoProfiles::Builtin().Default(); }

// What a good portrait measures.
PortraitMeasurements Good() {
  PortraitMeasurements m;
  m.face_count = 1;
  m.significant_face_count = 1;
  m.face_width_fraction = 0.3;
  m.centre_offset_fraction = 0.02;
  m.eye_height_fraction = 0.4;
  m.eye_openness = 0.3;
  m.mouth_openness = 0.02;
  m.sharpness = 0.5;
  m.face_brightness = 150;
  m.face_highlight = 185;
  m.face_peak = 215;
  m.frame_highlight = 235;
  m.side_light_ratio = 0.05;
  m.backlight_difference = 20;
  m.matte_unsure_band = 0.04;
  m.matte_face_covered = 1;
  m.source_face_px = 400;
  m.source_face_scale = 1.6;
  m.head_top_px = 80;
  m.eye_line_px = 250;
  m.face_width_px = 240;
  return m;
}

TEST(PortraitChecksTest, AGoodPortraitHasNoIssue) {
  EXPECT_TRUE(JudgePortrait(Good(), Beijing()).empty());
}

TEST(PortraitChecksTest, OnlyAPhotoWithoutAnyFaceIsNoFace) {
  PortraitMeasurements m = Good();
  m.face_count = 0;
  EXPECT_EQ(JudgePortrait(m, Beijing()), std::vector<std::string>{"photo.no_face"});
  // A face found but small is "too far", not "no face".
  m = Good();
  m.face_width_fraction = 0.08;
  EXPECT_EQ(JudgePortrait(m, Beijing()), std::vector<std::string>{"photo.face_too_small"});
}

TEST(PortraitChecksTest, APhotoTooBlurredOrDarkToFindAFaceInOrOfAScreenIsToldSo) {
  PortraitMeasurements m;
  m.image_brightness = 120;
  m.image_contrast = 45;
  m.image_sharpness = 0.002;
  EXPECT_EQ(JudgePortrait(m, Beijing()), std::vector<std::string>{"photo.blurred"});
  m.image_sharpness = 1.5;
  m.screen_moire_score = 1.6;  // a screen's grid hid the face from the detector
  EXPECT_EQ(JudgePortrait(m, Beijing()), std::vector<std::string>{"photo.recaptured"});
  m.screen_moire_score = 0;
  m.image_brightness = 20;
  EXPECT_EQ(JudgePortrait(m, Beijing()), std::vector<std::string>{"photo.too_dark"});
  m = PortraitMeasurements{};  // a plain wall: no detail, but no shapes either
  m.image_brightness = 200;
  m.image_contrast = 3;
  m.image_sharpness = 0.1;
  EXPECT_EQ(JudgePortrait(m, Beijing()), std::vector<std::string>{"photo.no_face"});
}

TEST(PortraitChecksTest, ABusyBackgroundIsNoReasonWhenTheMatteIsSure) {
  PortraitMeasurements m = Good();
  m.background_deviation = 80;  // a street
  EXPECT_TRUE(JudgePortrait(m, Beijing()).empty());
}

TEST(PortraitChecksTest, ADarkerSkinToneIsNeitherDarkNorBacklitBeforeAWallOrInADimStreet) {
  PortraitMeasurements m = Good();
  m.face_brightness = 70;
  m.face_highlight = 94;  // measured on a real portrait (dev set, s5-front)
  m.face_peak = 111;
  m.frame_highlight = 228;
  m.backlight_difference = 131;
  m.background_clipped = 0.0;
  EXPECT_TRUE(JudgePortrait(m, Beijing()).empty());
  m.frame_highlight = 115;  // the same face before a dim street
  m.backlight_difference = -20;
  EXPECT_TRUE(JudgePortrait(m, Beijing()).empty());
  // The same face at 30 % of the light has lost its highlights: underexposed.
  m.face_highlight = 28;
  m.face_peak = 33;
  EXPECT_EQ(JudgePortrait(m, Beijing()), std::vector<std::string>{"photo.too_dark"});
}

TEST(PortraitChecksTest, ADarkerSkinToneOverexposedIsToldSo) {
  PortraitMeasurements m = Good();
  m.face_brightness = 200;  // the mean stays under the limit …
  m.face_highlight = 222;   // … the highlights do not (dev set, s5-front overexposed)
  EXPECT_EQ(JudgePortrait(m, Beijing()), std::vector<std::string>{"photo.overexposed"});
}

TEST(PortraitChecksTest, ADimFaceIsDarkNotBlurred) {
  PortraitMeasurements m = Good();
  m.face_peak = 33;  // a sharp face at 30 % of the light: its detail falls with its contrast
  m.face_contrast = 8;
  m.sharpness = 1.0;
  EXPECT_EQ(JudgePortrait(m, Beijing()), std::vector<std::string>{"photo.too_dark"});
}

TEST(PortraitChecksTest, FrameReachingPastThePhotoIsNoReasonUnlessThePersonIsCut) {
  PortraitMeasurements m = Good();
  m.missing_fraction = 0.2;  // above the hair and beside the shoulders, filled
  EXPECT_TRUE(JudgePortrait(m, Beijing()).empty());
}

struct Defect {
  const char* name;
  void (*apply)(PortraitMeasurements&);
  const char* code;
};

class PortraitDefectTest : public ::testing::TestWithParam<Defect> {};

TEST_P(PortraitDefectTest, GetsItsOwnCodeAndOnlyThat) {
  PortraitMeasurements m = Good();
  GetParam().apply(m);
  const auto codes = JudgePortrait(m, Beijing());
  EXPECT_EQ(codes, std::vector<std::string>{GetParam().code});
  EXPECT_TRUE(HasMessage(GetParam().code));
}

INSTANTIATE_TEST_SUITE_P(
    EachDefect, PortraitDefectTest,
    ::testing::Values(
        Defect{"two_faces", [](auto& m) { m.significant_face_count = 2; }, "photo.multiple_faces"},
        Defect{"far", [](auto& m) { m.face_width_fraction = 0.1; }, "photo.face_too_small"},
        Defect{"close", [](auto& m) { m.face_width_fraction = 0.7; }, "photo.face_too_large"},
        Defect{"off_centre", [](auto& m) { m.centre_offset_fraction = 0.3; },
               "photo.face_not_centred"},
        Defect{"head_cut", [](auto& m) { m.head_cut_face_widths = 0.4; }, "photo.out_of_frame"},
        Defect{"shoulders_cut", [](auto& m) { m.body_cut_fraction = 0.3; }, "photo.out_of_frame"},
        Defect{"turned", [](auto& m) { m.pose.yaw = 30; }, "photo.head_turned"},
        Defect{"tilted", [](auto& m) { m.pose.roll = 15; }, "photo.head_tilted"},
        Defect{"raised", [](auto& m) { m.pose.pitch = 25; }, "photo.head_raised"},
        Defect{"lowered", [](auto& m) { m.pose.pitch = -25; }, "photo.head_lowered"},
        Defect{"eyes", [](auto& m) { m.eye_openness = 0.1; }, "photo.eyes_closed"},
        Defect{"mouth", [](auto& m) { m.mouth_openness = 0.4; }, "photo.mouth_open"},
        Defect{"dark",
               [](auto& m) {
                 m.face_brightness = 40;
                 m.face_highlight = 60;
                 m.face_peak = 70;
               },
               "photo.too_dark"},
        Defect{"bright", [](auto& m) { m.face_brightness = 240; }, "photo.overexposed"},
        Defect{"side_light", [](auto& m) { m.side_light_ratio = 0.5; }, "photo.uneven_light"},
        Defect{"backlit",
               [](auto& m) {
                 m.backlight_difference = 150;
                 m.background_clipped = 0.5;
               },
               "photo.backlit"},
        Defect{"blurred", [](auto& m) { m.sharpness = 0.02; }, "photo.blurred"},
        Defect{"matte_unsure", [](auto& m) { m.matte_unsure_band = 0.3; },
               "photo.background_not_separable"},
        Defect{"face_lost", [](auto& m) { m.matte_face_covered = 0.2; },
               "photo.background_not_separable"},
        Defect{"low_resolution",
               [](auto& m) {
                 m.source_face_px = 120;
                 m.source_face_scale = 0.5;
               },
               "photo.resolution_too_low"},
        Defect{"recompressed", [](auto& m) { m.jpeg_quality = 10; }, "photo.low_quality"},
        Defect{"screen", [](auto& m) { m.screen_moire_score = 2; }, "photo.recaptured"},
        Defect{"edited", [](auto& m) { m.editing_software_named = true; }, "photo.edited"},
        Defect{"cannot_frame", [](auto& m) { m.head_top_px = 10; }, "photo.cannot_frame"}),
    [](const auto& info) { return std::string(info.param.name); });

// A drawn face 160 px wide on a 400×400 picture.
struct DrawnFace {
  cv::Mat image;
  FaceLandmarks face;
};

DrawnFace Face() {
  DrawnFace drawn{cv::Mat(400, 400, CV_8UC3, cv::Scalar(200, 205, 210)), {}};
  testing::DrawPerson(drawn.image, {200, 170}, 160);
  drawn.face = testing::DrawnFaceLandmarks({200, 170}, 160);
  // Skin has texture: a little noise keeps the medians honest.
  cv::Mat noise(drawn.image.size(), CV_16SC3);
  cv::randn(noise, 0, 4);
  cv::Mat noisy;
  drawn.image.convertTo(noisy, CV_16SC3);
  noisy += noise;
  noisy.convertTo(drawn.image, CV_8UC3);
  return drawn;
}

void Darken(cv::Mat& image, cv::Rect region, double gain) {
  image(region).convertTo(image(region), -1, gain);
}

TEST(SkinSideLightTest, AnEvenlyLitFaceIsEven) {
  const DrawnFace drawn = Face();
  EXPECT_LT(SkinSideLightRatio(drawn.image, drawn.face), 0.05);
}

TEST(SkinSideLightTest, AShadowedCheekIsUneven) {
  DrawnFace drawn = Face();
  Darken(drawn.image, cv::Rect(0, 0, 200, 400), 0.5);
  EXPECT_GT(SkinSideLightRatio(drawn.image, drawn.face), 0.4);
}

TEST(SkinSideLightTest, HairGlassesAndABeardOnOneSideAreNotShadow) {
  DrawnFace drawn = Face();
  // A strand of dark hair over one cheek, a glasses frame, a beard on one side of the jaw.
  cv::rectangle(drawn.image, cv::Rect(125, 170, 25, 60), cv::Scalar(30, 35, 45), cv::FILLED);
  cv::rectangle(drawn.image, cv::Rect(110, 160, 70, 10), cv::Scalar(20, 20, 20), cv::FILLED);
  cv::rectangle(drawn.image, cv::Rect(130, 240, 60, 20), cv::Scalar(60, 60, 70), cv::FILLED);
  // And glare on the other cheek.
  cv::circle(drawn.image, cv::Point(250, 210), 12, cv::Scalar(255, 255, 255), cv::FILLED);
  EXPECT_LT(SkinSideLightRatio(drawn.image, drawn.face), 0.1);
}

}  // namespace
}  // namespace examphoto::imaging
