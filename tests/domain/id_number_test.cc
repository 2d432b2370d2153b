#include "domain/id_number.h"

#include <gtest/gtest.h>

namespace examphoto {
namespace {

const CalendarDate kToday{2026, 11, 25};

TEST(IdNumber, ComputesCheckCharacterOfKnownNumbers) {
  // Published GB 11643 examples.
  EXPECT_EQ(IdNumberCheckCharacter("11010519491231002"), 'X');
  EXPECT_EQ(IdNumberCheckCharacter("44052418800101001"), '4');
}

TEST(IdNumber, TellsTheShapeOfAWholeNumberAsPrinted) {
  EXPECT_TRUE(IdNumberCheckHolds("11010519491231002X"));
  EXPECT_TRUE(IdNumberCheckHolds("440524188001010014"));
  EXPECT_FALSE(IdNumberCheckHolds("11010519491231002x"));   // as printed: upper-case X
  EXPECT_FALSE(IdNumberCheckHolds("440524188001010015"));   // the check character differs
  EXPECT_FALSE(IdNumberCheckHolds("9830102125"));           // a part of a number
  EXPECT_FALSE(IdNumberCheckHolds("4405241880010100144"));  // one too many
  EXPECT_FALSE(IdNumberCheckHolds("44052418800101O014"));   // a letter O among the digits
  EXPECT_FALSE(IdNumberCheckHolds(""));
}

TEST(IdNumber, AcceptsValidNumberAndReadsBirthDateAndSex) {
  auto facts = ValidateIdNumber("11010519491231002X", kToday);
  ASSERT_TRUE(facts.ok()) << facts.error().code;
  EXPECT_EQ(facts->region_code, "110105");
  EXPECT_EQ(facts->birth_date, (CalendarDate{1949, 12, 31}));
  EXPECT_EQ(facts->sex, Sex::kFemale);  // 17th digit 2 is even

  const std::string male_first17 = "11010119900307123";  // sequence 123: odd, male
  auto male = ValidateIdNumber(male_first17 + IdNumberCheckCharacter(male_first17), kToday);
  ASSERT_TRUE(male.ok());
  EXPECT_EQ(male->sex, Sex::kMale);
}

TEST(IdNumber, AcceptsLowerCaseXAndSurroundingSpaces) {
  auto facts = ValidateIdNumber("  11010519491231002x ", kToday);
  ASSERT_TRUE(facts.ok());
  EXPECT_EQ(facts->normalized, "11010519491231002X");
}

TEST(IdNumber, RejectsWrongCheckCharacter) {
  auto result = ValidateIdNumber("110105194912310021", kToday);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "idnumber.check_digit");
  EXPECT_EQ(result.error().kind, ErrorKind::kInvalidInput);
  EXPECT_FALSE(result.error().message.empty());
  EXPECT_FALSE(result.error().hint.empty());
}

TEST(IdNumber, RejectsWrongLengthAndLetters) {
  EXPECT_EQ(ValidateIdNumber("11010519491231002", kToday).error().code, "idnumber.format");
  EXPECT_EQ(ValidateIdNumber("1101051949123100XX", kToday).error().code, "idnumber.format");
  EXPECT_EQ(ValidateIdNumber("11010519491231002Y", kToday).error().code, "idnumber.format");
  EXPECT_EQ(ValidateIdNumber("", kToday).error().code, "idnumber.format");
}

TEST(IdNumber, RejectsImpossibleBirthDates) {
  auto with_date = [](std::string date) {
    std::string first17 = "110105" + date + "002";
    return first17 + IdNumberCheckCharacter(first17);
  };
  EXPECT_TRUE(ValidateIdNumber(with_date("20000229"), kToday).ok());  // leap year
  EXPECT_EQ(ValidateIdNumber(with_date("19000229"), kToday).error().code, "idnumber.birth_date");
  EXPECT_EQ(ValidateIdNumber(with_date("19901301"), kToday).error().code, "idnumber.birth_date");
  EXPECT_EQ(ValidateIdNumber(with_date("19900431"), kToday).error().code, "idnumber.birth_date");
  EXPECT_EQ(ValidateIdNumber(with_date("18991231"), kToday).error().code, "idnumber.birth_date");
  EXPECT_EQ(ValidateIdNumber(with_date("20261126"), kToday).error().code, "idnumber.birth_date");
}

TEST(IdNumber, RejectsUnknownProvince) {
  std::string first17 = "990105194912310020";
  first17.resize(17);
  auto result = ValidateIdNumber(first17 + IdNumberCheckCharacter(first17), kToday);
  EXPECT_EQ(result.error().code, "idnumber.region");
}

TEST(CalendarDate, ParsesTheFormsPrintedOnCards) {
  EXPECT_EQ(ParseCalendarDate("2020.01.31"), (CalendarDate{2020, 1, 31}));
  EXPECT_EQ(ParseCalendarDate("2020-01-31"), (CalendarDate{2020, 1, 31}));
  EXPECT_EQ(ParseCalendarDate("20200131"), (CalendarDate{2020, 1, 31}));
  EXPECT_FALSE(ParseCalendarDate("2020.02.30"));
  EXPECT_FALSE(ParseCalendarDate("2020.1.31"));
  EXPECT_FALSE(ParseCalendarDate("长期"));
}

}  // namespace
}  // namespace examphoto
