// Replay planning: which offsets of which partitions a backfill reprocesses.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "wirefeed/kafka/properties.h"

namespace wirefeed::kafka {

// A position in a topic as the user names it (--from / --to).
struct PositionSpec {
  enum class Kind { kBeginning, kEnd, kTimestamp, kOffsets };
  Kind kind = Kind::kBeginning;
  std::int64_t timestamp_ms = 0;                 // kTimestamp (durations resolve to one)
  std::map<std::int32_t, std::int64_t> offsets;  // kOffsets: partition -> offset
};

// Parses SPEC: `beginning`, `end`, an RFC 3339 timestamp (2026-11-27T04:00:00Z,
// with fractional seconds or a ±HH:MM offset; a bare date is midnight UTC), a
// duration back from `now` (90s, 30m, 6h, 7d, 2w), or offsets per partition
// (0:1200,3:88). Throws std::invalid_argument with a one-line message.
PositionSpec parse_position(const std::string& spec, std::chrono::system_clock::time_point now);

// One partition's replay range [start, end), with the watermarks seen at planning.
struct PartitionPlan {
  std::int32_t partition = 0;
  std::int64_t low = 0;    // first offset still in the log
  std::int64_t high = 0;   // end of the log when planned
  std::int64_t start = 0;  // first offset to process (after any checkpoint)
  std::int64_t end = 0;    // first offset NOT to process
  std::int64_t from = 0;   // where the range began before any checkpoint
  bool resumed = false;    // start came from a checkpoint
  std::int64_t records() const { return end > start ? end - start : 0; }
};

struct ReplayPlan {
  std::string topic;
  std::string name;
  std::vector<PartitionPlan> partitions;
  std::int64_t records() const;
  std::int64_t total() const;    // records of the whole range, checkpoint or not
  std::string describe() const;  // a table for --dry-run and logs
};

// What the planner needs from Kafka, as functions so the decision logic is
// testable apart from the I/O. The production implementation is KafkaPlanSource.
struct PlanSource {
  // Partitions of the topic.
  std::function<std::vector<std::int32_t>()> partitions;
  // Low and high watermarks.
  std::function<std::pair<std::int64_t, std::int64_t>(std::int32_t)> watermarks;
  // The broker's offsets-for-times answer: the first offset with timestamp >= ts,
  // or -1 when it cannot tell (librdkafka's mock always says -1).
  std::function<std::int64_t(std::int32_t, std::int64_t)> offset_for_time;
  // One record at or after `offset`: its actual offset and timestamp (nullopt past the end).
  std::function<std::optional<std::pair<std::int64_t, std::int64_t>>(std::int32_t, std::int64_t)>
      record_at;
  // Checkpoints of the replay's group: partition -> (next offset, saved end).
  std::function<std::map<std::int32_t, std::pair<std::int64_t, std::int64_t>>()> checkpoints;
};

// The first offset in [low, high) whose record timestamp is >= ts, by binary
// search over single-record fetches (O(log n) fetches). Assumes timestamps are
// non-decreasing within the partition, as producers' CreateTime almost always is.
std::int64_t find_offset_for_time(const PlanSource& source, std::int32_t partition,
                                  std::int64_t low, std::int64_t high, std::int64_t ts,
                                  int* fetches = nullptr);

// Builds the plan. `partitions` filters (empty: all). With `restart` false, a
// partition with a checkpoint resumes at it and keeps the end it was planned
// with. Throws std::invalid_argument for a partition that does not exist.
ReplayPlan make_plan(const std::string& topic, const std::string& name, const PlanSource& source,
                     const PositionSpec& from, const std::optional<PositionSpec>& to,
                     const std::vector<std::int32_t>& partitions, bool restart);

// The checkpoint metadata stored with each committed offset: the planned end.
std::string checkpoint_metadata(std::int64_t end);
std::optional<std::int64_t> parse_checkpoint_metadata(const std::string& metadata);

// A token bucket for --max-rate: records per second, with a burst of one second.
// Time is passed in, so the logic is tested with an injected clock.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RateLimiter(double per_second, Clock::time_point now);
  // How many of `wanted` records may go now (taken from the bucket).
  std::size_t acquire(std::size_t wanted, Clock::time_point now);
  // Gives back tokens acquired but not used (fewer records arrived than allowed).
  void refund(std::size_t n) {
    if (!unlimited()) tokens_ = std::min(capacity_, tokens_ + static_cast<double>(n));
  }
  // How long until at least one record may go.
  std::chrono::nanoseconds wait_time(Clock::time_point now) const;
  bool unlimited() const { return rate_ <= 0; }

 private:
  void refill(Clock::time_point now);
  double rate_;
  double capacity_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace wirefeed::kafka

namespace wirefeed::kafka {

// The replay group id for a replay name: checkpoints live there, apart from the
// live consumer group.
std::string replay_group_id(const std::string& name);

// A PlanSource over a real cluster. `consumer` holds the connection properties
// (bootstrap, security); group.id is replaced by the replay's group. Uses one
// consumer that never joins a group (assign only). Not thread-safe.
PlanSource kafka_plan_source(const Properties& consumer, const std::string& topic,
                             const std::string& name,
                             std::chrono::milliseconds timeout = std::chrono::seconds(10));
// The same with the checkpoints of `group_id` (redrive keeps its own group).
PlanSource kafka_plan_source_for_group(
    const Properties& consumer, const std::string& topic, const std::string& group_id,
    std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace wirefeed::kafka
