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

}  // namespace examphoto
