// Helpers for tests that run the worker on an embedded (mock) Kafka cluster.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "test_support.h"
#include "wirefeed/kafka/embedded_cluster.h"
#include "wirefeed/kafka/record_io.h"
#include "wirefeed/kafka/worker.h"
#include "wirefeed/stages/registry.h"

namespace wirefeed::testing {

inline bool wait_until(const std::function<bool()>& done,
                       std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

// Counts what the worker reports; records the largest in-flight figure seen.
class RecordingObserver : public kafka::WorkerObserver {
 public:
  void on_consumed(std::int32_t, std::size_t) override { ++consumed; }
  void on_produced() override { ++produced; }
  void on_emitted(std::int32_t, std::int64_t, std::optional<std::int64_t>, std::int64_t) override {
    ++emitted;
  }
  void on_dlq(std::string_view) override { ++dlq; }
  void on_in_flight(std::size_t n) override {
    std::size_t prev = max_in_flight.load();
    while (n > prev && !max_in_flight.compare_exchange_weak(prev, n)) {
    }
  }
  void on_rebalance(std::string_view kind, std::size_t n) override {
    if (kind == "assign") {
      ++assigns;
      assigned += static_cast<long>(n);
    } else {
      assigned -= static_cast<long>(n);
    }
  }
  void on_kafka_error(std::string_view code) override {
    ++kafka_errors;
    // The embedded cluster's coordinator refuses every offset commit while a
    // rebalance is in progress. Apache Kafka's coordinator accepts a member's
    // commit with the current generation while a rebalance is being prepared
    // and refuses it only while the rebalance completes (as discussed in the
    // review of apache/kafka#7761), so a real broker refuses fewer.
    if (code == "REBALANCE_IN_PROGRESS") ++commits_refused_in_rebalance;
  }
  void on_transaction(std::string_view outcome, double) override {
    ++(outcome == "committed" ? transactions_committed : transactions_aborted);
  }
  void on_statistics(std::string_view) override {}
  void on_revoked(std::int32_t partition) override {
    std::lock_guard lock(mu);
    revoked_partitions.insert(partition);
  }
  std::set<std::int32_t> revoked() const {
    std::lock_guard lock(mu);
    return revoked_partitions;
  }

  std::atomic<std::size_t> consumed{0}, produced{0}, emitted{0}, dlq{0}, max_in_flight{0},
      assigns{0}, kafka_errors{0}, commits_refused_in_rebalance{0}, transactions_committed{0},
      transactions_aborted{0};
  std::atomic<long> assigned{0};  // partitions currently owned
  mutable std::mutex mu;
  std::set<std::int32_t> revoked_partitions;  // every partition revoked so far
};

// A worker on its own thread, with its own pipeline.
class RunningWorker {
 public:
  RunningWorker(kafka::WorkerOptions options,
                std::vector<std::string> stages = stages::default_stage_names(),
                stages::StageOptions stage_options = {})
      : pipeline_(stages::build_pipeline(stages, stage_options)),
        worker_(std::move(options), *pipeline_, &observer_) {
    thread_ = std::thread([this] { exit_code_ = worker_.run(); });
  }
  ~RunningWorker() { stop(); }
  int stop() {
    worker_.request_stop();
    if (thread_.joinable()) thread_.join();
    return exit_code_;
  }
  // Waits for the worker to end by itself (a fatal error); returns its exit code.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
    if (!wait_until([&] { return finished(); }, timeout)) return std::nullopt;
    thread_.join();
    return exit_code_.load();
  }
  bool finished() const { return exit_code_.load() != kRunning; }
  kafka::Worker& worker() { return worker_; }
  RecordingObserver& observer() { return observer_; }

 private:
  static constexpr int kRunning = -1000;
  RecordingObserver observer_;
  std::unique_ptr<core::Pipeline> pipeline_;
  kafka::Worker worker_;
  std::atomic<int> exit_code_{kRunning};
  std::thread thread_;
};

// Sample articles as Kafka records keyed by their id, plus the seed (plain text).
inline std::vector<kafka::Record> sample_records() {
  std::vector<kafka::Record> out;
  for (const auto& line : read_lines(source_path("data/samples/articles.jsonl"))) {
    kafka::Record r;
    std::size_t at = line.find("\"id\":\"") + 6;
    r.key = line.substr(at, line.find('"', at) - at);
    r.value = line;
    out.push_back(std::move(r));
  }
  kafka::Record seed;
  seed.key = "seed";
  seed.value = read_file(source_path("data/samples/seed.txt"));
  out.push_back(std::move(seed));
  return out;
}

// `n` small synthetic articles with distinct ids "gen-<i>" (for volume tests).
inline std::vector<kafka::Record> generated_records(std::size_t n, std::size_t start = 0) {
  std::vector<kafka::Record> out;
  for (std::size_t i = start; i < start + n; ++i) {
    kafka::Record r;
    r.key = "gen-" + std::to_string(i);
    r.value = R"({"id":"gen-)" + std::to_string(i) + R"(","title":"Item )" + std::to_string(i) +
              R"(","body":"Markets moved on Thursday. Analysts said the rally was broad. )"
              R"(Shares rose 3 percent in Frankfurt."})";
    out.push_back(std::move(r));
  }
  return out;
}

// Identifies an input record by its source partition and offset.
using SourcePos = std::pair<std::int32_t, std::int64_t>;

// The input positions accounted for by output records (from `source`) and DLQ
// records (from wirefeed-source-* headers).
inline std::multiset<SourcePos> accounted_positions(const std::vector<kafka::Record>& outputs,
                                                    const std::vector<kafka::Record>& dlq) {
  std::multiset<SourcePos> seen;
  for (const auto& r : outputs) {
    auto p = r.value.find("\"source\":{\"topic\":");
    EXPECT_NE(p, std::string::npos);
    auto part = r.value.find("\"partition\":", p) + 12;
    auto off = r.value.find("\"offset\":", p) + 9;
    seen.insert({std::stoi(r.value.substr(part)), std::stoll(r.value.substr(off))});
  }
  for (const auto& r : dlq) {
    seen.insert({std::stoi(r.header("wirefeed-source-partition").value_or("-1")),
                 std::stoll(r.header("wirefeed-source-offset").value_or("-1"))});
  }
  return seen;
}

// The end offset (last offset + 1) of every partition of `topic` that holds records.
inline std::map<std::int32_t, std::int64_t> end_offsets(const std::string& bootstrap,
                                                        const std::string& topic) {
  std::map<std::int32_t, std::int64_t> ends;
  for (const auto& r : kafka::read_records(bootstrap, topic))
    ends[r.partition] = std::max(ends[r.partition], r.offset + 1);
  return ends;
}

// Distinct input positions accounted for (duplicates counted once).
inline std::size_t distinct_positions(const std::vector<kafka::Record>& outputs,
                                      const std::vector<kafka::Record>& dlq) {
  auto seen = accounted_positions(outputs, dlq);
  return std::set<SourcePos>(seen.begin(), seen.end()).size();
}

}  // namespace wirefeed::testing
