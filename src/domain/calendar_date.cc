#include "domain/calendar_date.h"

#include <array>
#include <cctype>
#include <cstdio>

#include "domain/text.h"

namespace examphoto {

std::string CalendarDate::ToIso() const {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

bool IsValidCalendarDate(int year, int month, int day) {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days_in_month = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= days_in_month;
}

std::optional<CalendarDate> ParseCalendarDate(std::string_view text) {
  text = Trim(text);
  std::string digits;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    } else if (c != '-' && c != '.' && c != '/') {
      return std::nullopt;
    }
  }
  if (digits.size() != 8) return std::nullopt;
  if (text.size() != 8 && text.size() != 10) return std::nullopt;
  CalendarDate date{std::stoi(digits.substr(0, 4)), std::stoi(digits.substr(4, 2)),
                    std::stoi(digits.substr(6, 2))};
  if (!IsValidCalendarDate(date.year, date.month, date.day)) return std::nullopt;
  return date;
}

}  // namespace examphoto
