#include "domain/id_number.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "domain/messages.h"
#include "domain/text.h"

namespace examphoto {
namespace {

// Province-level codes of GB/T 2260 (first two digits), plus 83 used on the residence
// permits of Taiwan residents, which share the number format.
bool IsKnownProvinceCode(int code) {
  static constexpr std::array<int, 35> kCodes = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                                 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                                 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83};
  for (int c : kCodes) {
    if (c == code) return true;
  }
  return false;
}

}  // namespace

char IdNumberCheckCharacter(std::string_view first17) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  static constexpr std::string_view kCheck = "10X98765432";
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheck[sum % 11];
}

bool IdNumberCheckHolds(std::string_view text) {
  if (text.size() != 18) return false;
  const std::string_view first17 = text.substr(0, 17);
  return std::all_of(first17.begin(), first17.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
         IdNumberCheckCharacter(first17) == text[17];
}

Result<IdNumberFacts> ValidateIdNumber(std::string_view text, const CalendarDate& today) {
  text = Trim(text);
  if (text.size() != 18) return MakeError(ErrorKind::kInvalidInput, "idnumber.format");
  std::string normalized(text);
  for (size_t i = 0; i < 17; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(normalized[i]))) {
      return MakeError(ErrorKind::kInvalidInput, "idnumber.format");
    }
  }
  if (normalized[17] == 'x') normalized[17] = 'X';
  if (!std::isdigit(static_cast<unsigned char>(normalized[17])) && normalized[17] != 'X') {
    return MakeError(ErrorKind::kInvalidInput, "idnumber.format");
  }
  if (!IsKnownProvinceCode(std::stoi(normalized.substr(0, 2)))) {
    return MakeError(ErrorKind::kInvalidInput, "idnumber.region");
  }
  auto birth = ParseCalendarDate(std::string_view(normalized).substr(6, 8));
  if (!birth || birth->year < 1900 || *birth > today) {
    return MakeError(ErrorKind::kInvalidInput, "idnumber.birth_date");
  }
  if (IdNumberCheckCharacter(normalized) != normalized[17]) {
    return MakeError(ErrorKind::kInvalidInput, "idnumber.check_digit");
  }
  IdNumberFacts facts;
  facts.region_code = normalized.substr(0, 6);
  facts.birth_date = *birth;
  facts.sex = ((normalized[16] - '0') % 2 == 1) ? Sex::kMale : Sex::kFemale;
  facts.normalized = std::move(normalized);
  return facts;
}

}  // namespace examphoto
