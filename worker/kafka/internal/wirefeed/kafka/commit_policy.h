// When and how the worker's progress through its input becomes durable: the
// one place the three delivery modes differ, so the run loop has no branch on
// the mode.
//
//  - AtLeastOnceCommits (the default): the contiguous delivered offset per
//    partition is stored and librdkafka's auto-commit sends it; revoke and
//    shutdown commit synchronously.
//  - TransactionalCommits (processing.guarantee: exactly_once): each batch is
//    one transaction holding its records and its input offsets; an abortable
//    error aborts it and rewinds the partitions, so the batch is redone.
//  - ReplayCheckpoints (`wirefeed replay`): a fixed range per partition,
//    progress committed as checkpoints with the planned end in their metadata,
//    an optional rate limit, and a run that ends when every range is done.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "wirefeed/kafka/consumer.h"
#include "wirefeed/kafka/producer.h"
#include "wirefeed/kafka/record_router.h"
#include "wirefeed/kafka/worker_state.h"

namespace wirefeed::kafka {

class CommitPolicy {
 public:
  virtual ~CommitPolicy() = default;

  // The consumer properties this mode needs on top of the effective ones, and
  // whether the consumer joins the group (rebalances) or assigns itself.
  virtual void adjust_consumer_properties(Properties&) const {}
  virtual bool joins_group() const { return true; }
  // The consumer is open: take the input (subscribe, or assign the ranges).
  virtual void start() = 0;

  // How many records the loop may take now, at most `room`. 0 with `wait`
  // set: wait that long for the rate limit first. Unused ones are refunded.
  virtual std::size_t admit(std::size_t room, std::chrono::milliseconds& /*wait*/) { return room; }
  virtual void refund(std::size_t /*unused*/) {}
  // A polled record: false when it is not this run's work (past a replay's end).
  virtual bool wants(const rd_kafka_message_t& /*m*/) { return true; }
  virtual void on_partition_eof(std::int32_t /*partition*/, std::int64_t /*offset*/) {}

  // Around producing one batch: false from begin_batch skips it (the worker failed).
  virtual bool begin_batch() { return true; }
  virtual void end_batch(const std::vector<MessageHandle>& /*batch*/) {}
  // A failed delivery aborts the open transaction (redone) instead of stopping.
  virtual bool delivery_failures_abort() const { return false; }
  // Every input record of `partition` before `next` is delivered.
  virtual void delivered_up_to(std::int32_t partition, std::int64_t next) = 0;
  // A rebalance is about to take `parts` away (not lost: those may not commit).
  virtual void before_revoke(const rd_kafka_topic_partition_list_t& /*parts*/) {}
  virtual void forget(std::int32_t /*partition*/) {}

  // Once per turn of the run loop.
  virtual void tick() {}
  // The run's work is done (a replay reached every end).
  virtual bool finished() const { return false; }
  // Shutdown, after the producer drained: make what was delivered durable.
  // Returns `exit_code`, or another when the mode has a reason to.
  virtual int finish(int exit_code) = 0;

  // For Worker::replay_progress() and transaction_offsets(); any thread.
  virtual ReplayProgress replay_progress() const { return {}; }
  virtual std::map<std::int32_t, std::int64_t> transaction_offsets() const { return {}; }
};

std::unique_ptr<CommitPolicy> make_at_least_once_commits(WorkerState& state, Consumer& consumer,
                                                         RecordRouter& router);
std::unique_ptr<CommitPolicy> make_transactional_commits(WorkerState& state, Consumer& consumer,
                                                         Producer& producer, RecordRouter& router);
std::unique_ptr<CommitPolicy> make_replay_checkpoints(WorkerState& state, Consumer& consumer);

// The policy of `state.options`' mode. Throws std::invalid_argument for
// exactly-once with replay (checkpoints are plain commits).
std::unique_ptr<CommitPolicy> make_commit_policy(WorkerState& state, Consumer& consumer,
                                                 Producer& producer, RecordRouter& router);

}  // namespace wirefeed::kafka
