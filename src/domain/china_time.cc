#include "domain/china_time.h"

namespace examphoto {

std::tm ChinaCalendarTime(int64_t millis) {
  // Floor division, so that instants before 1970 land in the right second too.
  int64_t local = millis + kChinaUtcOffsetMillis;
  const std::time_t seconds =
      static_cast<std::time_t>(local >= 0 ? local / 1000 : (local - 999) / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return tm;
}

CalendarDate ChinaDate(int64_t millis) {
  const std::tm tm = ChinaCalendarTime(millis);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

std::string FormatChinaTime(int64_t millis, const char* format) {
  const std::tm tm = ChinaCalendarTime(millis);
  char text[64];
  const size_t length = std::strftime(text, sizeof text, format, &tm);
  return std::string(text, length);
}

}  // namespace examphoto
