// Replay: the worker assigns the planned ranges itself (no group membership,
// so the live group is never disturbed), checkpoints its progress as commits
// of its own group id with the planned end in the commit metadata, takes
// records no faster than --max-rate, and is finished when every partition
// reached its end.
#include <mutex>
#include <optional>

#include "wirefeed/kafka/commit_policy.h"
#include "wirefeed/kafka/replay_plan.h"
#include "wirefeed/ops/log.h"

namespace wirefeed::kafka {
namespace {

using Clock = std::chrono::steady_clock;
using ops::log_info;
using ops::log_warn;

class ReplayCheckpoints final : public CommitPolicy {
 public:
  ReplayCheckpoints(WorkerState& state, Consumer& consumer)
      : state_(state), consumer_(consumer), replay_(*state.options.replay) {}

  void adjust_consumer_properties(Properties& p) const override {
    // Checkpoints are explicit commits carrying the planned end as metadata; the
    // end-of-partition event tells when a range ends in offsets without records.
    p["enable.auto.commit"] = "false";
    p["enable.partition.eof"] = "true";
  }
  bool joins_group() const override { return false; }
  void start() override;

  std::size_t admit(std::size_t room, std::chrono::milliseconds& wait) override {
    if (!limiter_) return room;
    std::size_t allowed = limiter_->acquire(room, Clock::now());
    // --max-rate: wait for tokens instead of taking records; nothing is dropped.
    if (allowed == 0)
      wait =
          std::chrono::duration_cast<std::chrono::milliseconds>(limiter_->wait_time(Clock::now()));
    return allowed;
  }
  void refund(std::size_t unused) override {
    if (limiter_ && unused > 0) limiter_->refund(unused);
  }

  bool wants(const rd_kafka_message_t& m) override {
    auto range = replay_.ranges.find(m.partition);
    if (range != replay_.ranges.end() && m.offset < range->second.end) return true;
    // Past the planned end: not this replay's work. Never dispatched, so
    // never checkpointed.
    finish_partition(m.partition);
    return false;
  }
  void on_partition_eof(std::int32_t partition, std::int64_t offset) override {
    auto range = replay_.ranges.find(partition);
    if (range != replay_.ranges.end() && offset >= range->second.end) finish_partition(partition);
  }

  void delivered_up_to(std::int32_t partition, std::int64_t next) override {
    {
      std::lock_guard lock(mu_);
      progress_.next[partition] = next;
      dirty_ = true;
    }
    complete_if_drained(partition);
  }

  void tick() override { commit_checkpoints(false); }
  bool finished() const override {
    std::lock_guard lock(mu_);
    return progress_.complete();
  }
  int finish(int exit_code) override {
    commit_checkpoints(true);
    if (exit_code == kExitOk && !finished()) return kExitIncomplete;
    return exit_code;
  }

  ReplayProgress replay_progress() const override {
    std::lock_guard lock(mu_);
    return progress_;
  }

 private:
  void finish_partition(std::int32_t partition);
  void complete_if_drained(std::int32_t partition);
  void commit_checkpoints(bool force);

  WorkerState& state_;
  Consumer& consumer_;
  const ReplayOptions& replay_;
  // Progress per partition (guarded for replay_progress()), the partitions
  // whose fetch reached the planned end, and the rate limiter.
  mutable std::mutex mu_;
  ReplayProgress progress_;
  std::map<std::int32_t, bool> fetched_to_end_;
  bool dirty_ = false;
  Clock::time_point last_checkpoint_;
  std::optional<RateLimiter> limiter_;
};

void ReplayCheckpoints::start() {
  if (replay_.max_rate > 0) limiter_.emplace(replay_.max_rate, Clock::now());
  PartitionList list(state_.options.input_topic, static_cast<int>(replay_.ranges.size()));
  {
    std::lock_guard lock(mu_);
    progress_.ranges = replay_.ranges;
    for (const auto& [p, range] : replay_.ranges) progress_.next[p] = range.start;
  }
  for (const auto& [p, range] : replay_.ranges) {
    if (p > kMaxPartition) state_.fail("partition " + std::to_string(p) + " is out of range");
    if (range.start >= range.end) {
      fetched_to_end_[p] = true;
      continue;
    }
    fetched_to_end_[p] = false;
    state_.tracker.assign(p);
    list.add(p, range.start);
  }
  consumer_.assign(list);
  // Checkpoint the plan at once: a replay killed before its first delivery then
  // resumes with this plan's range, and --restart's fresh plan replaces the old.
  dirty_ = true;
  commit_checkpoints(true);
  log_info("replay started",
           {{"replay_id", replay_.replay_id}, {"partitions", std::to_string(list.size())}});
}

void ReplayCheckpoints::finish_partition(std::int32_t partition) {
  if (!fetched_to_end_[partition]) {
    fetched_to_end_[partition] = true;
    consumer_.park(partition);
  }
  complete_if_drained(partition);
}

void ReplayCheckpoints::complete_if_drained(std::int32_t partition) {
  // The fetch reached the planned end and every record before it is delivered:
  // the partition is complete even when its last offsets hold no records
  // (transaction markers, compaction), which the offset watermark never passes.
  auto done = fetched_to_end_.find(partition);
  if (done == fetched_to_end_.end() || !done->second || state_.tracker.pending(partition) > 0)
    return;
  std::lock_guard lock(mu_);
  std::int64_t end = progress_.ranges.at(partition).end;
  if (progress_.next[partition] < end) {
    progress_.next[partition] = end;
    dirty_ = true;
  }
}

void ReplayCheckpoints::commit_checkpoints(bool force) {
  if (!dirty_) return;
  if (!force && Clock::now() - last_checkpoint_ < replay_.checkpoint_interval) return;
  PartitionList list(state_.options.input_topic);
  std::vector<std::string> metadata;
  {
    std::lock_guard lock(mu_);
    metadata.reserve(progress_.next.size());
    for (const auto& [p, next] : progress_.next) {
      rd_kafka_topic_partition_t& tp = list.add(p, next);
      metadata.push_back(checkpoint_metadata(progress_.ranges.at(p).end));
      tp.metadata = metadata.back().data();
      tp.metadata_size = metadata.back().size();
    }
  }
  rd_kafka_resp_err_t err = consumer_.commit(list.get());
  // The list points into `metadata`: detach before the list frees its elements.
  for (auto& tp : list.entries()) {
    tp.metadata = nullptr;
    tp.metadata_size = 0;
  }
  if (err) {
    log_warn(
        "replay checkpoint commit failed; progress since the last one is redone after a "
        "restart",
        {{"error", rd_kafka_err2str(err)}});
    return;
  }
  dirty_ = false;
  last_checkpoint_ = Clock::now();
}

}  // namespace

std::unique_ptr<CommitPolicy> make_replay_checkpoints(WorkerState& state, Consumer& consumer) {
  return std::make_unique<ReplayCheckpoints>(state, consumer);
}

}  // namespace wirefeed::kafka
