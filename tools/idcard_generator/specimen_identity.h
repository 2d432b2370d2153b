// Fake identities for specimen ID cards: names (2–4 characters, a few rare ones), sex, one of
// the 56 ethnic groups, birth date, a multi-line address, an 18-character number with a
// valid check character, the issuing authority and a validity period. Test data only.
#pragma once

#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "domain/id_number.h"

namespace examphoto::testing {

struct SpecimenIdentity {
  std::string name;
  Sex sex = Sex::kMale;
  std::string ethnicity;  // without 族, e.g. "汉", "维吾尔"
  CalendarDate birth_date;
  std::string address;  // one string; the renderer breaks it into lines
  std::string id_number;
  std::string authority;  // 签发机关
  CalendarDate valid_from;
  std::optional<CalendarDate> valid_to;  // nullopt: 长期
};

// A random identity whose card is valid on `today` (or expired when `expired`); born on
// `birth_date` when given (the validity period follows from the age at issue either way).
SpecimenIdentity MakeRandomIdentity(std::mt19937& rng, const CalendarDate& today,
                                    bool expired = false,
                                    std::optional<CalendarDate> birth_date = std::nullopt);

// Rebuilds the number for the identity's region, birth date and sex (valid check character).
std::string MakeIdNumber(std::mt19937& rng, const std::string& region_code,
                         const CalendarDate& birth_date, Sex sex);

// The rare name characters the generator mixes in (some outside the OCR recogniser's
// character list); the benchmark reports names with and without them.
bool IsRareNameCharacter(std::string_view character);

// "2015.03.01-2035.03.01" or "2015.03.01-长期".
std::string ValidityText(const SpecimenIdentity& identity);

}  // namespace examphoto::testing
