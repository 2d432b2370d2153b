#include "imaging/photo_profile.h"

#include <gtest/gtest.h>

namespace examphoto::imaging {
namespace {

TEST(PhotoProfileTest, BuiltinProfilesFollowTheProductTable) {
  const auto& profiles = PhotoProfiles::Builtin();
  EXPECT_EQ(profiles.Default().name, "bj-zikao");
  const PhotoProfile& beijing = profiles.Default();
  EXPECT_EQ(beijing.width, 480);
  EXPECT_EQ(beijing.height, 640);
  EXPECT_EQ(beijing.dpi, 300);
  EXPECT_EQ(beijing.background_rgb, (std::array<uint8_t, 3>{100, 197, 255}));
  EXPECT_EQ(beijing.head_top_px.min, 50);
  EXPECT_EQ(beijing.head_top_px.max, 110);
  EXPECT_EQ(beijing.eye_line_px.min, 200);
  EXPECT_EQ(beijing.eye_line_px.max, 300);
  EXPECT_EQ(beijing.face_width_px.min, 180);
  EXPECT_EQ(beijing.face_width_px.max, 300);
  EXPECT_EQ(beijing.file_kb.min, 20);
  EXPECT_EQ(beijing.file_kb.max, 200);
  EXPECT_GE(beijing.jpeg_min_quality, 60);
  for (const char* name : {"zikao-360x480", "resident-id", "cet", "ncre", "teacher"}) {
    EXPECT_NE(profiles.Find(name), nullptr) << name;
  }
  EXPECT_EQ(profiles.Find("resident-id")->width, 358);
  EXPECT_EQ(profiles.Find("resident-id")->background_rgb, (std::array<uint8_t, 3>{255, 255, 255}));
  EXPECT_FALSE(beijing.checks.editing_software.empty());
}

TEST(PhotoProfileTest, ProfileOverridesOnlyTheThresholdsItNames) {
  auto parsed = PhotoProfiles::Parse(R"({
    "default": "strict",
    "check_defaults": {"max_yaw_degrees": 12, "min_sharpness": 40},
    "profiles": {"strict": {"title": "t", "width": 300, "height": 400, "dpi": 300,
      "background_rgb": [255, 255, 255], "head_top_px": [20, 60], "eye_line_px": [120, 180],
      "face_width_px": [100, 200], "target_head_top_px": 40, "target_eye_line_px": 150,
      "jpeg_min_quality": 70, "file_kb": [10, 50], "checks": {"max_yaw_degrees": 8}}}})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_DOUBLE_EQ(parsed->Default().checks.max_yaw_degrees, 8);
  EXPECT_DOUBLE_EQ(parsed->Default().checks.min_sharpness, 40);
}

TEST(PhotoProfileTest, RejectsMisspelledThresholdAndMissingDefault) {
  auto misspelled = PhotoProfiles::Parse(
      R"({"default": "x", "check_defaults": {"max_yaw_degree": 12}, "profiles": {}})");
  ASSERT_FALSE(misspelled.ok());
  EXPECT_EQ(misspelled.error().code, "photo.profile_invalid");
  EXPECT_NE(misspelled.error().detail.find("max_yaw_degree"), std::string::npos);
  EXPECT_FALSE(PhotoProfiles::Parse(R"({"default": "x", "profiles": {}})").ok());
  EXPECT_FALSE(PhotoProfiles::Parse("not json").ok());
}

TEST(PhotoProfileTest, LoadsAProfileFileFromDisk) {
  auto loaded = PhotoProfiles::LoadFile(EXAMPHOTO_PROFILES_FILE);
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(loaded->Names().size(), PhotoProfiles::Builtin().Names().size());
}

}  // namespace
}  // namespace examphoto::imaging
