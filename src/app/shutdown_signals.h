// Owns SIGTERM and SIGINT for the whole life of `examphoto serve`. The constructor installs a
// handler for both that only writes the signal's number to a pipe, and the handler stays
// installed until the process ends, so a signal can never end it abruptly, whatever it is
// doing: starting, loading models, draining, or tearing down. (Blocking the signals instead
// is not enough: libraries start threads before main(), OpenBLAS among them, and the kernel
// delivers a process signal to any thread that does not block it.) One thread reads the
// pipe:
// - the first asks for a graceful stop (on_stop), or is remembered until a handler is set;
// - a second, while the drain goes on, asks to stop now (on_stop_now): connections are
//   closed and the process still exits through its normal teardown with status 0;
// - later ones are logged and ignored, and any arriving after Stop() are dropped.
// One instance per process.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

namespace examphoto {

class ShutdownSignals {
 public:
  ShutdownSignals();
  ~ShutdownSignals();  // calls Stop()
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

  // Sets what a signal does. When a signal came before this call, on_stop runs at once.
  void OnSignal(std::function<void()> on_stop, std::function<void()> on_stop_now);
  // Whether a stop was asked for (a command checks it between slow start-up steps).
  bool stop_requested() const { return signals_seen_.load() > 0; }
  // Stops the watching thread and drops the handlers (they may refer to objects about to be
  // destroyed). The handler stays installed, so signals are dropped until the process ends.
  void Stop();

 private:
  void Watch();

  std::atomic<int> signals_seen_{0};
  std::atomic<bool> stopping_{false};
  int pipe_read_ = -1;
  std::mutex mutex_;
  std::function<void()> on_stop_, on_stop_now_;
  std::thread watcher_;
};

}  // namespace examphoto
