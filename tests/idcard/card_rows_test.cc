// Rows read again where the card's fit places them (card_rows.h), with PP-OCR on clean
// captures made at test time: a name line that the detector began a character late is read
// whole from the row's ink; a name character the recogniser cannot output is counted from
// it. Label "model": the detector and recogniser load once per process.
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
    photo_ = new cv::Mat(CleanCapture(kName));
  }

  // The portrait side of a clean capture of a card printing `name`.
  static cv::Mat CleanCapture(const std::string& name) {
    testing::SpecimenSetOptions set;
    set.out_dir = (*folder_ / std::to_string(++captures_)).string();
    set.count = 1;
    set.seed = 7;
    set.clean = true;
    set.emblem_side = false;
    set.name = name;
    std::string error;
    const auto files = testing::WriteSpecimenSet(set, &error);
    EXPECT_TRUE(error.empty() && files.size() == 1) << error;
    if (files.size() != 1) return {};
    std::ifstream image(files.front().image_path, std::ios::binary);
    const std::vector<uint8_t> bytes(std::istreambuf_iterator<char>(image), {});
    auto decoded = imaging::DecodeImage(bytes);
    EXPECT_TRUE(decoded.ok());
    return decoded.ok() ? decoded->bgr : cv::Mat{};
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

  static CardText Read(const cv::Mat& photo = *photo_) {
    auto text = ReadCardText(photo, *detector_, *recognizer_);
    EXPECT_TRUE(text.ok());
    return text.ok() ? std::move(text.value()) : CardText{};
  }

  static InferenceEngine* engine_;
  static TextDetector* detector_;
  static TextRecognizer* recognizer_;
  static fs::path* folder_;
  static cv::Mat* photo_;
  static int captures_;
};

InferenceEngine* CardRowsTest::engine_ = nullptr;
TextDetector* CardRowsTest::detector_ = nullptr;
TextRecognizer* CardRowsTest::recognizer_ = nullptr;
fs::path* CardRowsTest::folder_ = nullptr;
cv::Mat* CardRowsTest::photo_ = nullptr;
int CardRowsTest::captures_ = 0;

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

// A clean capture of a card printing `printed`, read, and its name row.
struct NameOnCard {
  cv::Mat photo;
  CardText text;
  CardTextLayout card;
  std::optional<NameRow> row;

  const FieldReading& Name() const { return card.fields.at("name"); }

  Agreement Check(const std::string& registered, const TextRecognizer& recognizer) const {
    const RegistrationVerdict verdict =
        CheckAgainstRegistration(text.lines, Name(), registered, recognizer.characters());
    return CheckNameAgain(photo, row, Name(), registered, verdict, recognizer, 0.9);
  }
};

TEST_F(CardRowsTest, CountsANameCharacterTheRecogniserCannotOutputFromTheInkAroundIt) {
  const auto read = [](const std::string& printed) {
    NameOnCard name{CleanCapture(printed)};
    name.text = Read(name.photo);
    name.card = LayOutCardText(name.text.lines, name.text.reading_direction);
    name.card.fields.try_emplace("name");
    name.row = FindNameRow(name.photo, name.card, name.text.lines, /*outline_from_edges=*/true);
    return name;
  };
  // Cards that print a character the recogniser cannot output, read without it as a card of
  // another person would be: the ink around it tells them apart.
  struct Case {
    std::string printed, read;  // the card's name, and as read (the shorter roster entry)
    int skipped;
  };
  for (const Case& c : {
           Case{"潘珮轩", "潘轩", 1},  // blind9b 0063: ink between 潘 and 轩
           Case{"邓建昉", "邓建", 1},  // blind10b 0005: ink past the last character read
           Case{"潘轩", "潘轩", 0},    // nothing skipped: its own name matches
       }) {
    SCOPED_TRACE(c.printed);
    const NameOnCard name = read(c.printed);
    ASSERT_EQ(name.Name().text, c.read);
    ASSERT_TRUE(name.row);
    EXPECT_EQ(name.row->printed_characters, static_cast<int>(SplitUtf8(c.printed).size()));
    EXPECT_EQ(name.row->skipped_characters, c.skipped);
    EXPECT_EQ(name.Check(c.read, *recognizer_),
              c.skipped > 0 ? Agreement::kMismatch : Agreement::kMatch);
    EXPECT_NE(name.Check(c.printed, *recognizer_), Agreement::kMismatch);
  }
}

}  // namespace
}  // namespace examphoto
