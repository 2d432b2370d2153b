// The glyph classifier on characters drawn in the test-card generator's typeface (Noto Sans
// CJK SC, at the size a rectified card prints them), which its templates (WenQuanYi) do not
// share: rare name characters Tesseract's chi_sim cannot produce, 麓, the 56 ethnic groups,
// and images that are not characters at all.
#include "idcard/glyph_classifier.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <opencv2/freetype.hpp>
#include <opencv2/imgproc.hpp>

#include "idcard/ethnic_groups.h"

namespace examphoto {
namespace {

// 3.1 mm at the reader's 12 px/mm.
constexpr int kEm = 37;

class GlyphClassifierTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = GlyphClassifier::Load({.cache_dir = EXAMPHOTO_TEST_CACHE_DIR});
    ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
    classifier_ = loaded.value().release();
    font_ = new cv::Ptr<cv::freetype::FreeType2>(cv::freetype::createFreeType2());
    (*font_)->loadFontData("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2);
  }
  static void TearDownTestSuite() {
    delete classifier_;
    delete font_;
  }

  // Dark text on a light card, a little blurred and noisy like a rectified capture.
  static cv::Mat Draw(const std::string& text, double blur_sigma = 0.8) {
    const int characters = static_cast<int>(text.size() / 3);
    cv::Mat colour(kEm * 2, kEm * (characters + 1), CV_8UC3, cv::Scalar(232, 232, 232));
    (*font_)->putText(colour, text, {kEm / 2, kEm / 2}, kEm, cv::Scalar(35, 35, 35), -1,
                      cv::LINE_AA, false);
    cv::Mat image;
    cv::cvtColor(colour, image, cv::COLOR_BGR2GRAY);
    cv::GaussianBlur(image, image, {0, 0}, blur_sigma);
    cv::Mat noise(image.size(), CV_8SC1);
    cv::randn(noise, 0, 4);
    cv::add(image, noise, image, cv::noArray(), CV_8U);
    return image;
  }

  static GlyphClassifier* classifier_;
  static cv::Ptr<cv::freetype::FreeType2>* font_;
};

GlyphClassifier* GlyphClassifierTest::classifier_ = nullptr;
cv::Ptr<cv::freetype::FreeType2>* GlyphClassifierTest::font_ = nullptr;

TEST_F(GlyphClassifierTest, CoversTheChineseCharactersOfGbk) {
  EXPECT_GT(classifier_->template_count(), 20000u);
  const std::vector<std::string> gbk = GbkChineseCharacters();
  EXPECT_EQ(gbk.front(), "啊");  // GB2312 first: common characters win ties
  EXPECT_NE(std::find(gbk.begin(), gbk.end(), "赟"), gbk.end());
}

TEST_F(GlyphClassifierTest, RecognisesRareNameCharactersInAnotherTypeface) {
  // Not in Debian's chi_sim character set: Tesseract answers 异 for 昇, 园 for 赟.
  for (const std::string character :
       {"珺", "彧", "翀", "昇", "璟", "堃", "犇", "喆", "玥", "旻", "祎", "芃", "赟", "麓"}) {
    const GlyphScores scores = classifier_->Classify(Draw(character));
    ASSERT_FALSE(scores.empty()) << character;
    const auto best = scores.Best(2);
    EXPECT_EQ(best[0].character, character);
    EXPECT_GT(best[0].score, 0.6) << character;
  }
}

TEST_F(GlyphClassifierTest, ClassifiesSeveralCharactersInOnePass) {
  const std::vector<cv::Mat> glyphs = {Draw("欧"), Draw("阳"), cv::Mat(), Draw("珊")};
  const std::vector<GlyphScores> scores = classifier_->ClassifyAll(glyphs);
  ASSERT_EQ(scores.size(), 4u);
  EXPECT_EQ(scores[0].Best(1)[0].character, "欧");
  EXPECT_EQ(scores[1].Best(1)[0].character, "阳");
  EXPECT_TRUE(scores[2].empty());
  EXPECT_EQ(scores[3].Best(1)[0].character, "珊");
  EXPECT_LT(scores[3].Of("欧"), scores[3].Of("珊"));
  EXPECT_EQ(scores[3].Of("A"), -1);  // no template
}

// (Random strokes are another matter: they are made of what characters are made of and can
// score 0.6. The reader never takes the classifier's word alone for that reason.)
TEST_F(GlyphClassifierTest, GivesNoConfidentAnswerForThingsThatAreNotCharacters) {
  cv::Mat blank(kEm * 2, kEm * 2, CV_8UC1, cv::Scalar(230));
  EXPECT_TRUE(classifier_->Classify(blank).empty());

  cv::Mat blob = blank.clone();
  cv::circle(blob, {kEm, kEm}, kEm / 2, cv::Scalar(30), -1, cv::LINE_AA);
  cv::RNG rng(5);
  cv::Mat noise(blank.size(), CV_8UC1);
  rng.fill(noise, cv::RNG::UNIFORM, 0, 255);
  for (const cv::Mat& image : {blob, noise}) {
    const GlyphScores scores = classifier_->Classify(image);
    if (scores.empty()) continue;
    // Far below what real characters score (> 0.6 above), under the reader's 0.5 floor.
    EXPECT_LT(scores.Best(1)[0].score, 0.5) << scores.Best(1)[0].character;
  }
}

TEST_F(GlyphClassifierTest, ReadsEthnicGroupsWithRareCharactersFromTheFieldImage) {
  for (const std::string group :
       {"傈僳", "彝", "佤", "羌", "怒", "畲", "仫佬", "拉祜", "珞巴", "仡佬", "汉", "柯尔克孜"}) {
    const LineMatch match = classifier_->ClassifyLine(Draw(group), EthnicGroupNames());
    EXPECT_EQ(match.text, group);
    EXPECT_GT(match.score - match.runner_up_score, 0.03) << group << " vs " << match.runner_up;
  }
}

TEST_F(GlyphClassifierTest, FindsNoEthnicGroupInALineFarLongerThanAnyName) {
  // Six characters: the longest groups have four, so nothing fits the line's proportions.
  const LineMatch match = classifier_->ClassifyLine(Draw("中华人民共和"), EthnicGroupNames());
  EXPECT_TRUE(match.text.empty());
}

TEST_F(GlyphClassifierTest, SplitsAFixedPitchLineIntoCharacters) {
  const cv::Mat line = Draw("欧阳珺赟");
  const std::vector<cv::Rect> boxes = SplitLineIntoCharacters(line, 4);
  ASSERT_EQ(boxes.size(), 4u);
  for (size_t i = 0; i < boxes.size(); ++i) {
    EXPECT_NEAR(boxes[i].width, kEm, kEm * 0.25) << i;
    if (i > 0) {
      EXPECT_EQ(boxes[i].x, boxes[i - 1].br().x);
    }
  }
  EXPECT_EQ(classifier_->Classify(line(boxes[2])).Best(1)[0].character, "珺");
  EXPECT_EQ(classifier_->Classify(line(boxes[3])).Best(1)[0].character, "赟");
}

}  // namespace
}  // namespace examphoto

namespace examphoto {
namespace {

// The template cache: built once, then read back whole (same templates, same answers), and a
// damaged file is rebuilt instead of being half-used.
class GlyphCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.cache_dir = (std::filesystem::temp_directory_path() /
                          ("examphoto-glyph-cache-" + std::to_string(::getpid())))
                             .string();
    std::filesystem::remove_all(options_.cache_dir);
  }
  void TearDown() override { std::filesystem::remove_all(options_.cache_dir); }
  std::filesystem::path OnlyCacheFile() const {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(options_.cache_dir)) {
      files.push_back(entry.path());
    }
    EXPECT_EQ(files.size(), 1u);
    return files.empty() ? std::filesystem::path() : files.front();
  }
  GlyphClassifierOptions options_;
};

TEST_F(GlyphCacheTest, ReadsBackTheSameTemplatesAndRebuildsADamagedFile) {
  auto built = GlyphClassifier::Load(options_);
  ASSERT_TRUE(built.ok());
  EXPECT_FALSE((*built)->loaded_from_cache());
  const std::filesystem::path file = OnlyCacheFile();
  EXPECT_EQ(std::filesystem::file_size(file),
            (*built)->template_bytes() + (*built)->template_count() * 4 +  // UTF-8 + length
                512 * 4 + 16);

  auto cached = GlyphClassifier::Load(options_);
  ASSERT_TRUE(cached.ok());
  EXPECT_TRUE((*cached)->loaded_from_cache());
  EXPECT_EQ((*cached)->template_count(), (*built)->template_count());
  cv::Mat glyph(64, 64, CV_8U, cv::Scalar(235));
  cv::line(glyph, {10, 32}, {54, 32}, cv::Scalar(30), 4);  // 一
  cv::line(glyph, {32, 8}, {32, 56}, cv::Scalar(30), 4);   // 十
  const auto first = (*built)->Classify(glyph).Best(3);
  const auto again = (*cached)->Classify(glyph).Best(3);
  ASSERT_EQ(first.size(), again.size());
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].character, again[i].character);
    EXPECT_FLOAT_EQ(first[i].score, again[i].score);
  }

  std::filesystem::resize_file(file, std::filesystem::file_size(file) / 2);  // a crash mid-write
  auto rebuilt = GlyphClassifier::Load(options_);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_FALSE((*rebuilt)->loaded_from_cache());
  EXPECT_EQ((*rebuilt)->template_count(), (*built)->template_count());
  EXPECT_TRUE((*GlyphClassifier::Load(options_))->loaded_from_cache());
}

}  // namespace
}  // namespace examphoto
