#include "domain/china_time.h"

#include <gtest/gtest.h>

namespace examphoto {
namespace {

// 2026-10-31T16:00:00Z is 2026-11-01 00:00 in Beijing.
constexpr int64_t kMidnightInBeijing = 1'793'462'400'000;

TEST(ChinaTime, ADayStartsAtMidnightInBeijingNotInUtc) {
  EXPECT_EQ(ChinaDate(kMidnightInBeijing), (CalendarDate{2026, 11, 1}));
  EXPECT_EQ(ChinaDate(kMidnightInBeijing - 1), (CalendarDate{2026, 10, 31}));
  EXPECT_EQ(ChinaDayStart(kMidnightInBeijing + 5 * 3600 * 1000), kMidnightInBeijing);
  EXPECT_EQ(ChinaDayStart(kMidnightInBeijing - 1), kMidnightInBeijing - kDayMillis);
  EXPECT_EQ(ChinaDayNumber(kMidnightInBeijing) - ChinaDayNumber(kMidnightInBeijing - 1), 1);
}

TEST(ChinaTime, FormatsInChinaTime) {
  EXPECT_EQ(FormatChinaTime(kMidnightInBeijing + 61'000, "%Y-%m-%d %H:%M:%S"),
            "2026-11-01 00:01:01");
  EXPECT_EQ(FormatChinaTime(kMidnightInBeijing - 60'000, "%Y%m%d-%H%M"), "20261031-2359");
  EXPECT_EQ(ChinaCalendarTime(kMidnightInBeijing).tm_hour, 0);
}

}  // namespace
}  // namespace examphoto
