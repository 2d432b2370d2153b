// Rows read again where the card's fit places them (card_rows.h), with PP-OCR on a clean
// capture made at test time: a name line that the detector began a character late is read
// whole from the row's ink. Label "model": the detector and recogniser load once per process.
#include "idcard/card_rows.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "domain/utf8.h"
#include "idcard/card_text.h"
#include "idcard/ocr_models.h"
#include "idcard/text_detector.h"
#include "imaging/image_decoder.h"
#include "inference/inference_engine.h"
#include "specimen_set.h"

namespace examphoto {
namespace {

namespace fs = std::filesystem;

constexpr const char* kName = "林超超";

class CardRowsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    engine_ = new InferenceEngine();
    const OcrModelPaths paths = OcrModelPathsIn(EXAMPHOTO_OCR_MODEL_DIR);
    auto detector = TextDetector::Load(*engine_, paths.detector);
    ASSERT_TRUE(detector.ok()) << detector.error().detail;
    detector_ = new TextDetector(std::move(detector.value()));
    auto recognizer = TextRecognizer::Load(
        *engine_, {paths.recognizer, paths.keys, paths.orientation}, /*warm_up=*/false);
    ASSERT_TRUE(recognizer.ok()) << recognizer.error().detail;
    recognizer_ = new TextRecognizer(std::move(recognizer.value()));

    folder_ =
        new fs::path(fs::temp_directory_path() / ("card_rows_tests_" + std::to_string(::getpid())));
    testing::SpecimenSetOptions set;
    set.out_dir = folder_->string();
    set.count = 1;
    set.seed = 7;
    set.clean = true;
    set.emblem_side = false;
    set.name = kName;
    std::string error;
    const auto files = testing::WriteSpecimenSet(set, &error);
    ASSERT_TRUE(error.empty() && files.size() == 1) << error;
    std::ifstream image(files.front().image_path, std::ios::binary);
    const std::vector<uint8_t> bytes(std::istreambuf_iterator<char>(image), {});
    auto decoded = imaging::DecodeImage(bytes);
    ASSERT_TRUE(decoded.ok());
    photo_ = new cv::Mat(decoded->bgr);
  }

  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(*folder_, ignored);
    delete folder_;
    delete photo_;
    delete recognizer_;
    delete detector_;
    delete engine_;
  }

  static CardText Read() {
    auto text = ReadCardText(*photo_, *detector_, *recognizer_);
    EXPECT_TRUE(text.ok());
    return text.ok() ? std::move(text.value()) : CardText{};
  }

  static InferenceEngine* engine_;
  static TextDetector* detector_;
  static TextRecognizer* recognizer_;
  static fs::path* folder_;
  static cv::Mat* photo_;
};

InferenceEngine* CardRowsTest::engine_ = nullptr;
TextDetector* CardRowsTest::detector_ = nullptr;
TextRecognizer* CardRowsTest::recognizer_ = nullptr;
fs::path* CardRowsTest::folder_ = nullptr;
cv::Mat* CardRowsTest::photo_ = nullptr;

TEST_F(CardRowsTest, ReadsTheNameRowWholeWhenItsLineBeganACharacterLate) {
  CardText text = Read();
  CardTextLayout card = LayOutCardText(text.lines, text.reading_direction);
  ASSERT_EQ(card.fields["name"].text, kName);
  // Read as found, the name began in time: nothing to read again.
  EXPECT_FALSE(ReadNameRowWhole(*photo_, card, text.lines, *recognizer_, 0.9));

  // The name's line as the detector found it on a tilted card before a patterned cloth
  // (blind8a 0047): its box beginning after 林, which then reads 超超 surely.
  const FieldSource source = card.fields["name"].sources.front();
  TextLine& line = text.lines[source.line];
  const RecognizedCharacter& second = line.characters[source.first_char + 1];
  const auto fraction = static_cast<float>(second.first_frame - 0.5) / line.content_frames;
  std::array<cv::Point2f, 4> late = line.quad;
  late[0] += (line.quad[1] - line.quad[0]) * fraction;
  late[3] += (line.quad[2] - line.quad[3]) * fraction;
  auto cut = recognizer_->Recognize(*photo_, late);
  ASSERT_TRUE(cut.ok());
  line = std::move(cut.value());
  const CardTextLayout cut_card = LayOutCardText(text.lines, text.reading_direction);
  ASSERT_EQ(cut_card.fields.at("name").text, "超超");

  const auto whole = ReadNameRowWhole(*photo_, cut_card, text.lines, *recognizer_, 0.9);
  ASSERT_TRUE(whole);
  const CardTextLayout again = LayOutCardText(*whole, text.reading_direction);
  EXPECT_EQ(again.fields.at("name").text, kName);
  EXPECT_TRUE(again.fields.at("name").doubts.empty());
}

}  // namespace
}  // namespace examphoto
