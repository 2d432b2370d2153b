// Request metrics in Prometheus text format: requests by route and status, a latency
// histogram per route, requests in flight. Thread-safe; recording is a short critical
// section per request.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace examphoto {

class Metrics {
 public:
  void RequestStarted() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void RequestFinished(const std::string& method, const std::string& route, int status,
                       std::chrono::nanoseconds duration);
  // Extra gauges provided by other parts (queue depth, ...), rendered as is.
  void SetGauge(const std::string& name, double value);
  int64_t InFlight() const { return in_flight_.load(std::memory_order_relaxed); }
  std::string Render() const;

 private:
  static constexpr std::array<double, 14> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
  };
  std::atomic<int64_t> in_flight_{0};
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::map<std::string, double> gauges_;
};

}  // namespace examphoto
