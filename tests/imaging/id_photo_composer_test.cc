// The composer's own logic on drawn portraits with a colour-keyed matte (no model): framing,
// filling the frame past the photo, telling a cut person from a short photo, replacing a
// busy background.
#include "imaging/id_photo_composer.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "domain/messages.h"
#include "drawn_face.h"

namespace examphoto::imaging {
namespace {

using testing::ColourKeyMatte;
using testing::DrawnFaceLandmarks;
using testing::DrawPerson;

const cv::Scalar kWall(200, 205, 210);

const PhotoProfile& Beijing() { return PhotoProfiles::Builtin().Default(); }

cv::Vec3b ProfileColour() {
  const auto& rgb = Beijing().background_rgb;
  return {rgb[2], rgb[1], rgb[0]};
}

double Distance(cv::Vec3b a, cv::Vec3b b) { return cv::norm(cv::Vec3i(a) - cv::Vec3i(b)); }

// A 300×400 portrait, face 100 px wide, eyes at (150, `eye_y`).
struct Drawn {
  cv::Mat image;
  FaceLandmarks face;
};

Drawn DrawnPortrait(float eye_y, int width = 300, const cv::Mat& background = {}) {
  Drawn drawn;
  drawn.image = background.empty() ? cv::Mat(400, width, CV_8UC3, kWall) : background.clone();
  const cv::Point2f eyes(width / 2.0f, eye_y);
  DrawPerson(drawn.image, eyes, 100);
  drawn.face = DrawnFaceLandmarks(eyes, 100);
  return drawn;
}

TEST(IdPhotoComposerTest, FramesTheFaceWhereTheProfileWantsIt) {
  const Drawn drawn = DrawnPortrait(170);
  auto composed = ComposeIdPhoto(drawn.image, drawn.face, Beijing(), ColourKeyMatte({kWall}));
  ASSERT_TRUE(composed.ok());
  EXPECT_EQ(composed->photo.size(), cv::Size(480, 640));
  EXPECT_TRUE(Beijing().eye_line_px.Contains(composed->geometry.eye_centre.y));
  EXPECT_TRUE(Beijing().face_width_px.Contains(composed->geometry.face_width));
  EXPECT_TRUE(composed->head_top_measured);
  EXPECT_TRUE(Beijing().head_top_px.Contains(composed->geometry.head_top.y));
  EXPECT_NEAR(composed->geometry.eye_centre.x, 240, 3);
  EXPECT_DOUBLE_EQ(composed->refit_zoom, 1.0);  // the photo holds the whole frame
}

TEST(IdPhotoComposerTest, FillsHeadroomWhenThePhotoStopsJustAboveTheHair) {
  // The hair reaches 90 px above the eyes; the photo starts 100 px above them.
  const Drawn drawn = DrawnPortrait(100);
  auto composed = ComposeIdPhoto(drawn.image, drawn.face, Beijing(), ColourKeyMatte({kWall}));
  ASSERT_TRUE(composed.ok());
  EXPECT_GT(composed->missing_fraction, 0.01);
  EXPECT_DOUBLE_EQ(composed->head_cut_face_widths, 0.0);
  EXPECT_LT(composed->body_cut_fraction, 0.01);
  // The rows above the photo are painted in the profile's colour, not smeared photo.
  EXPECT_LT(Distance(composed->photo.at<cv::Vec3b>(3, 240), ProfileColour()), 6);
  EXPECT_LT(Distance(composed->photo.at<cv::Vec3b>(3, 20), ProfileColour()), 6);
}

TEST(IdPhotoComposerTest, ReportsTheHeadCutWhenThePhotoEdgeRunsThroughTheHair) {
  const Drawn drawn = DrawnPortrait(60);  // the hair starts 30 px above the photo
  auto composed = ComposeIdPhoto(drawn.image, drawn.face, Beijing(), ColourKeyMatte({kWall}));
  ASSERT_TRUE(composed.ok());
  EXPECT_GT(composed->head_cut_face_widths, Beijing().checks.max_head_cut_face_widths);
}

TEST(IdPhotoComposerTest, ReportsShouldersCutByANarrowPhotoWhoseFaceCannotBeEnlarged) {
  // A photo 180 px wide: the shoulders (220 px across) run into its sides. With a face of
  // 100 px a larger face would be upscaled past the profile's limit, so the frame is not
  // made tighter and the cut shoulders are reported.
  const Drawn drawn = DrawnPortrait(170, 180);
  auto composed = ComposeIdPhoto(drawn.image, drawn.face, Beijing(), ColourKeyMatte({kWall}));
  ASSERT_TRUE(composed.ok());
  EXPECT_DOUBLE_EQ(composed->refit_zoom, 1.0);
  EXPECT_DOUBLE_EQ(composed->head_cut_face_widths, 0.0);
  EXPECT_GT(composed->body_cut_fraction, Beijing().checks.max_body_cut_fraction);
}

TEST(IdPhotoComposerTest, FramesACloseUpTighterInsteadOfCuttingTheShoulders) {
  // A close photo: the face 250 px wide, the photo two face widths wide, so the shoulders
  // (2.2 face widths) run into its sides. At the nominal framing (a face of about 190 px in a
  // frame 480 px wide) the frame would reach past the photo across them; a larger face and
  // a lower eye line, both inside the profile's ranges, keep the frame on the photo.
  cv::Mat image(900, 500, CV_8UC3, kWall);
  const cv::Point2f eyes(250, 300);
  DrawPerson(image, eyes, 250);
  auto composed =
      ComposeIdPhoto(image, DrawnFaceLandmarks(eyes, 250), Beijing(), ColourKeyMatte({kWall}));
  ASSERT_TRUE(composed.ok());
  EXPECT_GT(composed->refit_zoom, 1.05);
  EXPECT_DOUBLE_EQ(composed->head_cut_face_widths, 0.0);
  EXPECT_LT(composed->body_cut_fraction, Beijing().checks.max_body_cut_fraction);
  EXPECT_TRUE(Beijing().eye_line_px.Contains(composed->geometry.eye_centre.y));
  EXPECT_TRUE(Beijing().face_width_px.Contains(composed->geometry.face_width));
  EXPECT_TRUE(Beijing().head_top_px.Contains(composed->geometry.head_top.y));
  EXPECT_NEAR(composed->geometry.eye_centre.x, 240, 3);
}

TEST(IdPhotoComposerTest, PaintsBackgroundBelowAPhotoThatEndsJustBelowTheChin) {
  // The photo ends 20 px below the chin (0.66 face widths below the eyes): nothing below it
  // is clothing to continue, so the frame's bottom is painted in the profile's colour, not
  // filled with the photo's last rows mirrored (a second chin).
  const Drawn drawn = DrawnPortrait(170);
  const cv::Mat short_photo = drawn.image(cv::Rect(0, 0, 300, 256)).clone();
  auto composed = ComposeIdPhoto(short_photo, drawn.face, Beijing(), ColourKeyMatte({kWall}));
  ASSERT_TRUE(composed.ok());
  // The photo's bottom edge in the frame, and rows a little below it.
  const cv::Matx23d to_frame(composed->source_to_frame);
  const cv::Vec2d edge = to_frame * cv::Vec3d(150, 256, 1);
  for (int below : {10, 30}) {
    const int y = cvRound(edge[1]) + below;
    ASSERT_LT(y, 640);
    EXPECT_LT(Distance(composed->photo.at<cv::Vec3b>(y, cvRound(edge[0])), ProfileColour()), 6)
        << below;
  }
  EXPECT_LT(Distance(composed->photo.at<cv::Vec3b>(636, 240), ProfileColour()), 6);
  EXPECT_GT(composed->body_cut_fraction, Beijing().checks.max_body_cut_fraction);
}

TEST(IdPhotoComposerTest, ReplacesABusyBackgroundWithTheProfilesColour) {
  // Shelves and posters in colours unlike the person's.
  const std::vector<cv::Scalar> palette = {
      {200, 60, 40}, {40, 160, 40}, {180, 180, 40}, {120, 120, 120}, {230, 120, 200}};
  cv::Mat busy(400, 300, CV_8UC3, palette[3]);
  cv::RNG rng(3);
  for (int i = 0; i < 120; ++i) {
    cv::rectangle(busy,
                  cv::Rect(rng.uniform(0, 300), rng.uniform(0, 400), rng.uniform(10, 60),
                           rng.uniform(10, 60)),
                  palette[rng.uniform(0, 5)], cv::FILLED);
  }
  const Drawn drawn = DrawnPortrait(170, 300, busy);
  auto composed = ComposeIdPhoto(drawn.image, drawn.face, Beijing(), ColourKeyMatte(palette));
  ASSERT_TRUE(composed.ok());
  for (cv::Point corner : {cv::Point(5, 5), cv::Point(474, 5), cv::Point(5, 300)}) {
    EXPECT_LT(Distance(composed->photo.at<cv::Vec3b>(corner), ProfileColour()), 6) << corner;
  }
  // The face is kept (exposure is normalised a little, so only roughly the same).
  const cv::Point cheek(240, cvRound(composed->geometry.eye_centre.y + 40));
  EXPECT_GT(Distance(composed->photo.at<cv::Vec3b>(cheek), ProfileColour()), 60);
}

// A drawn portrait before the wall with the whites of the eyes, its skin in `skin`, taken at
// `light` of full light (wall included).
Drawn LitPortrait(const cv::Scalar& skin, double light) {
  Drawn drawn = DrawnPortrait(170);
  cv::Mat drawn_skin;
  cv::inRange(drawn.image, testing::kDrawnSkinBgr, testing::kDrawnSkinBgr, drawn_skin);
  drawn.image.setTo(skin, drawn_skin);
  for (const int first : {36, 42}) {
    cv::Point2f centre(0, 0);
    for (int i = first; i < first + 6; ++i) centre += drawn.face.points[i] / 6.0f;
    cv::ellipse(drawn.image, centre, cv::Size(12, 5), 0, 0, 360, cv::Scalar(235, 235, 235),
                cv::FILLED);
    cv::circle(drawn.image, centre, 4, cv::Scalar(40, 50, 60), cv::FILLED);
  }
  drawn.image.convertTo(drawn.image, -1, light);
  return drawn;
}

// The skin's mean luma in the finished photo over that in the frame before any change.
double SkinGain(const ComposedPhoto& composed) {
  const cv::Mat skin = FaceSkinMask(composed.landmarks, composed.photo.size());
  cv::Mat before, after;
  cv::cvtColor(composed.framed, before, cv::COLOR_BGR2GRAY);
  cv::cvtColor(composed.photo, after, cv::COLOR_BGR2GRAY);
  return cv::mean(after, skin)[0] / cv::mean(before, skin)[0];
}

const cv::Scalar kDarkerSkin(60, 85, 120);  // luma about 93, against 184 for the drawn skin

TEST(IdPhotoComposerTest, KeepsADarkerSkinInGoodLightAsItIs) {
  const Drawn drawn = LitPortrait(kDarkerSkin, 1.0);
  auto composed = ComposeIdPhoto(drawn.image, drawn.face, Beijing(), ColourKeyMatte({kWall}));
  ASSERT_TRUE(composed.ok());
  EXPECT_NEAR(SkinGain(*composed), 1.0, 0.04);
}

TEST(IdPhotoComposerTest, DarkensALightSkinInBrightLightALittle) {
  const Drawn drawn = LitPortrait(testing::kDrawnSkinBgr, 1.0);
  auto composed = ComposeIdPhoto(drawn.image, drawn.face, Beijing(), ColourKeyMatte({kWall}));
  ASSERT_TRUE(composed.ok());
  const double gain = SkinGain(*composed);
  EXPECT_LT(gain, 0.98);
  EXPECT_GT(gain, 0.85);
}

TEST(IdPhotoComposerTest, BrightensAnyFaceInDimLight) {
  for (const cv::Scalar& skin : {kDarkerSkin, testing::kDrawnSkinBgr}) {
    const Drawn drawn = LitPortrait(skin, 0.55);
    auto composed =
        ComposeIdPhoto(drawn.image, drawn.face, Beijing(), ColourKeyMatte({kWall * 0.55}));
    ASSERT_TRUE(composed.ok());
    EXPECT_GT(SkinGain(*composed), 1.15) << skin;
  }
}

class FailingMatte : public MatteSource {
 public:
  Result<cv::Mat> Matte(const cv::Mat&) const override {
    return MakeError(ErrorKind::kInternal, "internal.error", "inference failed");
  }
};

TEST(IdPhotoComposerTest, AMatteFailureIsAnErrorNotAPhoto) {
  const Drawn drawn = DrawnPortrait(170);
  auto composed = ComposeIdPhoto(drawn.image, drawn.face, Beijing(), FailingMatte());
  ASSERT_FALSE(composed.ok());
  EXPECT_EQ(composed.error().detail, "inference failed");
}

}  // namespace
}  // namespace examphoto::imaging
