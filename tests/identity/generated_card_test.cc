// The card path on ID cards drawn by the ID-card test generator (tools/idcard_generator):
// a real sample face printed into the 26 × 32 mm photo area of a specimen card, cut out
// again by the card layout at the resolution of a phone capture.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>

#include "card_renderer.h"
#include "idcard/card_layout.h"
#include "identity/face_comparer.h"
#include "identity_test_support.h"
#include "specimen_identity.h"

namespace examphoto::identity {
namespace {

namespace layout = card_layout;
using testing::Comparer;

struct Person {
  int sample;
  cv::Point2f centre;
};

// People whose faces the generator's Haar cascade finds once cropped to head and shoulders.
const Person kBlondeInSample3{3, {1156, 369}};
const Person kBlondeInSample1{1, {1553, 347}};
const Person kSample2Right{2, {1553, 302}};
const Person kSample6RedDress{6, {744, 497}};
const Person kSample5Front{5, {483, 1030}};

// The labelled face and its descriptor, found once per person.
struct FoundFace {
  imaging::FaceLandmarks landmarks;
  FaceDescriptor descriptor;
};

const FoundFace& FaceOf(const Person& person) {
  static std::map<int, FoundFace> found;
  auto it = found.find(person.sample * 100000 + static_cast<int>(person.centre.x));
  if (it != found.end()) return it->second;
  const cv::Mat photo = testing::SamplePhoto(person.sample);
  const auto faces = testing::WideDetector().Detect(photo);
  const auto* face = testing::FaceAt(faces, person.centre);
  if (face == nullptr) throw std::runtime_error("labelled face not found");
  return found
      .emplace(person.sample * 100000 + static_cast<int>(person.centre.x),
               FoundFace{*face, testing::Embedder().Embed(photo, *face)})
      .first->second;
}

FaceDescriptor PhotoDescriptor(const Person& person) { return FaceOf(person).descriptor; }

// A specimen card carrying `person`'s face, captured `card_width` pixels wide.
cv::Mat GeneratedCard(const Person& person, int card_width) {
  const cv::Mat photo = testing::SamplePhoto(person.sample);
  const cv::Rect2f box = FaceOf(person).landmarks.box;
  cv::Rect head(cvRound(box.x - box.width), cvRound(box.y - box.height), cvRound(box.width * 3),
                cvRound(box.height * 3.4));
  head &= cv::Rect(0, 0, photo.cols, photo.rows);
  const auto path = std::filesystem::temp_directory_path() /
                    ("identity_generated_card_face_" + std::to_string(getpid()) + ".png");
  cv::imwrite(path.string(), photo(head));

  auto renderer = examphoto::testing::CardRenderer::Create(
      "/usr/share/fonts/opentype/noto", {path.string()},
      "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml");
  std::mt19937 rng(20261125);
  const auto identity = examphoto::testing::MakeRandomIdentity(rng, CalendarDate{2026, 11, 25});
  const auto card = renderer->RenderPortraitSide(identity, rng);
  std::filesystem::remove(path);

  cv::Mat captured;
  const double scale = static_cast<double>(card_width) / card.image.cols;
  cv::resize(card.image, captured, cv::Size(), scale, scale, cv::INTER_AREA);
  return captured;
}

// The printed photo cut from that card by the card layout, as the ID-card reader does.
cv::Mat PortraitFromGeneratedCard(const Person& person, int card_width) {
  const cv::Mat captured = GeneratedCard(person, card_width);
  const double pixels_per_mm = captured.cols / layout::kWidthMm;
  const cv::Rect area(cvRound(layout::kPhoto.x * pixels_per_mm),
                      cvRound(layout::kPhoto.y * pixels_per_mm),
                      cvRound(layout::kPhoto.width * pixels_per_mm),
                      cvRound(layout::kPhoto.height * pixels_per_mm));
  return captured(area).clone();
}

// Card widths of a capture: 1000 px (a card filling a phone photo's width, ~12 px/mm) down to
// 428 px (5 px/mm, where the printed face is ~65 px wide).
class GeneratedCardTest : public ::testing::TestWithParam<int> {};

TEST_P(GeneratedCardTest, PortraitMatchesThePhotoItWasPrintedFrom) {
  for (const Person& person : {kBlondeInSample3, kSample2Right, kSample6RedDress, kSample5Front}) {
    auto card = Comparer().Describe(PortraitFromGeneratedCard(person, GetParam()),
                                    FaceSource::kCardPortrait);
    ASSERT_TRUE(card.ok()) << card.error().code << " sample" << person.sample;
    EXPECT_LT(FaceDistance(*card, PhotoDescriptor(person)), 0.45) << "sample" << person.sample;
  }
}

TEST_P(GeneratedCardTest, PortraitMatchesTheSamePersonInAnotherPhoto) {
  auto card = Comparer().Describe(PortraitFromGeneratedCard(kBlondeInSample3, GetParam()),
                                  FaceSource::kCardPortrait);
  ASSERT_TRUE(card.ok()) << card.error().code;
  EXPECT_LT(FaceDistance(*card, PhotoDescriptor(kBlondeInSample1)), 0.6);
}

TEST_P(GeneratedCardTest, PortraitDoesNotMatchOtherPeople) {
  const std::vector<Person> people = {kBlondeInSample3, kSample2Right, kSample6RedDress,
                                      kSample5Front};
  for (const Person& printed : people) {
    auto card = Comparer().Describe(PortraitFromGeneratedCard(printed, GetParam()),
                                    FaceSource::kCardPortrait);
    ASSERT_TRUE(card.ok()) << card.error().code;
    for (const Person& other : people) {
      if (other.sample == printed.sample) continue;
      EXPECT_GT(FaceDistance(*card, PhotoDescriptor(other)), 0.6)
          << "card of sample" << printed.sample << " vs sample" << other.sample;
    }
  }
}

TEST_P(GeneratedCardTest, FindsTheFaceOnTheWholeCard) {
  auto card =
      Comparer().Describe(GeneratedCard(kSample2Right, GetParam()), FaceSource::kCardPortrait);
  ASSERT_TRUE(card.ok()) << card.error().code;
  EXPECT_LT(FaceDistance(*card, PhotoDescriptor(kSample2Right)), 0.45);
}

INSTANTIATE_TEST_SUITE_P(CardWidths, GeneratedCardTest, ::testing::Values(1000, 642, 428));

}  // namespace
}  // namespace examphoto::identity
