// At-least-once: an input offset is stored only when its output (or DLQ)
// record is acknowledged, as the contiguous watermark per partition, and
// librdkafka's auto-commit sends what is stored (it knows when a rebalance
// forbids a commit). Revoke and shutdown commit synchronously.
#include <thread>

#include "wirefeed/kafka/commit_policy.h"
#include "wirefeed/kafka/retry_policy.h"
#include "wirefeed/ops/log.h"

namespace wirefeed::kafka {
namespace {

using ops::log_warn;

class AtLeastOnceCommits final : public CommitPolicy {
 public:
  AtLeastOnceCommits(WorkerState& state, Consumer& consumer, RecordRouter& router)
      : state_(state), consumer_(consumer), router_(router) {}

  void start() override { consumer_.subscribe(state_.options.input_topic); }

  void delivered_up_to(std::int32_t partition, std::int64_t next) override {
    PartitionList list(state_.options.input_topic, 1);
    list.add(partition, next);
    if (rd_kafka_resp_err_t err = consumer_.store_offsets(list)) {
      // The partition was revoked meanwhile: the new owner reprocesses from the
      // last commit, which is at-least-once as promised.
      log_warn("offset not stored", {{"partition", std::to_string(partition)},
                                     {"offset", std::to_string(next)},
                                     {"error", rd_kafka_err2str(err)}});
      return;
    }
    stored_[partition] = next;
  }

  void before_revoke(const rd_kafka_topic_partition_list_t& parts) override {
    // Finish in-flight work of these partitions before giving them up, so the
    // next owner starts exactly after what we delivered.
    router_.drain(state_.options.shutdown_deadline);
    commit_stored(&parts, "revoke");
  }
  void forget(std::int32_t partition) override { stored_.erase(partition); }

  int finish(int exit_code) override {
    commit_stored(nullptr, "shutdown", /*verify=*/true);
    return exit_code;
  }

 private:
  // A synchronous commit of exactly what was delivered (of `only`'s
  // partitions, or all), retried on failure: used where the group is about to
  // change hands (revoke) or we leave (shutdown). `verify`: read the committed
  // offsets back and commit again if an older automatic commit overtook this
  // one (the final commit at shutdown).
  void commit_stored(const rd_kafka_topic_partition_list_t* only, const char* why,
                     bool verify = false);
  bool committed_at_least(const rd_kafka_topic_partition_list_t* wanted);

  WorkerState& state_;
  Consumer& consumer_;
  RecordRouter& router_;
  // The offsets stored per owned partition (the contiguous delivered watermark).
  std::map<std::int32_t, std::int64_t> stored_;
};

bool AtLeastOnceCommits::committed_at_least(const rd_kafka_topic_partition_list_t* wanted) {
  // Give an automatic commit already on its way time to land, then read back.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  PartitionListHandle now(rd_kafka_topic_partition_list_copy(wanted));
  if (consumer_.committed(now.get(), 5000)) return true;  // cannot tell: done
  for (std::size_t i = 0; i < entries(now.get()).size(); ++i)
    if (entries(now.get())[i].offset < entries(wanted)[i].offset) return false;
  return true;
}

void AtLeastOnceCommits::commit_stored(const rd_kafka_topic_partition_list_t* only, const char* why,
                                       bool verify) {
  auto wanted = [&](std::int32_t p) {
    if (!only) return true;
    for (const auto& tp : entries(only)) {
      if (tp.partition == p) return true;
    }
    return false;
  };
  PartitionList list(state_.options.input_topic);
  for (const auto& [p, offset] : stored_) {
    if (wanted(p)) list.add(p, offset);
  }
  if (list.empty()) return;
  // Retriable errors (a busy or moving coordinator) are retried with backoff for
  // up to 10 s (or the shutdown deadline if shorter): giving up early means the
  // next owner redoes everything since the last automatic commit.
  RetryPolicy retry(commit_retry_limits(state_.options.shutdown_deadline));
  for (;;) {
    rd_kafka_resp_err_t err = consumer_.commit(list.get());
    if (err == RD_KAFKA_RESP_ERR__NO_OFFSET) return;
    if (!err) {
      if (!verify || committed_at_least(list.get()) || !retry.redo()) return;
      // An automatic commit taken before our last stores reached the
      // coordinator after ours and set an offset back: commit again.
      log_warn("an older automatic commit landed after the final one; committing again",
               {{"when", why}});
      continue;
    }
    state_.kafka_error(rd_kafka_err2name(err));
    log_warn("commit failed", {{"when", why},
                               {"error", rd_kafka_err2str(err)},
                               {"attempt", std::to_string(retry.attempt())}});
    if (retry.after_error(consumer_.classify(err)) != RetryPolicy::Action::kRetry) break;
    retry.back_off();
  }
  log_warn(
      "commit failed for good; a restart reprocesses records delivered since the last "
      "commit",
      {{"when", why}});
}

}  // namespace

std::unique_ptr<CommitPolicy> make_at_least_once_commits(WorkerState& state, Consumer& consumer,
                                                         RecordRouter& router) {
  return std::make_unique<AtLeastOnceCommits>(state, consumer, router);
}

}  // namespace wirefeed::kafka
