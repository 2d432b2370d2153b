#include "idcard/card_checks.h"

#include <cstdlib>

#include "domain/utf8.h"
#include "idcard/ethnic_groups.h"

namespace examphoto {
namespace {

int AgeOn(const CalendarDate& birth, const CalendarDate& day) {
  int age = day.year - birth.year;
  if (day.month < birth.month || (day.month == birth.month && day.day < birth.day)) --age;
  return age;
}

}  // namespace

int ValidityYearsForAge(int age) {
  if (age < 16) return 5;
  if (age <= 25) return 10;
  if (age <= 45) return 20;
  return 0;
}

std::vector<FieldDoubt> CheckPortraitFields(PortraitFacts& f, const RegionTable& regions,
                                            const CalendarDate& today, bool* address_corrected) {
  std::vector<FieldDoubt> doubts;
  if (!f.id_number.empty()) {
    auto facts = ValidateIdNumber(f.id_number, today);
    if (!facts.ok()) {
      doubts.push_back({"id_number", facts.error().code == "idnumber.check_digit"
                                         ? "idcard.number_check_digit"
                                         : "idcard.number_invalid"});
    } else {
      if (!regions.KnowsProvince(f.id_number))
        doubts.push_back({"id_number", "idcard.number_invalid"});
      if (!f.birth_date.empty() && f.birth_date != facts->birth_date.ToIso()) {
        doubts.push_back({"birth_date", "idcard.birth_date_mismatch"});
      }
      const char* sex = facts->sex == Sex::kMale ? "男" : "女";
      if (!f.sex.empty() && f.sex != sex) doubts.push_back({"sex", "idcard.sex_mismatch"});
    }
  }
  if (!f.ethnicity.empty() && !IsEthnicGroupName(f.ethnicity)) {
    doubts.push_back({"ethnicity", "idcard.ethnicity_unsure"});
  }
  if (!f.address.empty()) {
    const auto region = regions.MatchAddress(f.address);
    if (!region) {
      // Every address starts with a province-level name.
      doubts.push_back({"address", "idcard.address_unsure"});
    } else if (region->substitutions > 0) {
      const std::vector<std::string> characters = SplitUtf8(f.address);
      std::string rest;
      for (size_t i = region->characters; i < characters.size(); ++i) rest += characters[i];
      f.address = region->canonical + rest;
      if (address_corrected) *address_corrected = true;
    }
  }
  return doubts;
}

std::vector<FieldDoubt> CheckAuthority(const std::string& authority) {
  if (authority.empty() || authority.ends_with("局")) return {};
  return {{"authority", "idcard.authority_unsure"}};
}

std::vector<FieldDoubt> CheckEmblemFields(const std::string& valid_from,
                                          const std::string& valid_to,
                                          std::optional<CalendarDate> birth_date,
                                          const CalendarDate& today) {
  std::vector<FieldDoubt> doubts;
  const auto from = ParseCalendarDate(valid_from);
  const bool long_term = valid_to == "长期";
  const auto to = long_term ? std::optional<CalendarDate>() : ParseCalendarDate(valid_to);
  if (!from || (!long_term && !to)) {
    doubts.push_back({"valid_to", "idcard.validity_unreadable"});
    return doubts;
  }
  if (*from > today) doubts.push_back({"valid_from", "idcard.not_yet_valid"});
  int years = 0;
  if (to) {
    years = to->year - from->year;
    // The same day of the same month (29 February ends on the 28th or 1 March).
    const bool same_day = to->month == from->month && to->day == from->day;
    const bool leap_day = from->month == 2 && from->day == 29 &&
                          ((to->month == 2 && to->day == 28) || (to->month == 3 && to->day == 1));
    if ((years != 5 && years != 10 && years != 20) || !(same_day || leap_day)) {
      doubts.push_back({"valid_to", "idcard.validity_inconsistent"});
      return doubts;
    }
  }
  if (birth_date) {
    // The age when the card was applied for may be a little under the age on the issue date.
    const int age = AgeOn(*birth_date, *from);
    const int expected = ValidityYearsForAge(age);
    const int younger = ValidityYearsForAge(std::max(0, age - 1));
    if (years != expected && years != younger) {
      doubts.push_back({"valid_to", "idcard.validity_inconsistent"});
    }
  }
  if (to && *to < today) doubts.push_back({"valid_to", "idcard.expired"});
  return doubts;
}

}  // namespace examphoto
