// Exactly-once: each polled batch is one transaction holding its output and
// DLQ records and its input offsets (send_offsets_to_transaction with the
// consumer's group metadata, so a zombie of an older group generation is
// fenced). An abortable error aborts the transaction and rewinds the assigned
// partitions to their committed offsets, so the batch is redone; a fatal one
// (a fenced producer) stops the worker. Transactions never span a poll, so
// rebalances always find none open.
#include <algorithm>
#include <mutex>

#include "wirefeed/kafka/commit_policy.h"
#include "wirefeed/kafka/retry_policy.h"
#include "wirefeed/ops/log.h"

namespace wirefeed::kafka {
namespace {

using Clock = std::chrono::steady_clock;
using ops::log_warn;

class TransactionalCommits final : public CommitPolicy {
 public:
  TransactionalCommits(WorkerState& state, Consumer& consumer, Producer& producer,
                       RecordRouter& router)
      : state_(state), consumer_(consumer), producer_(producer), router_(router) {}

  void start() override { consumer_.subscribe(state_.options.input_topic); }

  bool begin_batch() override {
    ErrorHandle e = producer_.begin_transaction();
    if (e) {
      state_.fail(std::string("begin_transaction: ") + rd_kafka_error_string(e.get()));
      return false;
    }
    in_transaction_ = true;
    return true;
  }

  void end_batch(const std::vector<MessageHandle>& batch) override {
    if (state_.fatal) return;  // left open: finish() aborts it
    std::map<std::int32_t, std::int64_t> next;
    for (const MessageHandle& m : batch) {
      next[m->partition] = std::max(next[m->partition], m->offset + 1);
    }
    commit(next);
  }

  // The transaction cannot commit now; commit() sees it as an abortable
  // error, aborts and redoes the batch. Purged records of an aborted
  // transaction report here too.
  bool delivery_failures_abort() const override { return true; }
  // Offsets travel inside the transaction, never through the consumer.
  void delivered_up_to(std::int32_t, std::int64_t) override {}

  int finish(int exit_code) override {
    // Only a failure mid-batch leaves a transaction open: abort it, so nothing
    // of that batch (and none of its offsets) is committed.
    if (in_transaction_) {
      ErrorHandle e = producer_.abort_transaction();
      if (e) log_warn("abort at shutdown failed", {{"error", rd_kafka_error_string(e.get())}});
    }
    return exit_code;
  }

  std::map<std::int32_t, std::int64_t> transaction_offsets() const override {
    std::lock_guard lock(mu_);
    return committed_;
  }

 private:
  void commit(const std::map<std::int32_t, std::int64_t>& next_offsets);
  void abort_and_rewind(const std::string& why);

  WorkerState& state_;
  Consumer& consumer_;
  Producer& producer_;
  RecordRouter& router_;
  bool in_transaction_ = false;
  // What committed transactions carried: where an abort rewinds to.
  mutable std::mutex mu_;
  std::map<std::int32_t, std::int64_t> committed_;
};

void TransactionalCommits::commit(const std::map<std::int32_t, std::int64_t>& next_offsets) {
  PartitionList offsets = PartitionList::of(state_.options.input_topic, next_offsets);
  GroupMetadataHandle group = consumer_.group_metadata();
  RetryPolicy retry(transaction_retry_limits());
  bool offsets_sent = false;
  const auto started = Clock::now();  // time in commit, for the observer
  auto seconds = [&] { return std::chrono::duration<double>(Clock::now() - started).count(); };
  for (;;) {
    ErrorHandle e = offsets_sent ? nullptr : producer_.send_offsets(offsets, group.get());
    if (!e) {
      offsets_sent = true;
      e = producer_.commit_transaction();
    }
    if (!e) {
      in_transaction_ = false;
      ++state_.txn_committed;
      if (state_.observer) state_.observer->on_transaction("committed", seconds());
      router_.settle_refusals(next_offsets);  // refusals this transaction got past
      std::lock_guard lock(mu_);
      for (const auto& [p, offset] : next_offsets) committed_[p] = offset;
      return;
    }
    state_.kafka_error(rd_kafka_err2name(rd_kafka_error_code(e.get())));
    switch (retry.after_error(classify(e.get()))) {
      case RetryPolicy::Action::kGiveUp: {
        // Fatal: a fenced producer. Another instance owns this transactional.id
        // (or a newer group generation owns the partitions). Nothing of this
        // batch is committed; stop and let the owner carry on.
        in_transaction_ = false;
        state_.fail(std::string("transaction failed fatally (fenced?): ") +
                    rd_kafka_error_string(e.get()));
        return;
      }
      case RetryPolicy::Action::kAbort: {
        // Abortable, or retried enough: abort and redo the batch.
        std::uint64_t aborted = state_.txn_aborted.load();
        abort_and_rewind(rd_kafka_error_string(e.get()));
        if (state_.observer && state_.txn_aborted.load() > aborted)
          state_.observer->on_transaction("aborted", seconds());
        return;
      }
      case RetryPolicy::Action::kRetry:
        // Retriable (a busy or moving coordinator, a timeout) or unclassed: the
        // same call again, at most five attempts in all.
        log_warn("transaction commit failed; retrying",
                 {{"error", rd_kafka_error_string(e.get())},
                  {"attempt", std::to_string(retry.attempt())}});
        retry.back_off();
        break;
    }
  }
}

void TransactionalCommits::abort_and_rewind(const std::string& why) {
  log_warn("transaction aborted; rewinding to the committed offsets", {{"error", why}});
  ErrorHandle e = producer_.abort_transaction();
  in_transaction_ = false;
  if (e) {
    state_.fail(std::string("abort_transaction: ") + rd_kafka_error_string(e.get()));
    return;
  }
  ++state_.txn_aborted;
  // Purged records report failures: serve them so in-flight returns to zero.
  while (producer_.queued() > 0) producer_.poll(10);
  producer_.poll(0);
  // Every assigned partition goes back to the offset its last committed
  // transaction carried (or, for one this worker has not committed yet, the
  // group's committed offset); the tracker forgets what was dispatched, since
  // those offsets come again.
  PartitionListHandle assignment = consumer_.assignment();
  if (!assignment) {
    state_.fail("cannot read the assignment to rewind it");
    return;
  }
  if (auto err = consumer_.committed(assignment.get(), kTransactionTimeoutMs)) {
    state_.fail(std::string("cannot read committed offsets to rewind: ") + rd_kafka_err2str(err));
    return;
  }
  std::lock_guard lock(mu_);
  for (auto& tp : entries(assignment.get())) {
    if (auto ours = committed_.find(tp.partition); ours != committed_.end())
      tp.offset = ours->second;
    if (tp.offset < 0) tp.offset = RD_KAFKA_OFFSET_BEGINNING;  // nothing committed yet
    state_.tracker.revoke(tp.partition);
    state_.tracker.assign(tp.partition);
  }
  ErrorHandle seek = consumer_.seek(assignment.get(), kTransactionTimeoutMs);
  if (seek) state_.fail(std::string("cannot rewind: ") + rd_kafka_error_string(seek.get()));
}

}  // namespace

std::unique_ptr<CommitPolicy> make_transactional_commits(WorkerState& state, Consumer& consumer,
                                                         Producer& producer, RecordRouter& router) {
  return std::make_unique<TransactionalCommits>(state, consumer, producer, router);
}

}  // namespace wirefeed::kafka
