// Per-stage latency histograms that pipeline threads update without contention.
#pragma once

#include <prometheus/metric_family.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace wirefeed::ops {

// A set of histograms, one per stage, sharded per thread: each pipeline thread
// writes only its own cache lines (plain relaxed loads and stores, no locked
// instructions), and a scrape sums the shards. prometheus-cpp's Histogram takes a
// mutex per observation; with two pipeline threads that cost ~300 ns each, ~2 us
// per record over seven stages (bench/micro BM_Metrics_*).
//
// Thread-safe: observe() from any thread; collect() from any thread. Shards live
// as long as the set.
class StageHistograms {
 public:
  static constexpr std::size_t kMaxBuckets = 24;

  StageHistograms(std::string name, std::string help, std::vector<std::string> stages,
                  std::vector<double> bounds);
  ~StageHistograms();
  StageHistograms(const StageHistograms&) = delete;
  StageHistograms& operator=(const StageHistograms&) = delete;

  void observe(std::size_t stage, double seconds);
  prometheus::MetricFamily collect() const;

  struct Totals {
    std::uint64_t count = 0;
    double sum = 0;
  };
  Totals totals(std::size_t stage) const;

 private:
  struct alignas(64) Cell {
    std::array<std::atomic<std::uint64_t>, kMaxBuckets + 1> buckets{};  // last: +Inf
    std::atomic<double> sum{0};
  };
  struct Shard {
    explicit Shard(std::size_t stages) : cells(stages) {}
    std::vector<Cell> cells;
  };
  Shard& shard();

  std::string name_, help_;
  std::vector<std::string> stages_;
  std::vector<double> bounds_;
  std::uint64_t id_;  // tells thread-local caches apart across instances
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace wirefeed::ops
