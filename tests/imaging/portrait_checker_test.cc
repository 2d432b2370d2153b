#include "imaging/portrait_checker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "domain/messages.h"
#include "test_photos.h"

namespace examphoto::imaging {
namespace {

using namespace testing;

const PortraitChecker& Checker() { return SharedChecker(); }

const PhotoProfile& Beijing() { return PhotoProfiles::Builtin().Default(); }

// The woman with blonde hair in sample3, facing the camera, put before a plain wall.
const cv::Mat& GoodPortrait() {
  static const cv::Mat photo = PlainWallPortrait(3, {670, 480}, 700);
  return photo;
}

std::vector<std::string> Codes(const PortraitReport& report) {
  std::vector<std::string> codes;
  for (const auto& issue : report.issues) codes.push_back(issue.code);
  return codes;
}

PortraitReport CheckImage(const cv::Mat& photo, int quality = 92) {
  return Checker().Check(EncodeJpeg(photo, quality), Beijing());
}

bool Has(const PortraitReport& report, const std::string& code) {
  const auto codes = Codes(report);
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

std::string Describe(const PortraitReport& report) {
  std::string text;
  for (const auto& code : Codes(report)) text += code + " ";
  return text;
}

cv::Mat DecodeFinished(const PortraitReport& report) {
  std::vector<uint8_t> bytes(report.jpeg.begin(), report.jpeg.end());
  return cv::imdecode(bytes, cv::IMREAD_COLOR);
}

TEST(PortraitCheckerTest, AcceptsARealPortraitBeforeAPlainWall) {
  const PortraitReport report = CheckImage(GoodPortrait());
  EXPECT_TRUE(report.pass) << Describe(report);
  EXPECT_FALSE(report.unusable_input);
  EXPECT_FALSE(report.jpeg.empty());
  for (const auto& issue : report.issues) {
    EXPECT_FALSE(issue.message.empty());
    EXPECT_FALSE(issue.hint.empty());
  }
}

TEST(PortraitCheckerTest, FinishedPhotoMeetsTheProfileWhenMeasuredAgain) {
  const PortraitReport report = CheckImage(GoodPortrait());
  ASSERT_FALSE(report.jpeg.empty());
  const PhotoProfile& profile = Beijing();
  EXPECT_TRUE(report.jpeg_within_size_range);
  EXPECT_GE(report.jpeg.size(), profile.file_kb.min * 1024u);
  EXPECT_LE(report.jpeg.size(), profile.file_kb.max * 1024u);
  EXPECT_GE(report.jpeg_quality, profile.jpeg_min_quality);
  // JFIF density: units 1 (dpi), 300 × 300.
  EXPECT_EQ(static_cast<uint8_t>(report.jpeg[13]), 1);
  EXPECT_EQ((static_cast<uint8_t>(report.jpeg[14]) << 8) | static_cast<uint8_t>(report.jpeg[15]),
            profile.dpi);

  const cv::Mat finished = DecodeFinished(report);
  ASSERT_EQ(finished.size(), cv::Size(profile.width, profile.height));
  auto faces = Checker().detector().Detect(finished);
  ASSERT_EQ(faces.size(), 1u);
  const FaceGeometry geometry = MeasureFace(faces[0], finished.size());
  EXPECT_TRUE(profile.eye_line_px.Contains(geometry.eye_centre.y)) << geometry.eye_centre.y;
  EXPECT_TRUE(profile.face_width_px.Contains(geometry.face_width)) << geometry.face_width;
  EXPECT_NEAR(geometry.eye_centre.x, profile.width / 2.0, 0.06 * profile.width);
  EXPECT_LT(std::abs(geometry.pose.roll), 3.0);

  // Head top: the first row, above the eyes, where the centre columns stop being the
  // profile's background colour.
  const auto& rgb = profile.background_rgb;
  const cv::Vec3b background(rgb[2], rgb[1], rgb[0]);
  int head_top = -1;
  for (int y = 0; y < geometry.eye_centre.y && head_top < 0; ++y) {
    int person = 0;
    for (int x = profile.width / 2 - 40; x < profile.width / 2 + 40; ++x) {
      const cv::Vec3b pixel = finished.at<cv::Vec3b>(y, x);
      person += cv::norm(cv::Vec3i(pixel) - cv::Vec3i(background)) > 60;
    }
    if (person > 8) head_top = y;
  }
  EXPECT_TRUE(profile.head_top_px.Contains(head_top)) << head_top;
  // The wall is gone: the top corners are the profile's colour.
  for (cv::Point corner : {cv::Point(5, 5), cv::Point(profile.width - 6, 5)}) {
    EXPECT_LT(cv::norm(cv::Vec3i(finished.at<cv::Vec3b>(corner)) - cv::Vec3i(background)), 12);
  }
}

TEST(PortraitCheckerTest, MakesEveryProfileSize) {
  for (const auto& name : PhotoProfiles::Builtin().Names()) {
    const PhotoProfile& profile = *PhotoProfiles::Builtin().Find(name);
    const PortraitReport report = Checker().Check(EncodeJpeg(GoodPortrait()), profile);
    ASSERT_FALSE(report.jpeg.empty()) << name;
    const cv::Mat finished = DecodeFinished(report);
    EXPECT_EQ(finished.size(), cv::Size(profile.width, profile.height)) << name;
    EXPECT_TRUE(report.jpeg_within_size_range) << name << " " << report.jpeg.size();
  }
}

struct HardCase {
  const char* name;
  cv::Mat (*make)(const cv::Mat&);
  const char* expected_code;
};

class HardCaseTest : public ::testing::TestWithParam<HardCase> {};

TEST_P(HardCaseTest, RejectsWithTheExpectedReason) {
  const HardCase& hard = GetParam();
  const PortraitReport report = CheckImage(hard.make(GoodPortrait()));
  EXPECT_FALSE(report.pass);
  EXPECT_TRUE(Has(report, hard.expected_code)) << hard.name << ": " << Describe(report);
  EXPECT_TRUE(HasMessage(hard.expected_code));
}

INSTANTIATE_TEST_SUITE_P(
    GeneratedFromARealPhoto, HardCaseTest,
    ::testing::Values(
        HardCase{"dark", [](const cv::Mat& p) { return Darken(p, 0.3); }, "photo.too_dark"},
        HardCase{"overexposed", [](const cv::Mat& p) { return Overexpose(p); },
                 "photo.overexposed"},
        HardCase{"blurred", [](const cv::Mat& p) { return Blur(p, 7); }, "photo.blurred"},
        HardCase{"tilted", [](const cv::Mat& p) { return Rotate(p, 18); }, "photo.head_tilted"},
        HardCase{"off_centre", [](const cv::Mat& p) { return ShiftSideways(p, 0.35); },
                 "photo.face_not_centred"},
        HardCase{"too_far", [](const cv::Mat& p) { return ShrinkOnWall(p, 0.3); },
                 "photo.face_too_small"},
        HardCase{"too_close", [](const cv::Mat& p) { return CropAroundCentre(p, 0.5); },
                 "photo.face_too_large"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(PortraitCheckerTest, RejectsSideLightFromEitherSideAndOnlyForIt) {
  const cv::Mat& photo = GoodPortrait();
  const auto faces = Checker().detector().Detect(photo);
  ASSERT_EQ(faces.size(), 1u);
  const double sharpness = CheckImage(photo).measurements.sharpness;
  for (const bool from_right : {true, false}) {
    const PortraitReport report = CheckImage(SideLight(photo, faces[0], 0.3, from_right));
    const std::string side = from_right ? "from the right: " : "from the left: ";
    EXPECT_TRUE(Has(report, "photo.uneven_light")) << side << Describe(report);
    // The shadow adds no detail and takes none away: the face is as sharp as before.
    EXPECT_FALSE(Has(report, "photo.blurred")) << side << Describe(report);
    EXPECT_GT(report.measurements.sharpness, 0.7 * sharpness) << side;
  }
}

TEST(PortraitCheckerTest, RejectsASecondFacePastedIn) {
  const cv::Mat& photo = GoodPortrait();
  auto faces = Checker().detector().Detect(photo);
  ASSERT_EQ(faces.size(), 1u);
  const PortraitReport report = CheckImage(PasteSecondFace(photo, cv::Rect(faces[0].box), 0.7));
  EXPECT_TRUE(Has(report, "photo.multiple_faces")) << Describe(report);
}

TEST(PortraitCheckerTest, RejectsHeavilyRecompressedJpeg) {
  const PortraitReport report = CheckImage(GoodPortrait(), 8);
  EXPECT_TRUE(Has(report, "photo.low_quality")) << Describe(report);
}

TEST(PortraitCheckerTest, RejectsPhotoNamingEditingSoftware) {
  const PortraitReport report =
      Checker().Check(WithExif(EncodeJpeg(GoodPortrait()), 1, "Meitu 美图秀秀 9.9"), Beijing());
  EXPECT_TRUE(Has(report, "photo.edited")) << Describe(report);
}

TEST(PortraitCheckerTest, RejectsTooSmallUploadAsLowResolution) {
  cv::Mat small;
  cv::resize(GoodPortrait(), small, cv::Size(), 0.3, 0.3, cv::INTER_AREA);
  const PortraitReport report = CheckImage(small);
  EXPECT_TRUE(Has(report, "photo.resolution_too_low")) << Describe(report);
}

TEST(PortraitCheckerTest, ScoresAPhotoOfAScreenAboveRealPhotos) {
  const PortraitReport screen = CheckImage(ShowOnScreen(GoodPortrait()));
  const PortraitReport real = CheckImage(GoodPortrait());
  EXPECT_GT(screen.measurements.screen_moire_score, 2 * real.measurements.screen_moire_score);
  EXPECT_FALSE(Has(real, "photo.recaptured"));
  EXPECT_TRUE(Has(screen, "photo.recaptured")) << Describe(screen);
}

TEST(PortraitCheckerTest, AcceptsAPngNamedJpg) {
  // Real uploads often carry the wrong extension; only the bytes count.
  const PortraitReport report = Checker().Check(EncodePng(GoodPortrait()), Beijing());
  EXPECT_EQ(report.format, "png");
  EXPECT_TRUE(report.pass) << Describe(report);
}

TEST(PortraitCheckerTest, AcceptsAHeicPortrait) {
  const PortraitReport report = Checker().Check(EncodeHeif(GoodPortrait(), 85), Beijing());
  EXPECT_EQ(report.format, "heif");
  EXPECT_TRUE(report.pass) << Describe(report);
}

TEST(PortraitCheckerTest, ReportsUnusableInputWithItsCode) {
  std::vector<uint8_t> truncated = EncodeJpeg(GoodPortrait());
  truncated.resize(truncated.size() / 2);
  const std::string text = "not a photo at all";
  const std::vector<uint8_t> not_image(text.begin(), text.end());
  for (const auto& [bytes, code] : std::vector<std::pair<std::vector<uint8_t>, std::string>>{
           {truncated, "image.truncated"}, {not_image, "image.not_an_image"}}) {
    const PortraitReport report = Checker().Check(bytes, Beijing());
    EXPECT_TRUE(report.unusable_input);
    EXPECT_FALSE(report.pass);
    ASSERT_EQ(report.issues.size(), 1u);
    EXPECT_EQ(report.issues[0].code, code);
    EXPECT_TRUE(report.jpeg.empty());
  }
}

TEST(PortraitCheckerTest, RejectsAPlainWallWithNoFace) {
  const cv::Mat wall(960, 720, CV_8UC3, kWallBgr);
  const PortraitReport report = CheckImage(wall);
  EXPECT_FALSE(report.unusable_input);
  EXPECT_EQ(Codes(report), std::vector<std::string>{"photo.no_face"});
}

// The real sample photos are party snapshots, not ID portraits: each crop fails for the
// reasons it really has, which is what these tests pin down.
TEST(PortraitCheckerTest, RealGroupPhotoIsRejectedForItsOtherFaces) {
  const PortraitReport report = Checker().Check(SampleBytes(3), Beijing());
  EXPECT_TRUE(Has(report, "photo.multiple_faces")) << Describe(report);
}

TEST(PortraitCheckerTest, AcceptsTheSamePortraitBeforeABusyBackground) {
  // Shelves and posters behind the candidate: the matte takes them away.
  const PortraitReport report = CheckImage(BusyBackground(GoodPortrait()));
  EXPECT_TRUE(report.pass) << Describe(report);
  const cv::Mat finished = DecodeFinished(report);
  const auto& rgb = Beijing().background_rgb;
  const cv::Vec3b background(rgb[2], rgb[1], rgb[0]);
  for (cv::Point corner : {cv::Point(5, 5), cv::Point(474, 5), cv::Point(5, 250)}) {
    EXPECT_LT(cv::norm(cv::Vec3i(finished.at<cv::Vec3b>(corner)) - cv::Vec3i(background)), 12)
        << corner;
  }
}

TEST(PortraitCheckerTest, FillsTheFrameAboveTheHairInsteadOfRejecting) {
  // The photo starts a little above the hair: the frame's headroom is painted, not refused.
  const cv::Mat& photo = GoodPortrait();
  auto faces = Checker().detector().Detect(photo);
  ASSERT_EQ(faces.size(), 1u);
  const FaceGeometry g = MeasureFace(faces[0], photo.size());
  const int top = std::max(0, cvRound(g.eye_centre.y - 1.25 * g.face_width));
  const PortraitReport report =
      CheckImage(photo(cv::Rect(0, top, photo.cols, photo.rows - top)).clone());
  EXPECT_FALSE(Has(report, "photo.out_of_frame")) << Describe(report);
  EXPECT_TRUE(report.pass) << Describe(report);
}

TEST(PortraitCheckerTest, RejectsAHeadCutByThePhotosEdge) {
  const cv::Mat& photo = GoodPortrait();
  auto faces = Checker().detector().Detect(photo);
  ASSERT_EQ(faces.size(), 1u);
  const FaceGeometry g = MeasureFace(faces[0], photo.size());
  const int top = cvRound(g.eye_centre.y - 0.5 * g.face_width);  // through the forehead's hair
  const PortraitReport report =
      CheckImage(photo(cv::Rect(0, top, photo.cols, photo.rows - top)).clone());
  EXPECT_TRUE(Has(report, "photo.out_of_frame")) << Describe(report);
}

TEST(PortraitCheckerTest, AFarAwayCandidateHearsTooFarNotNoFace) {
  // A 12-MP-like frame with the candidate small in it (face ≈ 9 % of the width).
  cv::Mat canvas(1920, 1440, CV_8UC3, kWallBgr);
  cv::Mat small;
  cv::resize(GoodPortrait(), small, cv::Size(), 0.42, 0.42, cv::INTER_AREA);
  small.copyTo(canvas(
      cv::Rect((canvas.cols - small.cols) / 2, canvas.rows - small.rows, small.cols, small.rows)));
  const PortraitReport report = CheckImage(canvas);
  EXPECT_TRUE(report.face_found);
  EXPECT_TRUE(Has(report, "photo.face_too_small")) << Describe(report);
  EXPECT_FALSE(Has(report, "photo.no_face"));
}

TEST(PortraitCheckerTest, ResolutionAdviceNamesTheFacesPixels) {
  cv::Mat small;
  cv::resize(GoodPortrait(), small, cv::Size(), 0.3, 0.3, cv::INTER_AREA);
  const PortraitReport report = CheckImage(small);
  ASSERT_TRUE(Has(report, "photo.resolution_too_low")) << Describe(report);
  for (const auto& issue : report.issues) {
    if (issue.code != "photo.resolution_too_low") continue;
    EXPECT_EQ(issue.message.find('{'), std::string::npos) << issue.message;
    EXPECT_NE(issue.message.find(std::to_string(cvRound(report.measurements.source_face_px))),
              std::string::npos)
        << issue.message;
  }
}

TEST(PortraitCheckerTest, RealCropOfAPartyIsNotRejectedForItsBackground) {
  const PortraitReport report = CheckImage(PortraitCrop(3, {1600, 460}, 700));
  EXPECT_FALSE(Has(report, "photo.background_not_separable")) << Describe(report);
}

TEST(PortraitCheckerTest, RealTurnedHeadIsRejected) {
  // sample1, the woman on the left, looks over her shoulder at the camera (yaw ≈ 22°).
  const PortraitReport report = CheckImage(PlainWallPortrait(1, {485, 480}, 700));
  EXPECT_TRUE(Has(report, "photo.head_turned")) << Describe(report);
  EXPECT_GT(std::abs(report.measurements.pose.yaw), Beijing().checks.max_yaw_degrees);
}

TEST(PortraitCheckerTest, RealLoweredHeadIsRejected) {
  // sample6, second from the right, looks down into the camera (pitch about −21°).
  const PortraitReport report = CheckImage(PortraitCrop(6, {1281, 485}, 420));
  EXPECT_TRUE(Has(report, "photo.head_lowered")) << Describe(report);
  EXPECT_LT(report.measurements.pose.pitch, -Beijing().checks.max_pitch_degrees);
}

// The head pose comes from the face mesh, fitted on a crop it places itself: where the
// detector's box falls (which the background and the crop move) must not change it.
TEST(PortraitCheckerTest, PoseReadsTheSameOnEveryBackgroundAndCrop) {
  const std::vector<cv::Mat> photos = {GoodPortrait(), BusyBackground(GoodPortrait()),
                                       PortraitCrop(3, {670, 480}, 700),
                                       PortraitCrop(3, {640, 520}, 900)};
  std::vector<HeadPose> poses;
  for (const cv::Mat& photo : photos) {
    const PortraitReport report = CheckImage(photo);
    ASSERT_TRUE(report.face_found);
    EXPECT_GT(report.measurements.mesh_presence, 0.5);
    poses.push_back(report.measurements.pose);
  }
  for (const HeadPose& pose : poses) {
    EXPECT_NEAR(pose.yaw, poses[0].yaw, 3);
    EXPECT_NEAR(pose.pitch, poses[0].pitch, 3);
    EXPECT_NEAR(pose.roll, poses[0].roll, 3);
    EXPECT_LT(std::abs(pose.pitch), Beijing().checks.max_pitch_degrees);
  }
}

TEST(PortraitCheckerTest, AMirroredFaceReadsTheOppositeTurn) {
  // sample3's blonde woman turns a little to one side; her mirror image to the other.
  cv::Mat mirrored;
  cv::flip(GoodPortrait(), mirrored, 1);
  const HeadPose pose = CheckImage(GoodPortrait()).measurements.pose;
  const HeadPose opposite = CheckImage(mirrored).measurements.pose;
  EXPECT_GT(std::abs(pose.yaw), 8);
  EXPECT_NEAR(pose.yaw, -opposite.yaw, 5);
  EXPECT_NEAR(pose.roll, -opposite.roll, 3);
  EXPECT_NEAR(pose.pitch, opposite.pitch, 3);
}

TEST(PortraitCheckerTest, RealTurnedFacesReadTurnedToTheirSide) {
  // sample5's laughing woman turns her face to the image's right, sample4's woman in the
  // patterned top to its left.
  const PortraitReport right = CheckImage(PortraitCrop(5, {713, 560}, 420));
  const PortraitReport left = CheckImage(PortraitCrop(4, {1052, 324}, 420));
  EXPECT_GT(right.measurements.pose.yaw, Beijing().checks.max_yaw_degrees);
  EXPECT_LT(left.measurements.pose.yaw, -Beijing().checks.max_yaw_degrees);
  EXPECT_TRUE(Has(right, "photo.head_turned")) << Describe(right);
  EXPECT_TRUE(Has(left, "photo.head_turned")) << Describe(left);
}

TEST(PortraitCheckerTest, RealOpenMouthIsRejected) {
  // sample5, the woman in the middle, laughs with her mouth open.
  const PortraitReport report = CheckImage(PortraitCrop(5, {713, 560}, 420));
  EXPECT_TRUE(Has(report, "photo.mouth_open")) << Describe(report);
}

TEST(PortraitCheckerTest, ReportSerialisesToJsonWithIssuesAndTimings) {
  const std::string json = PortraitReportToJson(CheckImage(Darken(GoodPortrait(), 0.3)));
  EXPECT_NE(json.find("\"pass\":false"), std::string::npos);
  EXPECT_NE(json.find("photo.too_dark"), std::string::npos);
  EXPECT_NE(json.find("\"timings_ms\""), std::string::npos);
  EXPECT_NE(json.find("\"decode\""), std::string::npos);
}

TEST(PortraitCheckerTest, CheckIsSafeFromSeveralThreads) {
  const std::vector<uint8_t> bytes = EncodeJpeg(GoodPortrait());
  const PortraitReport single = Checker().Check(bytes, Beijing());
  std::vector<std::string> verdicts(3);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&, i] { verdicts[i] = Describe(Checker().Check(bytes, Beijing())); });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& verdict : verdicts) EXPECT_EQ(verdict, Describe(single));
}

}  // namespace
}  // namespace examphoto::imaging
