// CTC alignment of an expected string against recogniser frames, on hand-made posteriors.
#include "idcard/ctc_alignment.h"

#include <gtest/gtest.h>

namespace examphoto {
namespace {

// Frames that show `classes` one after another (0 = blank), each with probability `p`, the
// rest spread over the other listed classes.
std::vector<FramePosteriors> Frames(const std::vector<int>& classes, float p = 0.98f) {
  std::vector<FramePosteriors> frames;
  for (int c : classes) {
    FramePosteriors f;
    f.top.emplace_back(c, p);
    for (int other = 0; other < 5; ++other) {
      if (other != c) f.top.emplace_back(other, (1 - p) / 5);
    }
    f.rest = (1 - p) / 5;
    frames.push_back(f);
  }
  return frames;
}

TEST(CtcAlignment, ExpectedStringThatWasReadCostsNothing) {
  const auto frames = Frames({0, 1, 1, 0, 2, 0, 3, 0});
  const std::vector<int> labels = {1, 2, 3};
  const CtcAlignment a = AlignLabels(frames, 0, 8, labels);
  ASSERT_TRUE(a.possible);
  EXPECT_NEAR(a.Deficit(), 0.0, 1e-6);
  EXPECT_EQ(a.frames, (std::vector<int>{1, 4, 6}));
}

TEST(CtcAlignment, ADifferentCharacterCostsItsLogOdds) {
  const auto frames = Frames({0, 1, 0, 2, 0});
  const std::vector<int> labels = {1, 3};  // 3 where the line clearly shows 2
  const CtcAlignment a = AlignLabels(frames, 0, 5, labels);
  ASSERT_TRUE(a.possible);
  EXPECT_NEAR(a.Deficit(), std::log(0.98 / 0.004), 0.05);
}

TEST(CtcAlignment, RepeatedCharactersNeedABlankBetweenThem) {
  const std::vector<int> labels = {1, 1};
  // 1 1 without a blank decodes to a single 1: the pair must pay for a blank.
  const CtcAlignment joined = AlignLabels(Frames({1, 1}), 0, 2, labels);
  EXPECT_FALSE(joined.possible);
  const CtcAlignment apart = AlignLabels(Frames({1, 0, 1}), 0, 3, labels);
  ASSERT_TRUE(apart.possible);
  EXPECT_NEAR(apart.Deficit(), 0.0, 1e-6);
}

TEST(CtcAlignment, AnUnknownCharacterAsAnyCharacterFitsWhateverWasRead) {
  const auto frames = Frames({0, 1, 0, 4, 0});
  const std::vector<int> labels = {1, kAnyCharacter};
  const CtcAlignment a = AlignLabels(frames, 0, 5, labels, UnknownCharacterScore::kAnyCharacter);
  ASSERT_TRUE(a.possible);
  EXPECT_EQ(a.unknown_characters, 1);
  EXPECT_NEAR(a.Deficit(), 0.0, 1e-6);
}

TEST(CtcAlignment, AnUnknownCharacterFitsOnlyWhereTheRecogniserIsUnsure) {
  const std::vector<int> labels = {1, kAnyCharacter};
  // Class 4 read with 0.98: an unknown character does not stand there.
  const auto confident = Frames({0, 1, 0, 4, 0});
  EXPECT_GT(AlignLabels(confident, 0, 5, labels).Deficit(), 4.0);
  // Class 4 read with 0.4, the rest spread over look-alikes: it may.
  auto doubtful = confident;
  doubtful[3] = FramePosteriors{{{4, 0.4f}, {2, 0.25f}, {3, 0.2f}, {0, 0.05f}}, 0.1f};
  EXPECT_LT(AlignLabels(doubtful, 0, 5, labels).Deficit(), 1.0);
  // It never fits a blank: an extra unknown character costs as much as an extra known one.
  const auto blank = Frames({0, 1, 0, 0, 0});
  EXPECT_GT(AlignLabels(blank, 0, 5, labels).Deficit(), 4.0);
}

TEST(CtcAlignment, AMissingCharacterCostsTheFramesThatShowIt) {
  const auto frames = Frames({0, 1, 0, 2, 0, 3, 0});
  const std::vector<int> labels = {1, 3};  // 2 read, not expected
  const CtcAlignment a = AlignLabels(frames, 0, 7, labels);
  ASSERT_TRUE(a.possible);
  EXPECT_GT(a.Deficit(), 4.0);
}

TEST(CtcAlignment, ScoresOnlyTheGivenFrameRange) {
  const auto frames = Frames({5, 0, 1, 0, 2, 0});
  const std::vector<int> labels = {1, 2};
  EXPECT_NEAR(AlignLabels(frames, 1, 6, labels).Deficit(), 0.0, 1e-6);
  EXPECT_GT(AlignLabels(frames, 0, 6, labels).Deficit(), 4.0);
}

TEST(CtcAlignment, ClassesOutsideTheKeptListGetAtMostTheSmallestKept) {
  FramePosteriors frame;
  frame.top = {{3, 0.9f}, {0, 0.05f}, {7, 0.02f}};
  frame.rest = 0.03f;
  EXPECT_FLOAT_EQ(FrameProbability(frame, 3), 0.9f);
  EXPECT_FLOAT_EQ(FrameProbability(frame, 8), 0.02f);
}

TEST(CtcAlignment, LabelsDropSpacesAndMarkUnknownCharacters) {
  const CharacterSet characters = CharacterSet::FromKeys({"王", "五", "1", "X"});
  EXPECT_EQ(LabelsOf("王 五", characters), (std::vector<int>{1, 2}));
  EXPECT_EQ(LabelsOf("王翀", characters), (std::vector<int>{1, kAnyCharacter}));
  EXPECT_EQ(characters.ClassOf("X"), 4);
  EXPECT_EQ(characters.Symbol(5), " ");
  EXPECT_EQ(characters.class_count(), 6);
}

}  // namespace
}  // namespace examphoto
