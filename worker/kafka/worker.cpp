// The Worker: the run loop (poll a batch, run the pipeline, route the results,
// let the commit policy make progress durable) and shutdown. The parts it
// wires together live beside it: consumer.h, producer.h, record_router.h,
// commit_policy.h (the three delivery modes), in_flight_gate.h (the bound).
#include "wirefeed/kafka/worker.h"

#include <algorithm>
#include <stdexcept>

#include "wirefeed/core/batch_executor.h"
#include "wirefeed/kafka/commit_policy.h"
#include "wirefeed/kafka/consumer.h"
#include "wirefeed/kafka/health_rule.h"
#include "wirefeed/kafka/in_flight_gate.h"
#include "wirefeed/kafka/producer.h"
#include "wirefeed/kafka/record_router.h"
#include "wirefeed/kafka/worker_state.h"
#include "wirefeed/ops/log.h"

namespace wirefeed::kafka {

using Clock = std::chrono::steady_clock;
using ops::log_error;
using ops::log_info;
using ops::log_warn;

class Worker::Impl final : private RebalanceListener, private DeliveryListener {
 public:
  Impl(WorkerOptions options, const core::Pipeline& pipeline, WorkerObserver* observer,
       std::atomic<bool>& stop)
      : options_(std::move(options)),
        stop_(stop),
        executor_(pipeline, std::max<std::size_t>(1, options_.threads)),
        state_(options_, observer),
        consumer_(state_),
        producer_(state_),
        router_(state_, producer_),
        policy_(make_commit_policy(state_, consumer_, producer_, router_)),
        gate_(options_.max_in_flight, options_.batch_size) {
    last_poll_ns_ = steady_now_ns();  // alive from construction: run() may start a moment later
    state_.last_progress_ns = steady_now_ns();
  }

  int run();
  Health health() const;
  WorkerCounters counters() const {
    return {
        state_.consumed.load(),           state_.produced.load(),      state_.dlq.load(),
        state_.in_flight.load(),          state_.txn_committed.load(), state_.txn_aborted.load(),
        state_.backpressure_pauses.load()};
  }
  ReplayProgress replay_progress() const { return policy_->replay_progress(); }
  std::map<std::int32_t, std::int64_t> transaction_offsets() const {
    return policy_->transaction_offsets();
  }

 private:
  void open_clients();
  void poll_batch(std::size_t room);
  void process_batch();
  int shut_down();
  // RebalanceListener
  void on_assigning(const rd_kafka_topic_partition_list_t& parts) override;
  void on_revoking(const rd_kafka_topic_partition_list_t& parts, bool lost) override;
  void on_rebalanced(std::string_view kind, std::size_t count) override {
    if (state_.observer) state_.observer->on_rebalance(kind, count);
  }
  // DeliveryListener
  void on_delivery(const rd_kafka_message_t& m) override;

  WorkerOptions options_;
  std::atomic<bool>& stop_;
  core::BatchExecutor executor_;
  WorkerState state_;
  Consumer consumer_;
  Producer producer_;
  RecordRouter router_;
  std::unique_ptr<CommitPolicy> policy_;
  InFlightGate gate_;  // the in-flight bound and its pause rule

  // The current batch; messages own the bytes articles point into.
  std::vector<MessageHandle> batch_;
  std::vector<core::Article> articles_;
  std::vector<core::RunResult> results_;

  std::atomic<std::int64_t> last_poll_ns_{0};
  std::atomic<bool> stopping_{false};
};

Worker::Worker(WorkerOptions options, const core::Pipeline& pipeline, WorkerObserver* observer)
    : impl_(std::make_unique<Impl>(std::move(options), pipeline, observer, stop_requested_)) {}
Worker::~Worker() = default;
int Worker::run() { return impl_->run(); }
Health Worker::health() const { return impl_->health(); }
WorkerCounters Worker::counters() const { return impl_->counters(); }
ReplayProgress Worker::replay_progress() const { return impl_->replay_progress(); }
std::map<std::int32_t, std::int64_t> Worker::transaction_offsets() const {
  return impl_->transaction_offsets();
}

std::int64_t ReplayProgress::remaining() const {
  std::int64_t n = 0;
  for (const auto& [p, range] : ranges) {
    auto it = next.find(p);
    std::int64_t at = it == next.end() ? range.start : it->second;
    if (range.end > at) n += range.end - at;
  }
  return n;
}

std::int64_t ReplayProgress::total() const {
  std::int64_t n = 0;
  for (const auto& [p, range] : ranges) n += range.end > range.start ? range.end - range.start : 0;
  return n;
}

void Worker::Impl::open_clients() {
  Properties consumer_props =
      effective_consumer_properties(options_.consumer, options_.statistics, options_.exactly_once);
  policy_->adjust_consumer_properties(consumer_props);
  consumer_.open(consumer_props, policy_->joins_group() ? this : nullptr);
  producer_.open(effective_producer_properties(options_.producer, options_.exactly_once),
                 /*transactional=*/options_.exactly_once, *this);
  policy_->start();
}

void Worker::Impl::on_assigning(const rd_kafka_topic_partition_list_t& parts) {
  for (const auto& tp : entries(&parts)) {
    if (tp.partition > kMaxPartition) {
      state_.fail("partition " + std::to_string(tp.partition) + " is above " +
                  std::to_string(kMaxPartition));
    }
    state_.tracker.assign(tp.partition);
  }
}

void Worker::Impl::on_revoking(const rd_kafka_topic_partition_list_t& parts, bool lost) {
  if (!lost) policy_->before_revoke(parts);
  for (const auto& tp : entries(&parts)) {
    std::size_t pending = state_.tracker.pending(tp.partition);
    if (pending > 0) {
      log_warn("partition revoked with unacknowledged records; the next owner reprocesses them",
               {{"partition", std::to_string(tp.partition)}, {"records", std::to_string(pending)}});
    }
    state_.tracker.revoke(tp.partition);
    policy_->forget(tp.partition);
    if (state_.observer) state_.observer->on_revoked(tp.partition);
  }
}

void Worker::Impl::on_delivery(const rd_kafka_message_t& m) {
  std::int32_t partition = ticket_partition(m._private);
  std::int64_t offset = ticket_offset(m._private);
  state_.add_in_flight(-1);
  state_.last_progress_ns = steady_now_ns();
  std::string_view topic = rd_kafka_topic_name(m.rkt);
  bool is_dlq = topic == options_.dlq_topic;
  if (m.err && !state_.fatal && is_record_refusal(m.err) && !is_reference_record(&m)) {
    router_.on_refused(m, partition, offset, is_dlq);
    return;
  }
  if (m.err && policy_->delivery_failures_abort()) {
    if (m.err != RD_KAFKA_RESP_ERR__PURGE_QUEUE && m.err != RD_KAFKA_RESP_ERR__PURGE_INFLIGHT)
      state_.kafka_error(rd_kafka_err2name(m.err));
    return;
  }
  if (m.err) {
    state_.kafka_error(rd_kafka_err2name(m.err));
    state_.fail("delivery to '" + std::string(topic) + "' failed for input partition " +
                std::to_string(partition) + " offset " + std::to_string(offset) + ": " +
                rd_kafka_err2str(m.err) + "; its offset is not committed");
    return;
  }
  if (is_dlq) {
    ++state_.dlq;
    if (state_.observer) {
      std::string_view reason = "unknown";
      rd_kafka_headers_t* headers = nullptr;
      if (rd_kafka_message_headers(&m, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const void* value;
        size_t size;
        if (rd_kafka_header_get_last(headers, "wirefeed-error-code", &value, &size) ==
            RD_KAFKA_RESP_ERR_NO_ERROR) {
          reason = std::string_view(static_cast<const char*>(value), size);
        }
      }
      state_.observer->on_dlq(reason);
      if (is_reference_record(&m)) state_.observer->on_dlq_reference();
    }
  } else {
    ++state_.produced;
    if (state_.observer) state_.observer->on_produced();
  }
  if (state_.fatal) return;  // never store past a failed record
  if (auto next = state_.tracker.ack(partition, offset)) policy_->delivered_up_to(partition, *next);
}

void Worker::Impl::poll_batch(std::size_t room) {
  batch_.clear();
  int timeout_ms = 100;
  while (batch_.size() < room) {
    MessageHandle msg = consumer_.poll(timeout_ms);
    if (!msg) break;
    timeout_ms = 0;  // drain what is already fetched, without waiting
    if (msg->err) {
      if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        policy_->on_partition_eof(msg->partition, msg->offset);
        continue;
      }
      state_.kafka_error(rd_kafka_err2name(msg->err));
      if (consumer_.classify(msg->err) == ErrorClass::kFatal) {
        state_.fail(std::string("consumer: ") + rd_kafka_message_errstr(msg.get()));
        break;
      }
      log_warn("consumer error", {{"code", rd_kafka_err2name(msg->err)},
                                  {"reason", rd_kafka_message_errstr(msg.get())}});
      continue;
    }
    if (!policy_->wants(*msg)) continue;
    if (!state_.tracker.dispatch(msg->partition, msg->offset)) {
      // Only possible for a partition we no longer own or a replayed offset:
      // the owner processes it; storing nothing keeps at-least-once.
      log_warn(
          "message from an unassigned partition or out of order; skipped for now",
          {{"partition", std::to_string(msg->partition)}, {"offset", std::to_string(msg->offset)}});
      continue;
    }
    ++state_.consumed;
    state_.add_in_flight(+1);
    if (state_.observer) state_.observer->on_consumed(msg->partition, msg->len);
    batch_.push_back(std::move(msg));
  }
}

void Worker::Impl::process_batch() {
  std::size_t n = batch_.size();
  if (articles_.size() < n) articles_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    core::Article& a = articles_[i];
    a.reset();
    const rd_kafka_message_t* m = batch_[i].get();
    a.raw = std::string_view(static_cast<const char*>(m->payload), m->len);
    a.has_source = true;
    a.source = {options_.input_topic, m->partition, m->offset};
  }
  executor_.run(articles_, results_, n);
  if (!policy_->begin_batch()) {
    batch_.clear();
    return;
  }
  std::int64_t processed_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
  // Produce in input order: per-partition order survives into the outputs.
  for (std::size_t i = 0; i < n && !state_.fatal; ++i)
    router_.route(*batch_[i], articles_[i], results_[i], processed_at_ms);
  policy_->end_batch(batch_);
  batch_.clear();
}

int Worker::Impl::run() {
  open_clients();
  last_poll_ns_ = steady_now_ns();
  state_.last_progress_ns = steady_now_ns();
  log_info("worker started", {{"input", options_.input_topic},
                              {"output", options_.output_topic},
                              {"dlq", options_.dlq_topic},
                              {"threads", std::to_string(executor_.threads())}});
  while (!stop_.load(std::memory_order_relaxed) && !state_.fatal) {
    last_poll_ns_ = steady_now_ns();
    producer_.poll(0);  // delivery reports -> offsets
    router_.flush_references();
    std::size_t in_flight = state_.in_flight.load();
    if (in_flight == 0) state_.last_progress_ns = steady_now_ns();
    // The bound and the pause rule: in_flight_gate.h.
    const InFlightGate::Decision gate = gate_.update(in_flight, consumer_.paused(), Clock::now());
    if (gate.pause && consumer_.set_paused(true)) ++state_.backpressure_pauses;
    if (gate.resume) consumer_.set_paused(false);
    policy_->tick();
    if (policy_->finished()) break;
    if (gate.room == 0) {
      // At the bound: wait for acknowledgements; once paused, serve the group too.
      producer_.poll(10);
      if (consumer_.paused()) consumer_.serve_while_paused();
      continue;
    }
    std::chrono::milliseconds wait{0};
    const std::size_t take = policy_->admit(gate.room, wait);
    if (take == 0) {
      producer_.poll(static_cast<int>(std::clamp<std::int64_t>(wait.count(), 1, 100)));
      continue;
    }
    poll_batch(take);
    policy_->refund(take - batch_.size());
    if (!batch_.empty()) process_batch();
  }
  return shut_down();
}

int Worker::Impl::shut_down() {
  // Stop fetching, finish in-flight work, flush, commit, leave.
  stopping_ = true;
  auto started = Clock::now();
  log_info("worker stopping", {{"in_flight", std::to_string(state_.in_flight.load())}});
  router_.drain(options_.shutdown_deadline);
  int exit_code = state_.fatal ? kExitFatal : kExitOk;
  if (int left = producer_.queued() + static_cast<int>(router_.pending_references()); left > 0) {
    log_error(
        "shutdown deadline passed with records unacknowledged; their offsets are not "
        "committed",
        {{"records", std::to_string(left)}});
    exit_code = exit_code ? exit_code : kExitDeadline;
  }
  exit_code = policy_->finish(exit_code);
  consumer_.close();
  producer_.close();
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  log_info("worker stopped", {{"exit_code", std::to_string(exit_code)},
                              {"shutdown_ms", std::to_string(took.count())},
                              {"consumed", std::to_string(state_.consumed.load())},
                              {"produced", std::to_string(state_.produced.load())},
                              {"dlq", std::to_string(state_.dlq.load())}});
  return exit_code;
}

Health Worker::Impl::health() const {
  HealthSignals s;
  s.now = std::chrono::nanoseconds(steady_now_ns());
  s.last_poll = std::chrono::nanoseconds(last_poll_ns_.load());
  s.last_progress = std::chrono::nanoseconds(state_.last_progress_ns.load());
  s.failed = state_.failed;
  s.stopping = stopping_;
  s.joined = state_.joined;
  s.in_flight = state_.in_flight.load();
  return judge_health(s,
                      HealthLimits::for_worker(options_.shutdown_deadline, options_.stuck_after));
}

}  // namespace wirefeed::kafka
