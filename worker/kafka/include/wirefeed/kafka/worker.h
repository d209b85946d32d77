// The long-running worker: consume -> pipeline -> produce, at-least-once.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wirefeed/core/pipeline.h"
#include "wirefeed/core/worker_observer.h"
#include "wirefeed/kafka/header_propagation.h"
#include "wirefeed/kafka/properties.h"

namespace wirefeed::kafka {

// Replay mode: the worker assigns partitions itself (no group membership, so the
// live group is never disturbed), processes [start, end) of each, checkpoints its
// progress as committed offsets of its own group id (with the planned end in the
// commit metadata) and stops when every partition reached its end.
struct ReplayRange {
  std::int64_t start = 0;
  std::int64_t end = 0;
};
struct ReplayOptions {
  std::map<std::int32_t, ReplayRange> ranges;
  std::string replay_id;  // the wirefeed-replay-id header of every record produced
  double max_rate = 0;    // records per second; 0: unlimited
  std::chrono::milliseconds checkpoint_interval{1000};
};

struct ReplayProgress {
  std::map<std::int32_t, ReplayRange> ranges;
  std::map<std::int32_t, std::int64_t> next;  // first offset not yet done, per partition
  std::int64_t remaining() const;
  std::int64_t total() const;
  bool complete() const { return remaining() == 0; }
};

struct WorkerOptions {
  Properties consumer;  // librdkafka consumer properties (common merged in)
  Properties producer;  // librdkafka producer properties (common merged in)
  std::string input_topic;
  std::string output_topic;
  std::string dlq_topic;
  std::size_t threads = 1;
  std::size_t batch_size = 500;
  std::size_t max_in_flight = 20000;
  std::chrono::milliseconds shutdown_deadline{30000};
  std::chrono::milliseconds stuck_after{120000};
  bool statistics = true;               // ask librdkafka for statistics (consumer lag)
  std::optional<ReplayOptions> replay;  // set: replay mode (see ReplayOptions)
  // processing.guarantee: exactly_once. Each batch's outputs, DLQ records and
  // input offsets go in one Kafka transaction (the producer needs
  // transactional.id). Not with replay (checkpoints are plain commits).
  bool exactly_once = false;
  // output.headers.propagate: input headers the enriched record carries after
  // wirefeed's own (all by default).
  HeaderPropagation output_headers;
};

// Exit codes of Worker::run().
inline constexpr int kExitOk = 0;
inline constexpr int kExitFatal = 1;
inline constexpr int kExitDeadline = 3;    // shutdown deadline passed with records unacknowledged
inline constexpr int kExitIncomplete = 4;  // replay stopped before every partition reached its end

// The observer and health interfaces live in core, so ops (metrics, the HTTP
// server) depends on core alone, never on the Kafka layer.
using core::Health;
using core::WorkerObserver;

struct WorkerCounters {
  std::uint64_t consumed = 0;
  std::uint64_t produced = 0;  // output records acknowledged
  std::uint64_t dlq = 0;       // DLQ records acknowledged
  std::uint64_t in_flight = 0;
  // Exactly-once mode: transactions committed, and aborted (then redone).
  std::uint64_t transactions_committed = 0;
  std::uint64_t transactions_aborted = 0;
  // Times the in-flight bound paused the assigned partitions (the output side
  // stalled for longer than the pause rule allows).
  std::uint64_t backpressure_pauses = 0;
};

// The worker. run() blocks on the calling thread (the poll thread) and owns the
// librdkafka clients; request_stop(), health() and counters() are safe from any
// thread (request_stop() also from a signal handler). The pipeline and observer
// must outlive the worker.
//
// Delivery (at-least-once, the default): an input offset is committed only when
// its output (or DLQ) record is acknowledged, and only as the contiguous
// watermark per partition. A delivery that fails for good stops the worker
// (exit code 1) without storing past the failed record; a restart reprocesses it.
//
// Exactly-once (WorkerOptions::exactly_once): each polled batch is one
// transaction holding its output and DLQ records and its input offsets
// (send_offsets_to_transaction with the consumer's group metadata, so a zombie
// of an older group generation is fenced). An abortable error aborts the
// transaction and rewinds the assigned partitions to their committed offsets,
// so the batch is redone; a fatal one (a fenced producer) stops the worker
// with exit code 1. Transactions never span a poll, so rebalances always find
// none open.
class Worker {
 public:
  Worker(WorkerOptions options, const core::Pipeline& pipeline, WorkerObserver* observer);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Returns the process exit code (kExit*): 0 after a clean stop (in replay mode:
  // after every partition reached its end), 1 after a fatal error.
  // Throws std::invalid_argument for a property librdkafka rejects.
  int run();
  void request_stop() noexcept { stop_requested_.store(true, std::memory_order_relaxed); }
  Health health() const;
  WorkerCounters counters() const;
  ReplayProgress replay_progress() const;  // replay mode only; empty otherwise
  // Exactly-once mode: the input offsets (next to consume, per partition) the
  // committed transactions carried. Empty in other modes.
  std::map<std::int32_t, std::int64_t> transaction_offsets() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<bool> stop_requested_{false};
};

// The librdkafka properties the worker sets unless the user did, and the ones it
// insists on (enable.auto.offset.store=false). Exposed for `run --check`.
// In exactly-once mode the consumer never commits by itself and the producer is
// transactional (transactional.id required).
Properties effective_consumer_properties(const Properties& user, bool statistics,
                                         bool exactly_once = false);
Properties effective_producer_properties(const Properties& user, bool exactly_once = false);

}  // namespace wirefeed::kafka
