// Checks the fields of a card against each other, the calendar and the standards: the number's
// check character (GB 11643), its birth date and sex digit against the printed ones, its
// region code (GB/T 2260) and the address's division names, the 56 ethnic groups, and the
// validity period's length against the holder's age at issue (Law on Resident Identity
// Cards, art. 5: under 16 five years, 16–25 ten, 26–45 twenty, 46 and over 长期), and the
// issuing authority's name. Each
// failure names the field it casts doubt on. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/id_number.h"
#include "idcard/region_codes.h"

namespace examphoto {

struct FieldDoubt {
  std::string field;  // kIdCardFieldNames
  std::string code;   // catalogue code of the issue
};

struct PortraitFacts {
  std::string name, sex, ethnicity, birth_date, address, id_number;
};

// Also corrects the address's division names when the table knows them with one character
// different (`address` is updated, and `address_corrected` set).
std::vector<FieldDoubt> CheckPortraitFields(PortraitFacts& fields, const RegionTable& regions,
                                            const CalendarDate& today,
                                            bool* address_corrected = nullptr);

// `birth_date`: the holder's, when known (from the registered number), for the age rule.
std::vector<FieldDoubt> CheckEmblemFields(const std::string& valid_from,
                                          const std::string& valid_to,
                                          std::optional<CalendarDate> birth_date,
                                          const CalendarDate& today);

// The issuing authority is a public security bureau or one of its branches (…公安局,
// …分局): a name read without its final 局 (南岗分 of 南岗分局, the recogniser dropping the
// line's last character) is doubted.
std::vector<FieldDoubt> CheckAuthority(const std::string& authority);

// The validity length (years, 0 for 长期) the law gives at `age` at issue.
int ValidityYearsForAge(int age);

}  // namespace examphoto
