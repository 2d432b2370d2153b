// Time as the candidates and the office read it: China Standard Time (UTC+8, no daylight
// saving), so a calendar day there is a fixed window of epoch milliseconds. Every date shown
// to a person, every "per day" limit and every daily figure goes through these functions.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

#include "domain/calendar_date.h"

namespace examphoto {

constexpr int64_t kChinaUtcOffsetMillis = 8LL * 3600 * 1000;
constexpr int64_t kDayMillis = 24LL * 3600 * 1000;

// Days since 1970-01-01 in China time; the same integer division works in SQL on both
// engines ("(t + kChinaUtcOffsetMillis) / kDayMillis").
inline int64_t ChinaDayNumber(int64_t millis) {
  return (millis + kChinaUtcOffsetMillis) / kDayMillis;
}

// Start of the calendar day (China time) that contains `millis`, in epoch milliseconds.
inline int64_t ChinaDayStart(int64_t millis) {
  return ChinaDayNumber(millis) * kDayMillis - kChinaUtcOffsetMillis;
}

// The broken-down China time of `millis` (for formats that need the fields, e.g. ZIP's DOS
// time).
std::tm ChinaCalendarTime(int64_t millis);

// The China calendar date of `millis`.
CalendarDate ChinaDate(int64_t millis);

// `millis` in China time with a strftime format: "%Y-%m-%d %H:%M:%S", "%Y%m%d-%H%M".
std::string FormatChinaTime(int64_t millis, const char* format);

}  // namespace examphoto
