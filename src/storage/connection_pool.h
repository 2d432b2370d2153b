// The pool shared by both engines: a stack of idle connections, a factory for new ones, and
// a bound on how many exist. Broken connections are dropped instead of returned.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "storage/database.h"

namespace examphoto {

class ConnectionPool {
 public:
  using Factory = std::function<std::unique_ptr<Connection>()>;
  ConnectionPool(Factory factory, int max_size, std::chrono::milliseconds acquire_timeout)
      : factory_(std::move(factory)), max_size_(max_size), acquire_timeout_(acquire_timeout) {}

  std::unique_ptr<Connection> Take();
  void Give(std::unique_ptr<Connection> connection);

 private:
  Factory factory_;
  const int max_size_;
  const std::chrono::milliseconds acquire_timeout_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
};

}  // namespace examphoto
