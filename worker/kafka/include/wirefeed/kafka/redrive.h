// DLQ redrive: dead letters back through the pipeline after a fix (a raised
// limit, a new pipeline version, a repaired upstream).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wirefeed/kafka/worker.h"

namespace wirefeed::kafka {

// The group a redrive named `name` checkpoints in: "wirefeed-redrive-<name>",
// apart from the live group and from replays.
std::string redrive_group_id(const std::string& name);

// Selects DLQ records by their wirefeed-error-code (reasons) and
// wirefeed-error-stage (stages) headers. An empty list takes any value; a record
// must pass both lists.
struct RedriveFilter {
  std::vector<std::string> reasons;
  std::vector<std::string> stages;
  bool matches(std::string_view reason, std::string_view stage) const;
};

struct RedriveOptions {
  Properties consumer;  // connection properties; group.id becomes redrive_group_id(name)
  Properties producer;
  std::string dlq_topic;
  std::string to_topic;  // where redriven records go (the input topic by default)
  std::string name;      // also the wirefeed-redrive-id header
  std::map<std::int32_t, ReplayRange> ranges;  // per DLQ partition: [start, end)
  RedriveFilter filter;
  double max_rate = 0;   // redriven records per second; 0: unlimited
  bool dry_run = false;  // read and count only: nothing produced, nothing checkpointed
  std::size_t max_in_flight = 1000;
  std::chrono::milliseconds checkpoint_interval{1000};
  std::chrono::milliseconds shutdown_deadline{30000};
};

// What a redrive did so far. `by_reason` counts every DLQ record read, by
// wirefeed-error-code ("unknown" without one); `selected_by_reason` those the
// filter took.
struct RedriveStats {
  std::uint64_t read = 0;
  std::uint64_t selected = 0;
  std::uint64_t redriven = 0;    // acknowledged by the destination topic
  std::uint64_t skipped = 0;     // not selected by the filter
  std::uint64_t references = 0;  // reference records whose original was read from its topic
  std::uint64_t lost = 0;        // reference records whose original is gone (retention)
  std::map<std::string, std::uint64_t> by_reason;
  std::map<std::string, std::uint64_t> selected_by_reason;
};

// Reads the planned ranges of the DLQ topic and re-produces each selected
// record's original key, value and headers (redrive_headers()) to `to_topic`.
// For a reference record (dlq_reference.h) the original is read from the input
// topic at the coordinates it names; if retention has removed it, the record is
// counted as lost and logged, and the redrive goes on.
//
// At-least-once, like the worker: a DLQ offset is checkpointed (a commit of the
// redrive's group, with the planned end in its metadata, as replay does) only
// once its record is acknowledged or skipped, as the contiguous watermark per
// partition. A killed redrive started again with the same name resumes at its
// checkpoint; the records between it and the kill are produced again.
//
// run() blocks on the calling thread and owns the clients; request_stop(),
// progress() and stats() are safe from any thread (request_stop() also from a
// signal handler).
class Redrive {
 public:
  explicit Redrive(RedriveOptions options);
  ~Redrive();
  Redrive(const Redrive&) = delete;
  Redrive& operator=(const Redrive&) = delete;

  // kExitOk when every partition reached its end, kExitIncomplete when stopped
  // before, kExitFatal after a delivery or Kafka failure (nothing checkpointed
  // past it). Throws std::invalid_argument for properties librdkafka rejects.
  int run();
  void request_stop() noexcept { stop_.store(true, std::memory_order_relaxed); }
  ReplayProgress progress() const;
  RedriveStats stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<bool> stop_{false};
};

}  // namespace wirefeed::kafka
