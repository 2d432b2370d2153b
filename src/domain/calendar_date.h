// A date of the Gregorian calendar as printed on ID cards and rosters, without a time zone
// (china_time.h says which day it is now in China).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace examphoto {

struct CalendarDate {
  int year = 0;
  int month = 0;
  int day = 0;
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
  auto operator<=>(const CalendarDate&) const = default;
  std::string ToIso() const;  // "1990-01-31"
};

bool IsValidCalendarDate(int year, int month, int day);

// Parses "YYYYMMDD", "YYYY-MM-DD" or "YYYY.MM.DD".
std::optional<CalendarDate> ParseCalendarDate(std::string_view text);

}  // namespace examphoto
