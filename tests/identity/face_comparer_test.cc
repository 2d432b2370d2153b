#include "identity/face_comparer.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "domain/messages.h"
#include "identity_test_support.h"

namespace examphoto::identity {
namespace {

using testing::Comparer;
using testing::SamplePhoto;

// The woman in the uniform: right in sample1, middle in sample3.
const cv::Point2f kBlondeInSample1{1553, 347};
const cv::Point2f kBlondeInSample3{1156, 369};

cv::Rect2f FaceBox(const cv::Mat& photo, cv::Point2f centre) {
  const auto faces = testing::WideDetector().Detect(photo);
  const auto* face = testing::FaceAt(faces, centre);
  if (face == nullptr) throw std::runtime_error("labelled face not found");
  return face->box;
}

// A head-and-shoulders crop like an accepted ID photo.
cv::Mat IdPhoto(const cv::Mat& photo, cv::Point2f centre) {
  const cv::Rect2f box = FaceBox(photo, centre);
  cv::Rect frame(cvRound(box.x - box.width * 0.6), cvRound(box.y - box.height * 0.8),
                 cvRound(box.width * 2.2), cvRound(box.height * 2.9));
  return photo(frame & cv::Rect(0, 0, photo.cols, photo.rows)).clone();
}

TEST(FaceComparerTest, JudgesSamePersonInTwoPhotos) {
  auto result = Comparer().Compare(IdPhoto(SamplePhoto(1), kBlondeInSample1), FaceSource::kPhoto,
                                   IdPhoto(SamplePhoto(3), kBlondeInSample3), FaceSource::kPhoto);
  ASSERT_TRUE(result.ok()) << result.error().code;
  EXPECT_TRUE(result->same_person);
  EXPECT_LT(result->distance, 0.6);
  EXPECT_EQ(result->threshold, 0.6);
}

TEST(FaceComparerTest, JudgesDifferentPeopleApart) {
  auto result = Comparer().Compare(SamplePhoto(2), FaceSource::kPhoto,
                                   IdPhoto(SamplePhoto(3), kBlondeInSample3), FaceSource::kPhoto);
  ASSERT_TRUE(result.ok()) << result.error().code;
  EXPECT_FALSE(result->same_person);
  EXPECT_GT(result->distance, 0.6);
}

TEST(FaceComparerTest, ThresholdIsASetting) {
  auto strict =
      FaceComparer::Load({EXAMPHOTO_FACE_MODEL_DIR, EXAMPHOTO_SHAPE_PREDICTOR}, {.threshold = 0.3});
  ASSERT_TRUE(strict.ok());
  const cv::Mat first = IdPhoto(SamplePhoto(1), kBlondeInSample1);
  const cv::Mat second = IdPhoto(SamplePhoto(3), kBlondeInSample3);
  auto lenient = Comparer().Compare(first, FaceSource::kPhoto, second, FaceSource::kPhoto);
  auto judged = strict->Compare(first, FaceSource::kPhoto, second, FaceSource::kPhoto);
  ASSERT_TRUE(lenient.ok() && judged.ok());
  EXPECT_DOUBLE_EQ(judged->distance, lenient->distance);
  EXPECT_EQ(judged->threshold, 0.3);
  EXPECT_FALSE(judged->same_person);
}

TEST(FaceComparerTest, ReportsWhichImageHasNoFace) {
  const cv::Mat wall(600, 450, CV_8UC3, cv::Scalar(200, 200, 200));
  auto first = Comparer().Compare(wall, FaceSource::kPhoto, SamplePhoto(2), FaceSource::kPhoto);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code, "face.not_found_in_first");
  auto second =
      Comparer().Compare(SamplePhoto(2), FaceSource::kPhoto, wall, FaceSource::kCardPortrait);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, "face.not_found_in_second");
  auto card = Comparer().Describe(wall, FaceSource::kCardPortrait);
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.error().code, "face.not_found_on_card");
}

TEST(FaceComparerTest, ReportsUnreadableFiles) {
  auto missing = Comparer().CompareFiles("/nonexistent.jpg", FaceSource::kPhoto,
                                         testing::SamplePath(2), FaceSource::kPhoto);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "face.unreadable_first");
  auto not_image = Comparer().CompareFiles(testing::SamplePath(2), FaceSource::kPhoto,
                                           EXAMPHOTO_FACE_MODEL_DIR "/face_recognition_model.bin",
                                           FaceSource::kPhoto);
  ASSERT_FALSE(not_image.ok());
  EXPECT_EQ(not_image.error().code, "face.unreadable_second");
}

TEST(FaceComparerTest, ComparesFilesOnDisk) {
  auto same = Comparer().CompareFiles(testing::SamplePath(5), FaceSource::kPhoto,
                                      testing::SamplePath(5), FaceSource::kPhoto);
  ASSERT_TRUE(same.ok()) << same.error().code;
  EXPECT_TRUE(same->same_person);
  EXPECT_LT(same->distance, 1e-6);
}

TEST(FaceComparerTest, EveryIdentityErrorHasACatalogueText) {
  for (const char* code :
       {"face.model_missing", "face.model_invalid", "face.unreadable", "face.unreadable_first",
        "face.unreadable_second", "face.not_found_in_first", "face.not_found_in_second",
        "face.not_found_in_photo", "face.not_found_on_card", "face.not_same_person"}) {
    EXPECT_TRUE(HasMessage(code)) << code;
  }
}

// The printed portrait on an ID card, from 4 px/mm (a card 340 px wide in a far-off photo)
// to 10 px/mm (a card filling a phone photo's width).
class CardPortraitTest : public ::testing::TestWithParam<double> {};

TEST_P(CardPortraitTest, MatchesTheSamePersonsPhoto) {
  const cv::Mat sample3 = SamplePhoto(3);
  const cv::Mat card =
      testing::SimulatedCardPortrait(sample3, FaceBox(sample3, kBlondeInSample3), GetParam());
  auto result = Comparer().Compare(IdPhoto(SamplePhoto(1), kBlondeInSample1), FaceSource::kPhoto,
                                   card, FaceSource::kCardPortrait);
  ASSERT_TRUE(result.ok()) << result.error().code;
  EXPECT_TRUE(result->same_person) << result->distance;
}

TEST_P(CardPortraitTest, StaysCloseToThePhotoItWasPrintedFrom) {
  const cv::Mat sample2 = SamplePhoto(2);
  const cv::Rect2f box = testing::Comparer().detector().Detect(sample2).front().box;
  const cv::Mat card = testing::SimulatedCardPortrait(sample2, box, GetParam());
  auto result = Comparer().Compare(sample2, FaceSource::kPhoto, card, FaceSource::kCardPortrait);
  ASSERT_TRUE(result.ok()) << result.error().code;
  EXPECT_LT(result->distance, 0.4);
}

TEST_P(CardPortraitTest, DoesNotMatchSomeoneElse) {
  const cv::Mat sample3 = SamplePhoto(3);
  const cv::Mat card =
      testing::SimulatedCardPortrait(sample3, FaceBox(sample3, kBlondeInSample3), GetParam());
  for (int other : {2, 5, 6}) {
    auto result =
        Comparer().Compare(SamplePhoto(other), FaceSource::kPhoto, card, FaceSource::kCardPortrait);
    ASSERT_TRUE(result.ok()) << result.error().code;
    EXPECT_FALSE(result->same_person) << "sample" << other << " " << result->distance;
  }
}

INSTANTIATE_TEST_SUITE_P(PixelsPerMillimetre, CardPortraitTest, ::testing::Values(4.0, 6.0, 10.0));

}  // namespace
}  // namespace examphoto::identity
