// The source of time for everything that expires (codes, sessions, limits). Services take
// a Clock so that tests can move time instead of sleeping.
#pragma once

#include <chrono>
#include <cstdint>

namespace examphoto {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMillis() const = 0;  // milliseconds since the Unix epoch
};

class SystemClock : public Clock {
 public:
  int64_t NowMillis() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// China Standard Time has no daylight saving: a calendar day there is a fixed UTC+8 window.
constexpr int64_t kChinaUtcOffsetMillis = 8LL * 3600 * 1000;
constexpr int64_t kDayMillis = 24LL * 3600 * 1000;

// Start of the calendar day (China time) that contains `millis`, in epoch milliseconds.
inline int64_t ChinaDayStart(int64_t millis) {
  const int64_t local = millis + kChinaUtcOffsetMillis;
  return local - (local % kDayMillis) - kChinaUtcOffsetMillis;
}

}  // namespace examphoto
