// Rules of the 18-character resident identity number (GB 11643-1999): region code, birth
// date, sequence code whose last digit gives the sex, and the ISO 7064 MOD 11-2 check
// character. Pure functions; "today" is passed in so that the rules never read a clock.
#pragma once

#include <string>
#include <string_view>

#include "domain/calendar_date.h"
#include "domain/result.h"

namespace examphoto {

enum class Sex { kMale, kFemale };

struct IdNumberFacts {
  std::string normalized;   // 18 characters, upper-case X
  std::string region_code;  // first six digits
  CalendarDate birth_date;
  Sex sex = Sex::kMale;
};

// The check character for the first 17 digits (which must be digits).
char IdNumberCheckCharacter(std::string_view first17);

// Whether `text` is exactly 17 digits and the check character that belongs to them (an
// upper-case X for ten): the shape of a whole number as printed, nothing else checked.
bool IdNumberCheckHolds(std::string_view text);

// Validates an ID number and returns what it encodes. Accepts a lower-case x and surrounding
// spaces. Errors: idnumber.format (not 17 digits + digit/X), idnumber.region (unknown
// province), idnumber.birth_date (impossible date, before 1900 or after `today`),
// idnumber.check_digit (wrong check character).
Result<IdNumberFacts> ValidateIdNumber(std::string_view text, const CalendarDate& today);

}  // namespace examphoto
