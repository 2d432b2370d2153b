// Keeps the login tables from growing for ever: a thread that deletes expired SMS codes,
// ended sessions and old rate-limit windows (LoginRepository::DeleteExpired) right after it
// starts and then every `interval`. Several instances may each run one; the deletes are
// idempotent. A failed run (the database away) is logged and tried again next time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "domain/clock.h"
#include "storage/database.h"
#include "storage/login_repository.h"

namespace examphoto {

class ExpiredRowsSweeper {
 public:
  ExpiredRowsSweeper(Database& database, const Clock& clock, std::chrono::seconds interval)
      : database_(database), clock_(clock), interval_(interval) {}
  ~ExpiredRowsSweeper();

  void Start();  // does nothing when the interval is zero (the clean-up is off)
  void Stop();   // waits for a run in progress
  // One clean-up now, in this thread.
  ExpiredLoginRows RunOnce();

 private:
  void Loop();

  Database& database_;
  const Clock& clock_;
  const std::chrono::seconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace examphoto
