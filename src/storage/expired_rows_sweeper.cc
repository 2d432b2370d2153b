#include "storage/expired_rows_sweeper.h"

#include <spdlog/spdlog.h>

namespace examphoto {

ExpiredRowsSweeper::~ExpiredRowsSweeper() { Stop(); }

void ExpiredRowsSweeper::Start() {
  if (interval_.count() <= 0 || thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void ExpiredRowsSweeper::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

ExpiredLoginRows ExpiredRowsSweeper::RunOnce() {
  return InWriteTransaction(database_, [this](Connection& c) {
    return LoginRepository(c).DeleteExpired(clock_.NowMillis());
  });
}

void ExpiredRowsSweeper::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      const ExpiredLoginRows removed = RunOnce();
      spdlog::info("storage.expired_rows_deleted sms_codes={} sessions={} rate_limits={}",
                   removed.sms_codes, removed.sessions, removed.rate_limits);
    } catch (const DatabaseError& e) {
      spdlog::warn("storage.expired_rows_failed error=\"{}\"", e.what());
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace examphoto
