// Fields made from hand-placed text lines: labels, rows along a tilted card, the address over
// several rows, the photo's area left out, the emblem side, and the card's outline.
#include "idcard/card_fields.h"

#include <gtest/gtest.h>

#include <array>
#include <opencv2/imgproc.hpp>

#include "domain/utf8.h"
#include "idcard/card_layout.h"
#include "idcard/card_rows.h"
#include "line_fixture.h"

namespace examphoto {
namespace {

namespace layout = card_layout;
using testing::MakeLine;
using testing::Placement;

const std::vector<std::string> kTexts = {"姓名",
                                         "欧阳珊珊",
                                         "性别",
                                         "女",
                                         "民族",
                                         "汉",
                                         "出生",
                                         "1990年3月7日",
                                         "住址",
                                         "湖南省长沙市岳麓区学府",
                                         "路12号阳光花园3栋",
                                         "号楼12门",
                                         "公民身份号码",
                                         "43010419900307128X",
                                         "样本",
                                         "签发机关",
                                         "长沙市公安局岳麓分局",
                                         "有效期限",
                                         "2015.03.01-2025.03.01",
                                         "中华人民共和国",
                                         "居民身份证",
                                         "氵"};
const CharacterSet kAlphabet = testing::AlphabetOf(kTexts);

std::vector<TextLine> PortraitLines(const Placement& at, bool with_photo_text = true) {
  const double label = layout::kLabelSizeMm, value = layout::kValueSizeMm;
  std::vector<TextLine> lines = {
      MakeLine("姓名", layout::kLabelXMm, layout::kNameBaselineMm, label, label + 1.2, at,
               kAlphabet),
      MakeLine("欧阳珊珊", layout::kValueXMm, layout::kNameBaselineMm, value, value, at, kAlphabet),
      MakeLine("性别", layout::kLabelXMm, layout::kSexBaselineMm, label, label + 1.2, at,
               kAlphabet),
      MakeLine("女", layout::kValueXMm, layout::kSexBaselineMm, value, value, at, kAlphabet),
      MakeLine("民族", layout::kEthnicityLabelXMm, layout::kSexBaselineMm, label, label + 1.2, at,
               kAlphabet),
      MakeLine("汉", layout::kEthnicityValueXMm, layout::kSexBaselineMm, value, value, at,
               kAlphabet),
      MakeLine("出生", layout::kLabelXMm, layout::kBirthBaselineMm, label, label + 1.2, at,
               kAlphabet),
      MakeLine("1990年3月7日", layout::kValueXMm, layout::kBirthBaselineMm, value, value * 0.8, at,
               kAlphabet),
      MakeLine("住址", layout::kLabelXMm, layout::kAddressBaselineMm, label, label + 1.2, at,
               kAlphabet),
      MakeLine("湖南省长沙市岳麓区学府", layout::kValueXMm, layout::kAddressBaselineMm, value,
               value, at, kAlphabet),
      MakeLine("路12号阳光花园3栋", layout::kValueXMm,
               layout::kAddressBaselineMm + layout::kAddressLineStepMm, value, value * 0.9, at,
               kAlphabet),
      MakeLine("公民身份号码", layout::kLabelXMm, layout::kNumberLabelBaselineMm, label,
               label + 0.3, at, kAlphabet),
      MakeLine("43010419900307128X", layout::kNumberValueXMm, layout::kNumberLabelBaselineMm,
               layout::kNumberSizeMm, layout::kNumberSizeMm * 0.56 + 0.45, at, kAlphabet),
  };
  // Text inside the printed photo's area (the specimen mark) is not part of any field.
  if (with_photo_text) lines.push_back(MakeLine("样本", 61, 24, 5, 5, at, kAlphabet));
  return lines;
}

cv::Point2f Direction(double degrees) {
  const double a = degrees * CV_PI / 180;
  return {static_cast<float>(std::cos(a)), static_cast<float>(std::sin(a))};
}

TEST(CardFields, ReadsEveryPortraitFieldByItsLabel) {
  const Placement at;
  const CardTextLayout card = LayOutCardText(PortraitLines(at), Direction(0));
  ASSERT_EQ(card.side, CardSide::kPortrait);
  EXPECT_EQ(card.portrait_labels, 6);
  EXPECT_EQ(card.fields.at("name").text, "欧阳珊珊");
  EXPECT_EQ(card.fields.at("sex").text, "女");
  EXPECT_EQ(card.fields.at("ethnicity").text, "汉");
  EXPECT_EQ(card.fields.at("birth_date").text, "1990-03-07");
  EXPECT_EQ(card.fields.at("address").text, "湖南省长沙市岳麓区学府路12号阳光花园3栋");
  EXPECT_EQ(card.fields.at("id_number").text, "43010419900307128X");
  EXPECT_NEAR(card.fields.at("name").confidence, 0.99, 1e-6);
  EXPECT_TRUE(card.fields.at("name").doubts.empty());
}

TEST(CardFields, FollowsTheCardAtAnyRotation) {
  for (double degrees : {-12.0, 90.0, 181.0, 263.0}) {
    const Placement at{degrees, 14, {900, 700}};
    const CardTextLayout card = LayOutCardText(PortraitLines(at), Direction(degrees));
    ASSERT_EQ(card.side, CardSide::kPortrait) << degrees;
    EXPECT_EQ(card.fields.at("name").text, "欧阳珊珊") << degrees;
    EXPECT_EQ(card.fields.at("address").text, "湖南省长沙市岳麓区学府路12号阳光花园3栋") << degrees;
    EXPECT_EQ(card.fields.at("id_number").text, "43010419900307128X") << degrees;
  }
}

TEST(CardFields, TheLabelsLastCharacterIsNoPartOfTheAddress) {
  // 住址 split by the detector: 住 alone, 址 read on the line of the address's first row.
  const Placement at;
  std::vector<TextLine> lines = PortraitLines(at);
  const double label = layout::kLabelSizeMm, value = layout::kValueSizeMm;
  lines[8] =
      MakeLine("住", layout::kLabelXMm, layout::kAddressBaselineMm, label, label, at, kAlphabet);
  lines[9] = MakeLine("址湖南省长沙市岳麓区学府", layout::kValueXMm - value,
                      layout::kAddressBaselineMm, value, value, at, kAlphabet);
  const CardTextLayout card = LayOutCardText(lines, Direction(0));
  ASSERT_EQ(card.side, CardSide::kPortrait);
  const FieldReading& address = card.fields.at("address");
  EXPECT_EQ(address.text, "湖南省长沙市岳麓区学府路12号阳光花园3栋");
  EXPECT_EQ(address.character_probabilities.size(), SplitUtf8(address.text).size());
}

TEST(CardFields, TakesTheWholeNumberWhenItsLineDriftsOffTheRow) {
  // A card at an angle to the camera: the number's long line leaves its label's row by more
  // than the row's tolerance twice over towards its end (here 10° turned about its start).
  const Placement at{0, 20, {300, 200}};
  std::vector<TextLine> lines = PortraitLines(at);
  Placement turned{10, 20, {0, 0}};
  const double x = layout::kNumberValueXMm, y = layout::kNumberLabelBaselineMm;
  turned.origin = at(x, y) - turned(x, y);
  lines[12] = MakeLine("43010419900307128X", x, y, layout::kNumberSizeMm,
                       layout::kNumberSizeMm * 0.56 + 0.45, turned, kAlphabet);
  const CardTextLayout card = LayOutCardText(lines, Direction(0));
  ASSERT_EQ(card.side, CardSide::kPortrait);
  EXPECT_EQ(card.fields.at("id_number").text, "43010419900307128X");
  EXPECT_EQ(card.fields.at("address").text, "湖南省长沙市岳麓区学府路12号阳光花园3栋");
}

TEST(CardFields, FitsTheCardOutlineFromTheLabels) {
  const Placement at{10, 15, {400, 300}};
  const CardTextLayout card = LayOutCardText(PortraitLines(at), Direction(10));
  ASSERT_TRUE(card.card_to_photo.has_value());
  EXPECT_LT(card.fit_error_mm, 0.5);
  const cv::Point2f far_corner = CardToPhoto(*card.card_to_photo, {85.6f, 54.0f});
  const cv::Point2f expected = at(85.6, 54.0);
  EXPECT_LT(cv::norm(far_corner - expected), 15 * 1.5);  // within 1.5 mm
}

TEST(CardFields, AValueMergedWithItsLabelIsSplitAtTheLabel) {
  const Placement at;
  std::vector<TextLine> lines = PortraitLines(at);
  lines[0] = MakeLine("姓名欧阳珊珊", layout::kLabelXMm, layout::kNameBaselineMm,
                      layout::kValueSizeMm, layout::kValueSizeMm + 0.2, at, kAlphabet);
  lines.erase(lines.begin() + 1);
  const CardTextLayout card = LayOutCardText(lines, Direction(0));
  EXPECT_EQ(card.fields.at("name").text, "欧阳珊珊");
  const FieldSource& source = card.fields.at("name").sources.front();
  EXPECT_EQ(source.first_char, 2);
  EXPECT_EQ(source.first_frame, 6);  // after the label's last character (frames 4-5)
}

TEST(CardFields, ARadicalFragmentMakesTheFieldUnsure) {
  const Placement at;
  std::vector<TextLine> lines = PortraitLines(at);
  lines[1] = MakeLine("欧阳珊氵", layout::kValueXMm, layout::kNameBaselineMm, layout::kValueSizeMm,
                      layout::kValueSizeMm, at, kAlphabet);
  const CardTextLayout card = LayOutCardText(lines, Direction(0));
  EXPECT_EQ(card.fields.at("name").confidence, 0);
  EXPECT_FALSE(card.fields.at("name").doubts.empty());
  EXPECT_TRUE(IsRadicalFragment("氵"));
  EXPECT_FALSE(IsRadicalFragment("江"));
}

TEST(CardFields, ANameCharacterLeftUnreadMakesTheNameUnsure) {
  const Placement at;
  std::vector<TextLine> lines = PortraitLines(at);
  EXPECT_TRUE(LayOutCardText(lines, Direction(0)).fields.at("name").doubts.empty());
  // 欧阳珊珊 with its first character not read: the rest starts an em late.
  lines[1] = MakeLine("阳珊珊", layout::kValueXMm + layout::kValueSizeMm, layout::kNameBaselineMm,
                      layout::kValueSizeMm, layout::kValueSizeMm, at, kAlphabet);
  const CardTextLayout late = LayOutCardText(lines, Direction(0));
  EXPECT_EQ(late.fields.at("name").text, "阳珊珊");
  EXPECT_FALSE(late.fields.at("name").doubts.empty());
  // ...or a character missing in the middle: a gap of an em between two.
  lines[1] = MakeLine("欧阳", layout::kValueXMm, layout::kNameBaselineMm, layout::kValueSizeMm,
                      layout::kValueSizeMm, at, kAlphabet);
  lines.push_back(MakeLine("珊", layout::kValueXMm + 3 * layout::kValueSizeMm,
                           layout::kNameBaselineMm, layout::kValueSizeMm, layout::kValueSizeMm, at,
                           kAlphabet));
  EXPECT_FALSE(LayOutCardText(lines, Direction(0)).fields.at("name").doubts.empty());
}

TEST(CardFields, ANameOfOneCharacterIsUnsure) {
  // 谢一一 with its single strokes not found: nobody's name is one character.
  const Placement at;
  std::vector<TextLine> lines = PortraitLines(at);
  lines[1] = MakeLine("欧", layout::kValueXMm, layout::kNameBaselineMm, layout::kValueSizeMm,
                      layout::kValueSizeMm, at, kAlphabet);
  const CardTextLayout card = LayOutCardText(lines, Direction(0));
  EXPECT_EQ(card.fields.at("name").text, "欧");
  EXPECT_EQ(card.fields.at("name").confidence, 0);
  EXPECT_FALSE(card.fields.at("name").doubts.empty());
}

TEST(CardFields, AMalformedNumberOrDateIsDoubted) {
  const Placement at;
  std::vector<TextLine> lines = PortraitLines(at);
  lines[7] = MakeLine("1990年3月", layout::kValueXMm, layout::kBirthBaselineMm,
                      layout::kValueSizeMm, layout::kValueSizeMm * 0.8, at, kAlphabet);
  lines[12] = MakeLine("4301041990030712", layout::kNumberValueXMm, layout::kNumberLabelBaselineMm,
                       layout::kNumberSizeMm, layout::kNumberSizeMm * 0.56 + 0.45, at, kAlphabet);
  const CardTextLayout card = LayOutCardText(lines, Direction(0));
  EXPECT_FALSE(card.fields.at("birth_date").doubts.empty());
  EXPECT_FALSE(card.fields.at("id_number").doubts.empty());
}

TEST(CardFields, ReadsTheEmblemSide) {
  const Placement at{-5, 18, {200, 260}};
  const double label = layout::kLabelSizeMm, value = layout::kValueSizeMm;
  const std::vector<TextLine> lines = {
      MakeLine("中华人民共和国", layout::kTitleXMm, layout::kTitleBaselineMm, layout::kTitleSizeMm,
               (layout::kTitleRightMm - layout::kTitleXMm - layout::kTitleSizeMm) / 6, at,
               kAlphabet),
      MakeLine(
          "居民身份证", layout::kTitleXMm, layout::kCardNameBaselineMm, layout::kCardNameSizeMm,
          (layout::kTitleRightMm - layout::kTitleXMm - layout::kCardNameSizeMm) / 4, at, kAlphabet),
      MakeLine("签发机关", layout::kEmblemLabelXMm, layout::kAuthorityBaselineMm, label,
               label + 0.3, at, kAlphabet),
      MakeLine("长沙市公安局岳麓分局", layout::kEmblemValueXMm, layout::kAuthorityBaselineMm, value,
               value, at, kAlphabet),
      MakeLine("有效期限", layout::kEmblemLabelXMm, layout::kValidityBaselineMm, label, label + 0.3,
               at, kAlphabet),
      MakeLine("2015.03.01-2025.03.01", layout::kEmblemValueXMm, layout::kValidityBaselineMm, value,
               value * 0.55, at, kAlphabet),
  };
  const CardTextLayout card = LayOutCardText(lines, Direction(-5));
  ASSERT_EQ(card.side, CardSide::kEmblem);
  EXPECT_EQ(card.fields.at("authority").text, "长沙市公安局岳麓分局");
  EXPECT_EQ(card.fields.at("valid_from").text, "2015-03-01");
  EXPECT_EQ(card.fields.at("valid_to").text, "2025-03-01");
}

TEST(CardFields, AnAddressWithAnEmptyRowBeforeAnotherMissesThatRow) {
  const Placement at{3, 16, {150, 120}};
  std::vector<TextLine> lines = PortraitLines(at);
  CardTextLayout card = LayOutCardText(lines, Direction(3));
  ASSERT_TRUE(card.card_to_photo);
  EXPECT_FALSE(AddressMissesARow(card, lines));
  // The second row not found, a third one read (blind9b 0045): the address reads whole rows
  // with one missing between them.
  const double value = layout::kValueSizeMm;
  lines.push_back(MakeLine("号楼12门", layout::kValueXMm,
                           layout::kAddressBaselineMm + 2 * layout::kAddressLineStepMm, value,
                           value, at, kAlphabet));
  std::erase_if(lines, [](const TextLine& line) { return line.text == "路12号阳光花园3栋"; });
  card = LayOutCardText(lines, Direction(3));
  ASSERT_TRUE(card.card_to_photo);
  EXPECT_TRUE(AddressMissesARow(card, lines));
}

TEST(CardFields, ALabelReadExactlyOutweighsOneReadWithACharacterWrong) {
  // A small scan turned sideways (tune2 0038): 居民身份证 found as 居民 and 民身份证, the title
  // in pieces, the dates' line without its label. 民身 passes for 民族 with one character
  // wrong; 签发机关 is read exactly, and the side is the emblem's.
  const Placement at{90, 14, {900, 100}};
  const double label = layout::kLabelSizeMm, value = layout::kValueSizeMm;
  const double card_name_step =
      (layout::kTitleRightMm - layout::kTitleXMm - layout::kCardNameSizeMm) / 4;
  const std::vector<TextLine> lines = {
      MakeLine("居民", layout::kTitleXMm, layout::kCardNameBaselineMm, layout::kCardNameSizeMm,
               card_name_step, at, kAlphabet),
      MakeLine("民身份证", layout::kTitleXMm + card_name_step, layout::kCardNameBaselineMm,
               layout::kCardNameSizeMm, card_name_step, at, kAlphabet),
      MakeLine("签发机关", layout::kEmblemLabelXMm, layout::kAuthorityBaselineMm, label,
               label + 0.3, at, kAlphabet),
      MakeLine("长沙市公安局岳麓分局", layout::kEmblemValueXMm, layout::kAuthorityBaselineMm, value,
               value, at, kAlphabet),
      MakeLine("2015.03.01-2025.03.01", layout::kEmblemValueXMm, layout::kValidityBaselineMm, value,
               value * 0.55, at, kAlphabet),
  };
  const CardTextLayout card = LayOutCardText(lines, Direction(90));
  EXPECT_EQ(card.portrait_labels, 1);
  EXPECT_EQ(card.emblem_labels, 1);
  ASSERT_EQ(card.side, CardSide::kEmblem);
  EXPECT_EQ(card.fields.at("authority").text, "长沙市公安局岳麓分局");
}

TEST(CardFields, FindsNoSideWithoutLabels) {
  const Placement at;
  const std::vector<TextLine> lines = {MakeLine("样本", 10, 10, 5, 5, at, kAlphabet)};
  EXPECT_FALSE(LayOutCardText(lines, Direction(0)).side.has_value());
  EXPECT_FALSE(LayOutCardText({}, Direction(0)).side.has_value());
}

// The card's corners in card millimetres and where a fit puts them in the photo.
cv::Matx33d FitThrough(const std::array<cv::Point2f, 4>& photo) {
  const float w = static_cast<float>(layout::kWidthMm), h = static_cast<float>(layout::kHeightMm);
  const std::array<cv::Point2f, 4> mm = {cv::Point2f(0, 0), cv::Point2f(w, 0), cv::Point2f(w, h),
                                         cv::Point2f(0, h)};
  return cv::Matx33d(cv::getPerspectiveTransform(mm.data(), photo.data()));
}

TEST(CardFields, UsesAPerspectiveFitOnlyWhenItCouldBeACardBeforeACamera) {
  // Seen square on, and tilted steeply (the far side 0.7 of the near one).
  EXPECT_TRUE(
      PlausibleCardPerspective(FitThrough({{{100, 100}, {1812, 100}, {1812, 1180}, {100, 1180}}})));
  EXPECT_TRUE(
      PlausibleCardPerspective(FitThrough({{{350, 200}, {1550, 200}, {1800, 1000}, {100, 1000}}})));
  // The label fit of a capture tilted 14.5° (blind set 0035): its right side three times its
  // left, a corner 47 mm outside the photo, the whole card called cut.
  EXPECT_FALSE(
      PlausibleCardPerspective(FitThrough({{{290, 735}, {3141, 605}, {3454, 3314}, {103, 1644}}})));
  // A corner behind the camera.
  cv::Matx33d behind = FitThrough({{{100, 100}, {1812, 100}, {1812, 1180}, {100, 1180}}});
  behind(2, 0) = -1.5 * behind(2, 2) / layout::kWidthMm;  // w < 0 at the right edge
  EXPECT_FALSE(PlausibleCardPerspective(behind));
}

}  // namespace
}  // namespace examphoto
