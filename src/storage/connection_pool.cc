#include "storage/connection_pool.h"

namespace examphoto {

std::unique_ptr<Connection> ConnectionPool::Take() {
  std::unique_lock lock(mutex_);
  const bool got = available_.wait_for(lock, acquire_timeout_,
                                       [&] { return !idle_.empty() || open_ < max_size_; });
  if (!got) {
    throw DatabaseError(DatabaseError::Kind::kUnavailable, "no database connection free in time");
  }
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return connection;
  }
  ++open_;
  lock.unlock();
  try {
    return factory_();
  } catch (...) {
    lock.lock();
    --open_;
    available_.notify_one();
    throw;
  }
}

void ConnectionPool::Give(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(mutex_);
  if (connection->IsBroken()) {
    --open_;
  } else {
    idle_.push_back(std::move(connection));
  }
  available_.notify_one();
}

}  // namespace examphoto
