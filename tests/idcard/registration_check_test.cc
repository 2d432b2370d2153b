// The registration check on hand-made lines: the registered name and number scored against
// the recogniser's frames.
#include "idcard/registration_check.h"

#include <gtest/gtest.h>

#include "idcard/card_layout.h"
#include "line_fixture.h"

namespace examphoto {
namespace {

namespace layout = card_layout;

const CharacterSet kAlphabet = testing::AlphabetOf({"姓名", "李四思王五珏", "0123456789X"});

// A card with the name line `name` (its characters read with `probability`).
std::vector<TextLine> Card(const std::string& name, float probability = 0.99f) {
  const testing::Placement at;
  return {testing::MakeLine("姓名", layout::kLabelXMm, layout::kNameBaselineMm, 2.6, 3.8, at,
                            kAlphabet),
          testing::MakeLine(name, layout::kValueXMm, layout::kNameBaselineMm, 3.1, 3.1, at,
                            kAlphabet, probability)};
}

FieldReading NameField(const std::vector<TextLine>& lines) {
  FieldReading field;
  field.text = lines[1].text;
  field.sources.push_back({1, 0, static_cast<int>(lines[1].characters.size()), 0,
                           static_cast<int>(lines[1].frames.size())});
  for (const RecognizedCharacter& c : lines[1].characters) {
    field.character_probabilities.push_back(c.probability);
  }
  field.confidence = lines[1].score;
  return field;
}

TEST(RegistrationCheck, TheSameNameMatches) {
  const auto lines = Card("李四");
  const auto verdict = CheckAgainstRegistration(lines, NameField(lines), "李四", kAlphabet);
  EXPECT_EQ(verdict.agreement, Agreement::kMatch);
  EXPECT_NEAR(verdict.deficit, 0, 1e-6);
  EXPECT_EQ(CheckAgainstRegistration(lines, NameField(lines), " 李 四 ", kAlphabet).agreement,
            Agreement::kMatch);
}

TEST(RegistrationCheck, ASureReadingOfAnotherNameIsAMismatch) {
  const auto lines = Card("李思");
  const auto verdict = CheckAgainstRegistration(lines, NameField(lines), "李四", kAlphabet);
  EXPECT_EQ(verdict.agreement, Agreement::kMismatch);
  EXPECT_GT(verdict.deficit, 8);
}

// The name line with its second character read with `probability` (the rest of the frame's
// mass spread over look-alikes), as the recogniser reads a character it does not know.
std::vector<TextLine> CardWithDoubtfulSecondCharacter(const std::string& name, float probability) {
  auto lines = Card(name);
  TextLine& line = lines[1];
  for (int t : {4, 5}) {
    const int shown = line.frames[t].top.front().first;
    line.frames[t] = FramePosteriors{{{shown, probability},
                                      {*kAlphabet.ClassOf("五"), (1 - probability) * 0.45f},
                                      {*kAlphabet.ClassOf("思"), (1 - probability) * 0.45f},
                                      {CharacterSet::kBlank, (1 - probability) * 0.05f}},
                                     (1 - probability) * 0.05f};
  }
  line.characters[1].probability = probability;
  return lines;
}

TEST(RegistrationCheck, ACharacterOutsideTheAlphabetMatchesWhereTheRecogniserIsUnsure) {
  // 翀 cannot be output; the recogniser guesses 珏 there with little conviction.
  const auto lines = CardWithDoubtfulSecondCharacter("王珏", 0.45f);
  FieldReading field = NameField(lines);
  field.confidence = 0.45;
  const auto verdict = CheckAgainstRegistration(lines, field, "王翀", kAlphabet);
  EXPECT_EQ(verdict.agreement, Agreement::kMatch);
  EXPECT_EQ(verdict.unverifiable_characters, 1);
  // ...but not when the rest differs.
  EXPECT_NE(CheckAgainstRegistration(lines, field, "李翀", kAlphabet).agreement, Agreement::kMatch);
}

TEST(RegistrationCheck, ACharacterOutsideTheAlphabetNeverMatchesAConfidentReading) {
  // 珏 read with 0.97: a registered 翀 can be neither confirmed (the card may show a 珏)
  // nor refuted (a card that prints a character the recogniser does not know reads as a
  // look-alike, up to 0.84 on the tuning sets): unsure, never a match.
  const auto lines = Card("王珏", 0.97f);
  const auto verdict = CheckAgainstRegistration(lines, NameField(lines), "王翀", kAlphabet);
  EXPECT_EQ(verdict.agreement, Agreement::kUnsure);
  EXPECT_EQ(verdict.unverifiable_characters, 1);
  EXPECT_NEAR(verdict.known_characters_deficit, 0, 0.1);
}

TEST(RegistrationCheck, ACharacterOutsideTheAlphabetIsRefutedByAKnownOneReadBeyondDoubt) {
  // The roster's 谢珮 against a card that prints 谢佩, read at 0.998 (a card that prints 珮
  // reads at 0.84 at most): another name.
  const auto lines = Card("王珏", 0.999f);
  const auto verdict = CheckAgainstRegistration(lines, NameField(lines), "王翀", kAlphabet);
  EXPECT_EQ(verdict.agreement, Agreement::kMismatch);
  // The known characters still have to agree for that: the surname differs too here, which
  // the alignment sees as well.
  EXPECT_EQ(CheckAgainstRegistration(lines, NameField(lines), "李翀", kAlphabet).agreement,
            Agreement::kMismatch);
}

TEST(RegistrationCheck, ASureReadingWithACharacterDroppedIsAMismatchEvenWhenCheap) {
  // 李五四 read with 0.9 (blank close behind at each character): 李四 costs little against
  // it, yet the card clearly holds three characters.
  const auto lines = Card("李五四", 0.92f);
  const auto verdict = CheckAgainstRegistration(lines, NameField(lines), "李四", kAlphabet);
  EXPECT_EQ(verdict.agreement, Agreement::kMismatch);
}

// Frames `frames` of `line` show `classes` (a character or "" for the blank, with its
// probability) instead, and `rest` for every other class.
void Reframe(TextLine& line, std::initializer_list<int> frames,
             const std::vector<std::pair<std::string, float>>& classes, float rest) {
  FramePosteriors posteriors{{}, rest};
  for (const auto& [character, probability] : classes) {
    posteriors.top.emplace_back(
        character.empty() ? CharacterSet::kBlank : *kAlphabet.ClassOf(character), probability);
  }
  for (int t : frames) line.frames[t] = posteriors;
}

TEST(RegistrationCheck, ADoubtfulReadingIsNeitherMatchNorMismatch) {
  // 思 read at 0.6 where the roster has 四, which the line gives 0.012: more than a match may
  // cost, less than a mismatch on an unsure reading needs (a retake).
  auto lines = Card("李思", 0.6f);
  Reframe(lines[1], {4, 5}, {{"思", 0.6f}, {"", 0.388f}, {"四", 0.012f}}, 1e-5f);
  const auto verdict = CheckAgainstRegistration(lines, NameField(lines), "李四", kAlphabet);
  EXPECT_EQ(verdict.agreement, Agreement::kUnsure);
  EXPECT_GT(verdict.known_characters_deficit, RegistrationThresholds{}.match_deficit);
  EXPECT_LT(verdict.known_characters_deficit, RegistrationThresholds{}.unsure_mismatch_deficit);
}

TEST(RegistrationCheck, AMatchNeedsSupportForEveryKnownCharacter) {
  // The line hesitates between several characters (a card printing one the recogniser cannot
  // output): the registered 四 costs little in all, but the line gives it under 1 %.
  auto lines = Card("李思");
  auto unsure_field = [&](float registered_probability) {
    Reframe(
        lines[1], {4, 5},
        {{"思", 0.12f}, {"", 0.11f}, {"王", 0.1f}, {"五", 0.1f}, {"四", registered_probability}},
        0.001f);
    FieldReading field = NameField(lines);
    field.character_probabilities[1] = 0.12f;
    field.confidence = 0.12;
    return field;
  };
  const auto weak = CheckAgainstRegistration(lines, unsure_field(0.007f), "李四", kAlphabet);
  EXPECT_LE(weak.deficit, RegistrationThresholds{}.match_deficit);
  EXPECT_EQ(weak.agreement, Agreement::kUnsure);
  // 1.3 % is no support either (明 against a printed 燊 that was not read: blind11b 0035).
  EXPECT_EQ(CheckAgainstRegistration(lines, unsure_field(0.013f), "李四", kAlphabet).agreement,
            Agreement::kUnsure);
  // With a few per cent where it stands, the same kind of line is a match.
  EXPECT_EQ(CheckAgainstRegistration(lines, unsure_field(0.03f), "李四", kAlphabet).agreement,
            Agreement::kMatch);
}

TEST(RegistrationCheck, AnExtraCharacterOnTheCardIsAMismatch) {
  const auto lines = Card("王五");
  EXPECT_EQ(CheckAgainstRegistration(lines, NameField(lines), "王", kAlphabet).agreement,
            Agreement::kMismatch);
}

TEST(RegistrationCheck, AConfidentExtraCharacterOnAnUnsureLineIsNoMatch) {
  // 肖凯鹏 with 凯 doubtful: the registered 肖凯 costs little, but the card clearly shows a
  // third character. (Once a near miss on the blind set was taken for a match this way.)
  auto lines = Card("李思王");
  Reframe(lines[1], {4, 5}, {{"思", 0.6f}, {"四", 0.35f}, {"", 0.04f}}, 0.01f);
  lines[1].characters[1].probability = 0.6f;
  // 王 clear in one frame, the blank close behind in the other: dropping it costs little.
  Reframe(lines[1], {7}, {{"王", 0.92f}, {"", 0.07f}}, 0.01f);
  Reframe(lines[1], {8}, {{"", 0.9f}, {"王", 0.09f}}, 0.01f);
  lines[1].characters[2].probability = 0.92f;
  FieldReading field = NameField(lines);
  field.confidence = 0.6;
  const auto verdict = CheckAgainstRegistration(lines, field, "李思", kAlphabet);
  EXPECT_LT(verdict.deficit, 4);
  EXPECT_NE(verdict.agreement, Agreement::kMatch);
}

TEST(RegistrationCheck, ARegisteredCharacterMissingFromASureReadingIsUnsure) {
  // The recogniser drops a character at the end of a line and leaves no gap (蒋军蕤 read
  // 蒋军 with 0.998): a shorter reading can neither confirm nor refute the registered name.
  const auto lines = Card("王五");
  const auto verdict = CheckAgainstRegistration(lines, NameField(lines), "王五五", kAlphabet);
  EXPECT_EQ(verdict.agreement, Agreement::kUnsure);
  EXPECT_GT(verdict.deficit, 4);
  EXPECT_FALSE(verdict.reading_leaves_out_characters);  // the line shows nothing after 五
}

TEST(RegistrationCheck, ASureReadingThatLeavesOutACharacterTheLineHoldsAsksTheInk) {
  // 蒋军蕤 read 蒋军: the recogniser put 蕤 second to the blank on its frames. The line does
  // not refute it, so the card's ink decides (id_card_reader.cc): a match if the row prints
  // three characters.
  auto lines = Card("王五四");
  TextLine& line = lines[1];
  const int shown = *kAlphabet.ClassOf("四");
  for (int t : {7, 8}) {
    line.frames[t] = FramePosteriors{{{CharacterSet::kBlank, 0.6f}, {shown, 0.35f}}, 0.05f};
  }
  line.text = "王五";
  line.characters.pop_back();
  const auto verdict = CheckAgainstRegistration(lines, NameField(lines), "王五四", kAlphabet);
  EXPECT_EQ(verdict.agreement, Agreement::kUnsure);
  EXPECT_LE(verdict.deficit, 4);
  EXPECT_TRUE(verdict.reading_leaves_out_characters);
  // Not for a registered name that differs where the reading is sure.
  EXPECT_FALSE(CheckAgainstRegistration(lines, NameField(lines), "李五四", kAlphabet)
                   .reading_leaves_out_characters);
}

TEST(RegistrationCheck, ASureDifferenceIsFoundWhereTheAlignmentPlacesTheRegisteredCharacter) {
  // A card printing 马浩蕤 read 马浩 (蕤 second to the blank), against a registered 马皓蕤:
  // two scripts of two edits each turn one into the other, and only the one pairing 浩 with
  // 皓, where the alignment places 皓 on the line, shows the sure difference.
  auto lines = Card("李思四");
  TextLine& line = lines[1];
  Reframe(line, {4, 5}, {{"思", 0.997f}, {"五", 0.002f}, {"", 0.001f}}, 1e-6f);
  Reframe(line, {7, 8}, {{"", 0.6f}, {"四", 0.399f}}, 1e-6f);
  line.text = "李思";
  line.characters.pop_back();
  line.characters[1].probability = 0.997f;
  EXPECT_EQ(CheckAgainstRegistration(lines, NameField(lines), "李五四", kAlphabet).agreement,
            Agreement::kMismatch);
  // The card's own name is no mismatch.
  EXPECT_NE(CheckAgainstRegistration(lines, NameField(lines), "李思四", kAlphabet).agreement,
            Agreement::kMismatch);
}

TEST(RegistrationCheck, AConfidentDifferenceIsAMismatchWhateverIsUnclearElsewhere) {
  // 李思王 with 王 doubtful (0.6): the registered 李四王 differs where the line is clear.
  auto lines = Card("李思王");
  Reframe(lines[1], {7, 8}, {{"王", 0.6f}, {"五", 0.35f}, {"", 0.04f}}, 0.01f);
  lines[1].characters[2].probability = 0.6f;
  FieldReading field = NameField(lines);
  field.confidence = 0.6;
  EXPECT_EQ(CheckAgainstRegistration(lines, field, "李四王", kAlphabet).agreement,
            Agreement::kMismatch);
  // A registered name that differs only where the line is unclear: a match (it may be 五).
  EXPECT_EQ(CheckAgainstRegistration(lines, field, "李思五", kAlphabet).agreement,
            Agreement::kMatch);
}

TEST(RegistrationCheck, AReadingACrossCheckRefutesProvesNoMismatch) {
  // A number whose check character fails is wrong somewhere: its differences from the
  // registered number may be that error.
  const auto lines = Card("1234", 0.99f);
  FieldReading field = NameField(lines);
  EXPECT_EQ(CheckAgainstRegistration(lines, field, "1235", kAlphabet).agreement,
            Agreement::kMismatch);
  field.doubts.emplace_back("idcard.number_check_digit");
  EXPECT_EQ(CheckAgainstRegistration(lines, field, "1235", kAlphabet).agreement,
            Agreement::kUnsure);
}

TEST(RegistrationCheck, ADroppedDoubtfulFirstCharacterIsTriedAsTheRegisteredOne) {
  // 黄雨 read with 黄 at 0.4: the layout dropped it as a remnant of the label.
  auto lines = Card("四王", 0.99f);
  Reframe(lines[1], {1, 2}, {{"四", 0.4f}, {"思", 0.35f}, {"", 0.2f}}, 0.05f);
  FieldReading field;
  field.text = "王";
  field.character_probabilities = {0.99f};
  field.sources.push_back({1, 1, 2, 3, static_cast<int>(lines[1].frames.size())});
  field.confidence = 0.6;
  EXPECT_EQ(CheckAgainstRegistration(lines, field, "四王", kAlphabet).agreement,
            Agreement::kUnsure);
  field.remnant_first_frame = 0;
  const auto verdict = CheckAgainstRegistration(lines, field, "四王", kAlphabet);
  EXPECT_EQ(verdict.agreement, Agreement::kMatch);
  EXPECT_LT(verdict.deficit, 2);
}

TEST(RegistrationCheck, NothingReadIsUnsure) {
  const auto lines = Card("李四");
  EXPECT_EQ(CheckAgainstRegistration(lines, FieldReading{}, "李四", kAlphabet).agreement,
            Agreement::kUnsure);
  EXPECT_EQ(ToString(Agreement::kMismatch), "mismatch");
}

TEST(RegistrationCheck, AnUnsureReadingFarFromTheRegisteredNameIsAMismatch) {
  // 一 read at 0.8 where the roster has 壹: the line is unsure of its character but far
  // from the registered one (true matches read unsure cost at most 3.9 on the tuning sets).
  auto lines = Card("李四", 0.99f);
  Reframe(lines[1], {4, 5}, {{"四", 0.8f}, {"思", 0.15f}, {"", 0.04f}}, 0.0001f);
  lines[1].characters[1].probability = 0.8f;
  FieldReading field = NameField(lines);
  field.character_probabilities[1] = 0.8f;
  field.confidence = 0.8;
  const auto verdict = CheckAgainstRegistration(lines, field, "李五", kAlphabet);
  EXPECT_EQ(verdict.agreement, Agreement::kMismatch);
  EXPECT_GE(verdict.known_characters_deficit, 8);
  // Nearer, as 曹珏 read unsure against a registered 曹明 (7.96): still beyond any true match.
  Reframe(lines[1], {4, 5}, {{"四", 0.8f}, {"", 0.15f}, {"思", 0.04f}, {"五", 0.004f}}, 0.0001f);
  const auto nearer = CheckAgainstRegistration(lines, field, "李五", kAlphabet);
  EXPECT_EQ(nearer.agreement, Agreement::kMismatch);
  EXPECT_LT(nearer.known_characters_deficit, 8);
  // A reading shorter than the registered name may be cut off: unsure, however far, and
  // the name row's ink to say whether it was (CheckNameAgainstItsRow).
  field.text = "李";
  field.character_probabilities = {0.99f};
  const auto shorter = CheckAgainstRegistration(lines, field, "李五", kAlphabet);
  EXPECT_EQ(shorter.agreement, Agreement::kUnsure);
  EXPECT_TRUE(shorter.far_but_read_shorter);
  EXPECT_FALSE(CheckAgainstRegistration(lines, field, "李四", kAlphabet).far_but_read_shorter);
}

// The name row's evidence on top of the line's verdict: `read` with `confidence` the line's
// reading, `printed` the row's count, `again` the second reading (counted in `calls`).
Agreement WithRow(Agreement agreement, const std::string& read, double confidence,
                  const std::string& registered, int printed,
                  std::optional<RowReading> again = std::nullopt, int* calls = nullptr,
                  bool leaves_out = false, int skipped = 0) {
  RegistrationVerdict verdict;
  verdict.agreement = agreement;
  verdict.reading_leaves_out_characters = leaves_out;
  FieldReading field;
  field.text = read;
  field.confidence = confidence;
  const auto read_again = [&]() {
    if (calls != nullptr) ++*calls;
    return again;
  };
  return CheckNameAgainstItsRow(verdict, field, registered, printed, skipped, read_again, 0.9);
}

TEST(NameRow, AMatchNeedsNoFewerCharactersThanTheRowPrints) {
  // 周倩 against a card whose row prints three characters (周翀倩, 翀 not read).
  int calls = 0;
  EXPECT_EQ(WithRow(Agreement::kMatch, "周倩", 0.95, "周倩", 3, {}, &calls), Agreement::kUnsure);
  EXPECT_EQ(WithRow(Agreement::kMatch, "周倩", 0.95, "周倩", 2, {}, &calls), Agreement::kMatch);
  // Ink that does not tell (0) leaves the verdict as it is.
  EXPECT_EQ(WithRow(Agreement::kMatch, "周倩", 0.95, "周倩", 0, {}, &calls), Agreement::kMatch);
  EXPECT_EQ(calls, 0);
}

TEST(NameRow, AReadingThatLeavesOutACharacterMatchesWhenTheRowPrintsIt) {
  EXPECT_EQ(WithRow(Agreement::kUnsure, "蒋军", 0.99, "蒋军蕤", 3, {}, nullptr, true),
            Agreement::kMatch);
  EXPECT_EQ(WithRow(Agreement::kUnsure, "蒋军", 0.99, "蒋军蕤", 2, {}, nullptr, true),
            Agreement::kUnsure);
  EXPECT_EQ(WithRow(Agreement::kUnsure, "蒋军", 0.99, "蒋军蕤", 3), Agreement::kUnsure);
}

TEST(NameRow, AFarReadingShorterThanTheRegisteredNameIsAMismatchWhereTheRowIsNotCutOff) {
  // 徐明 against a card 徐瑢, read 徐 (瑢 cannot be output), 明 costing 6.9 on the line.
  int calls = 0;
  const auto far_but_short = [&](int printed) {
    RegistrationVerdict verdict;
    verdict.far_but_read_shorter = true;
    FieldReading field;
    field.text = "徐";
    field.confidence = 0.5;
    return CheckNameAgainstItsRow(
        verdict, field, "徐明", printed, 0,
        [&]() {
          ++calls;
          return std::optional<RowReading>(RowReading{"徐", 0.5f});
        },
        0.9);
  };
  EXPECT_EQ(far_but_short(2), Agreement::kMismatch);
  EXPECT_EQ(calls, 1);
  // A row that prints one character only, or whose ink does not tell: unsure.
  EXPECT_EQ(far_but_short(1), Agreement::kUnsure);
  EXPECT_EQ(far_but_short(0), Agreement::kUnsure);
}

TEST(NameRow, ARegisteredNameShorterThanReadingAndPrintIsAMismatchTheSecondReadingConfirms) {
  // 徐超 against a card that prints three characters, read 徐哗超 unsure.
  int calls = 0;
  const RowReading again{"徐晔超", 0.7f};
  EXPECT_EQ(WithRow(Agreement::kUnsure, "徐哗超", 0.74, "徐超", 3, again, &calls),
            Agreement::kMismatch);
  EXPECT_EQ(calls, 1);
  // Only one of the two longer: unsure.
  EXPECT_EQ(WithRow(Agreement::kUnsure, "徐超", 0.74, "徐超", 3, again, &calls),
            Agreement::kUnsure);
  EXPECT_EQ(WithRow(Agreement::kUnsure, "徐哗超", 0.74, "徐超", 2, again, &calls),
            Agreement::kUnsure);
  EXPECT_EQ(calls, 1);
  // So also where the registered name alone aligns well with the line: 叶涵萍 against a card
  // 叶涵萍玙, read 叶涵萍玲 unsure (玙 is not in the recogniser's alphabet).
  EXPECT_EQ(WithRow(Agreement::kMatch, "叶涵萍玲", 0.64, "叶涵萍", 4, RowReading{"叶涵萍玲", 0.6f},
                    &calls),
            Agreement::kMismatch);
  EXPECT_EQ(calls, 2);
  // The row read again as the registered name: still no match where the ink prints more.
  EXPECT_EQ(WithRow(Agreement::kMatch, "叶涵萍玲", 0.64, "叶涵萍", 4, RowReading{"叶涵萍", 0.95f},
                    &calls),
            Agreement::kUnsure);
}

TEST(NameRow, ACharacterTheInkShowsBetweenTwoReadOnesIsOneTheRegisteredNameLacks) {
  // 潘轩 against a card 潘珮轩 read 潘轩 at 1.0: 珮 cannot be output, so the row read again
  // shows 潘轩 too, yet the ink between 潘 and 轩 is a character.
  int calls = 0;
  const RowReading again{"潘轩", 1.0f};
  EXPECT_EQ(WithRow(Agreement::kMatch, "潘轩", 1.0, "潘轩", 3, again, &calls, false, 1),
            Agreement::kMismatch);
  EXPECT_EQ(calls, 1);
  // The same row without ink in the gap (or no gap): the print alone leaves it unsure.
  EXPECT_EQ(WithRow(Agreement::kMatch, "潘轩", 1.0, "潘轩", 3, again, &calls, false, 0),
            Agreement::kUnsure);
  // The card's own name is as long as the print.
  EXPECT_EQ(WithRow(Agreement::kUnsure, "潘轩", 1.0, "潘珮轩", 3, again, &calls, false, 1),
            Agreement::kUnsure);
  EXPECT_EQ(calls, 1);
}

TEST(NameRow, ASecondReadingDecidesAMismatch) {
  int calls = 0;
  // Read the same way again: the mismatch stands.
  EXPECT_EQ(WithRow(Agreement::kMismatch, "卡嘉建", 0.97, "朱嘉建", 3, RowReading{"卡嘉建", 0.97f},
                    &calls),
            Agreement::kMismatch);
  // Read as the registered name, more surely than the first time: the first was the slip.
  EXPECT_EQ(WithRow(Agreement::kMismatch, "卡嘉建", 0.97, "朱嘉建", 3, RowReading{"朱嘉建", 0.998f},
                    &calls),
            Agreement::kMatch);
  // Less surely: the two readings disagree, nobody can say.
  EXPECT_EQ(WithRow(Agreement::kMismatch, "卡嘉建", 0.97, "朱嘉建", 3, RowReading{"朱嘉建", 0.95f},
                    &calls),
            Agreement::kUnsure);
  // No second reading: the first stands.
  EXPECT_EQ(WithRow(Agreement::kMismatch, "卡嘉建", 0.97, "朱嘉建", 3, {}, &calls),
            Agreement::kMismatch);
  EXPECT_EQ(calls, 4);
}

}  // namespace
}  // namespace examphoto
