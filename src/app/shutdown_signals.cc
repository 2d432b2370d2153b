#include "app/shutdown_signals.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace examphoto {
namespace {

// The write end, for the handler; set once, before the handler is installed.
int signal_pipe_write = -1;

void OnStopSignal(int signal) {
  const int saved_errno = errno;
  const auto byte = static_cast<unsigned char>(signal);
  // Non-blocking: if nobody reads any more (after Stop) and the pipe is full, drop it.
  [[maybe_unused]] const ssize_t written = ::write(signal_pipe_write, &byte, 1);
  errno = saved_errno;
}

}  // namespace

ShutdownSignals::ShutdownSignals() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw std::system_error(errno, std::generic_category(), "signal pipe");
  }
  pipe_read_ = fds[0];
  signal_pipe_write = fds[1];
  struct sigaction action {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  watcher_ = std::thread([this] { Watch(); });
}

ShutdownSignals::~ShutdownSignals() { Stop(); }

void ShutdownSignals::OnSignal(std::function<void()> on_stop, std::function<void()> on_stop_now) {
  std::unique_lock lock(mutex_);
  on_stop_ = std::move(on_stop);
  on_stop_now_ = std::move(on_stop_now);
  if (signals_seen_.load() > 0 && on_stop_) {
    auto run = on_stop_;
    lock.unlock();
    run();
  }
}

void ShutdownSignals::Stop() {
  stopping_ = true;
  if (watcher_.joinable()) watcher_.join();
  std::lock_guard lock(mutex_);
  on_stop_ = nullptr;
  on_stop_now_ = nullptr;
}

void ShutdownSignals::Watch() {
  while (!stopping_) {
    // A short wait keeps Stop() prompt without a signal to wake this thread.
    pollfd ready{pipe_read_, POLLIN, 0};
    if (::poll(&ready, 1, 100) <= 0) continue;
    unsigned char byte = 0;
    if (::read(pipe_read_, &byte, 1) != 1) continue;
    const int signal = byte;
    const int seen = signals_seen_.fetch_add(1) + 1;
    std::function<void()> action;
    {
      std::lock_guard lock(mutex_);
      action = seen == 1 ? on_stop_ : (seen == 2 ? on_stop_now_ : nullptr);
    }
    if (seen == 1) {
      spdlog::info("server.signal signal={} draining", signal);
    } else if (seen == 2) {
      spdlog::warn("server.signal_again signal={} stopping_now (open connections are closed)",
                   signal);
    } else {
      spdlog::warn("server.signal_again signal={} ignored (already stopping)", signal);
    }
    if (action) action();
  }
}

}  // namespace examphoto
