#include "wirefeed/kafka/worker.h"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "wirefeed/core/batch_executor.h"
#include "wirefeed/core/timestamp.h"
#include "wirefeed/kafka/dlq_reference.h"
#include "wirefeed/kafka/handles.h"
#include "wirefeed/kafka/in_flight_gate.h"
#include "wirefeed/kafka/limits.h"
#include "wirefeed/kafka/offset_tracker.h"
#include "wirefeed/kafka/partition_list.h"
#include "wirefeed/kafka/replay_plan.h"
#include "wirefeed/ops/log.h"

namespace wirefeed::kafka {

using Clock = std::chrono::steady_clock;
using ops::log_error;
using ops::log_info;
using ops::log_warn;

namespace {

// A delivery report identifies its input record by an opaque pointer-sized value:
// partition (15 bits) and offset (48 bits), so no allocation per message.
constexpr int kOffsetBits = 48;
constexpr std::uint64_t kOffsetMask = (std::uint64_t{1} << kOffsetBits) - 1;
constexpr std::int32_t kMaxPartition = 0x7FFF;
// Budget of each transactional call (init, send offsets, commit, abort).
constexpr int kTransactionTimeoutMs = 30000;

void* make_ticket(std::int32_t partition, std::int64_t offset) {
  return reinterpret_cast<void*>((static_cast<std::uint64_t>(partition) << kOffsetBits) |
                                 (static_cast<std::uint64_t>(offset) & kOffsetMask));
}
std::int32_t ticket_partition(void* t) {
  return static_cast<std::int32_t>(reinterpret_cast<std::uint64_t>(t) >> kOffsetBits);
}
std::int64_t ticket_offset(void* t) {
  return static_cast<std::int64_t>(reinterpret_cast<std::uint64_t>(t) & kOffsetMask);
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

void set_default(Properties& p, const std::string& k, const std::string& v) {
  if (!p.contains(k)) p[k] = v;
}

}  // namespace

Properties effective_consumer_properties(const Properties& user, bool statistics,
                                         bool exactly_once) {
  Properties p = user;
  if (p.contains("enable.auto.offset.store") && p["enable.auto.offset.store"] != "false") {
    throw std::invalid_argument(
        "kafka consumer property 'enable.auto.offset.store': wirefeed stores offsets itself "
        "after delivery; it must stay false");
  }
  p["enable.auto.offset.store"] = "false";
  if (exactly_once) {
    // Offsets are committed inside each transaction, never by the consumer;
    // and only committed transactions' records are read.
    p["enable.auto.commit"] = "false";
    set_default(p, "isolation.level", "read_committed");
  } else if (p.contains("enable.auto.commit") && p["enable.auto.commit"] != "true") {
    throw std::invalid_argument(
        "kafka consumer property 'enable.auto.commit': wirefeed stores delivered offsets and "
        "lets librdkafka commit them (it knows when a rebalance forbids commits); it must stay "
        "true -- tune auto.commit.interval.ms instead");
  }
  if (!exactly_once) p["enable.auto.commit"] = "true";
  // Frequent commits bound the reprocessing after a crash.
  if (!exactly_once) set_default(p, "auto.commit.interval.ms", "1000");
  set_default(p, "partition.assignment.strategy", "cooperative-sticky");
  set_default(p, "auto.offset.reset", "earliest");
  set_default(p, "enable.partition.eof", "false");
  // A partition resumed after a backpressure pause fetches again only after this
  // backoff; librdkafka's 500 ms default made each pause cost half a second of
  // idle time (measured: 200 records took 4 s at a 40-record bound, 1.3 s at 10 ms).
  set_default(p, "fetch.error.backoff.ms", "100");
  // queued.max.messages.kbytes stays at librdkafka's 64 MiB: 16 MiB cut the
  // full pipeline from ~48k to ~17k records/s on the end-to-end benchmark (the
  // fetcher stalls refilling a queue the pipeline drains in bursts).
  if (statistics) set_default(p, "statistics.interval.ms", "5000");
  return p;
}

Properties effective_producer_properties(const Properties& user, bool exactly_once) {
  Properties p = user;
  if (exactly_once && p["transactional.id"].empty()) {
    throw std::invalid_argument(
        "processing.guarantee exactly_once needs the producer property transactional.id");
  }
  if (!exactly_once) p.erase("transactional.id");
  set_default(p, "enable.idempotence", "true");
  set_default(p, "linger.ms", "5");
  set_default(p, "message.max.bytes", std::to_string(default_producer_message_max_bytes({})));
  return p;
}

class Worker::Impl {
 public:
  Impl(WorkerOptions options, const core::Pipeline& pipeline, WorkerObserver* observer,
       std::atomic<bool>& stop)
      : options_(std::move(options)),
        pipeline_(pipeline),
        observer_(observer),
        stop_(stop),
        executor_(pipeline, std::max<std::size_t>(1, options_.threads)),
        gate_(options_.max_in_flight, options_.batch_size) {
    last_poll_ns_ = now_ns();  // alive from construction: run() may start a moment later
    last_progress_ns_ = now_ns();
  }

  int run();
  Health health() const;
  WorkerCounters counters() const {
    return {consumed_.load(),           produced_.load(),      dlq_.load(),
            in_flight_.load(),          txn_committed_.load(), txn_aborted_.load(),
            backpressure_pauses_.load()};
  }
  ReplayProgress replay_progress() const {
    std::lock_guard lock(replay_mu_);
    return replay_progress_;
  }
  std::map<std::int32_t, std::int64_t> transaction_offsets() const {
    std::lock_guard lock(txn_mu_);
    return txn_offsets_;
  }

 private:
  static void on_delivery_cb(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    static_cast<Impl*>(opaque)->on_delivery(m);
  }
  static void on_rebalance_cb(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                              rd_kafka_topic_partition_list_t* parts, void* opaque) {
    static_cast<Impl*>(opaque)->on_rebalance(rk, err, parts);
  }
  static void on_error_cb(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
    static_cast<Impl*>(opaque)->on_error(rk, static_cast<rd_kafka_resp_err_t>(err), reason);
  }
  static int on_stats_cb(rd_kafka_t*, char* json, size_t len, void* opaque) {
    auto* self = static_cast<Impl*>(opaque);
    if (self->observer_) self->observer_->on_statistics(std::string_view(json, len));
    return 0;  // librdkafka frees json
  }
  static void on_log_cb(const rd_kafka_t* rk, int level, const char* fac, const char* buf) {
    ops::LogLevel l = level <= 3   ? ops::LogLevel::kError
                      : level <= 4 ? ops::LogLevel::kWarn
                      : level <= 6 ? ops::LogLevel::kInfo
                                   : ops::LogLevel::kDebug;
    ops::Log::write(
        l, buf, {{"component", "librdkafka"}, {"facility", fac}, {"client", rd_kafka_name(rk)}});
  }

  void create_clients();
  void poll_batch(std::size_t room);
  void serve_group_while_paused();
  void process_batch();
  void produce_result(std::size_t i, std::int64_t processed_at_ms);
  bool produce(const char* topic, const void* key, std::size_t key_len, const void* value,
               std::size_t value_len, rd_kafka_headers_t* headers, void* ticket,
               rd_kafka_resp_err_t& err);
  void route_to_dlq(std::size_t i, std::string_view stage, core::Code code,
                    std::string_view message);
  // Never stuck (dlq_reference.h): a record refused for its size or shape is
  // replaced by a small reference record in the DLQ.
  void write_reference(const rd_kafka_message_t* input, std::string_view stage, core::Code code,
                       std::string_view message, std::string_view why);
  bool produce_reference(ReferenceRecord& ref, void* ticket);
  void on_refused(const rd_kafka_message_t* m, std::int32_t partition, std::int64_t offset,
                  bool is_dlq);
  void flush_references();
  void on_delivery(const rd_kafka_message_t* m);
  void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                    rd_kafka_topic_partition_list_t* parts);
  void on_error(rd_kafka_t* rk, rd_kafka_resp_err_t err, const char* reason);
  void store_offset(std::int32_t partition, std::int64_t offset);
  // `verify`: read the committed offsets back and commit again if an older
  // automatic commit overtook this one (the final commit at shutdown).
  void commit_stored(const rd_kafka_topic_partition_list_t* only, const char* why,
                     bool verify = false);
  bool committed_at_least(const rd_kafka_topic_partition_list_t* wanted);
  static void on_commit_cb(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                           rd_kafka_topic_partition_list_t*, void* opaque) {
    if (!err || err == RD_KAFKA_RESP_ERR__NO_OFFSET) return;
    auto* self = static_cast<Impl*>(opaque);
    if (self->observer_) self->observer_->on_kafka_error(rd_kafka_err2name(err));
    log_warn("periodic commit failed; the next one retries",
             {{"client", rd_kafka_name(rk)}, {"error", rd_kafka_err2str(err)}});
  }
  void drain_producer(std::chrono::milliseconds budget);
  // Exactly-once mode.
  void commit_transaction(const std::map<std::int32_t, std::int64_t>& next_offsets);
  void abort_and_rewind(const std::string& why);
  void set_paused(bool paused);
  void fail(std::string message);
  void update_in_flight(std::int64_t delta);
  // Replay mode.
  void assign_replay_ranges();
  void finish_replay_partition(std::int32_t partition);
  void complete_if_drained(std::int32_t partition);
  void commit_replay_checkpoints(bool force);
  bool replay_complete() const;

  WorkerOptions options_;
  const core::Pipeline& pipeline_;
  WorkerObserver* observer_;
  std::atomic<bool>& stop_;
  core::BatchExecutor executor_;

  KafkaHandle consumer_;
  KafkaHandle producer_;
  OffsetTracker tracker_;

  // The current batch; messages own the bytes articles point into.
  std::vector<MessageHandle> batch_;
  std::vector<core::Article> articles_;
  std::vector<core::RunResult> results_;

  bool paused_ = false;
  bool fatal_ = false;
  // Since when the in-flight bound has been reached without a break.
  InFlightGate gate_;
  // The offsets stored per owned partition (the contiguous delivered watermark).
  // librdkafka's auto-commit sends them (it skips commits a rebalance forbids);
  // revoke and shutdown also commit them synchronously.
  std::map<std::int32_t, std::int64_t> stored_;

  // Replay mode: progress per partition (guarded for replay_progress()), the
  // partitions that reached their end, and the rate limiter.
  mutable std::mutex replay_mu_;
  ReplayProgress replay_progress_;
  std::map<std::int32_t, bool> replay_done_;
  bool checkpoints_dirty_ = false;
  Clock::time_point last_checkpoint_;
  std::optional<RateLimiter> limiter_;

  std::atomic<std::uint64_t> consumed_{0}, produced_{0}, dlq_{0};
  std::atomic<std::uint64_t> txn_committed_{0}, txn_aborted_{0};
  std::atomic<std::uint64_t> backpressure_pauses_{0};
  bool in_transaction_ = false;
  // What committed transactions carried: where an abort rewinds to.
  mutable std::mutex txn_mu_;
  std::map<std::int32_t, std::int64_t> txn_offsets_;
  std::atomic<std::uint64_t> in_flight_{0};
  // Reference records for records a broker refused, built in delivery reports
  // and produced by the poll loop (at-least-once; each still counts in flight).
  struct PendingReference {
    ReferenceRecord record;
    void* ticket;
  };
  std::vector<PendingReference> pending_references_;
  std::string header_scratch_;  // HeaderPropagation::append's, reused per record
  // Exactly-once: input positions whose DLQ record (dlq) or enriched record a
  // broker refused, with why; the aborted batch's redo writes a reference
  // (or the full DLQ record) instead, so the transaction can commit.
  struct Refusal {
    bool dlq;
    std::string why;
  };
  std::map<std::pair<std::int32_t, std::int64_t>, Refusal> refused_;
  std::atomic<std::int64_t> last_poll_ns_{0};
  std::atomic<std::int64_t> last_progress_ns_{0};
  std::atomic<bool> joined_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> failed_{false};
};

Worker::Worker(WorkerOptions options, const core::Pipeline& pipeline, WorkerObserver* observer)
    : impl_(std::make_unique<Impl>(std::move(options), pipeline, observer, stop_requested_)) {}
Worker::~Worker() = default;
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
int Worker::run() { return impl_->run(); }
Health Worker::health() const { return impl_->health(); }
WorkerCounters Worker::counters() const { return impl_->counters(); }

void Worker::Impl::create_clients() {
  char errstr[512];
  if (options_.exactly_once && options_.replay)
    throw std::invalid_argument("replay runs at-least-once: exactly_once is for `run`");
  Properties consumer_props =
      effective_consumer_properties(options_.consumer, options_.statistics, options_.exactly_once);
  if (options_.replay) {
    // Checkpoints are explicit commits carrying the planned end as metadata; the
    // end-of-partition event tells when a range ends in offsets without records.
    consumer_props["enable.auto.commit"] = "false";
    consumer_props["enable.partition.eof"] = "true";
  }
  ConfHandle cconf = make_conf(consumer_props, "consumer");
  rd_kafka_conf_set_opaque(cconf.get(), this);
  if (!options_.replay) rd_kafka_conf_set_rebalance_cb(cconf.get(), &Impl::on_rebalance_cb);
  rd_kafka_conf_set_offset_commit_cb(cconf.get(), &Impl::on_commit_cb);
  rd_kafka_conf_set_error_cb(cconf.get(), &Impl::on_error_cb);
  rd_kafka_conf_set_stats_cb(cconf.get(), &Impl::on_stats_cb);
  rd_kafka_conf_set_log_cb(cconf.get(), &Impl::on_log_cb);
  rd_kafka_t* c = rd_kafka_new(RD_KAFKA_CONSUMER, cconf.get(), errstr, sizeof errstr);
  if (!c) throw std::invalid_argument(std::string("kafka consumer: ") + errstr);
  cconf.release();
  consumer_.reset(c);

  ConfHandle pconf = make_conf(
      effective_producer_properties(options_.producer, options_.exactly_once), "producer");
  rd_kafka_conf_set_opaque(pconf.get(), this);
  rd_kafka_conf_set_dr_msg_cb(pconf.get(), &Impl::on_delivery_cb);
  rd_kafka_conf_set_error_cb(pconf.get(), &Impl::on_error_cb);
  rd_kafka_conf_set_log_cb(pconf.get(), &Impl::on_log_cb);
  rd_kafka_t* p = rd_kafka_new(RD_KAFKA_PRODUCER, pconf.get(), errstr, sizeof errstr);
  if (!p) throw std::invalid_argument(std::string("kafka producer: ") + errstr);
  pconf.release();
  producer_.reset(p);
  if (options_.exactly_once) {
    // Registers the transactional.id, fencing any older producer that used it,
    // and finishes or aborts what that one left open.
    ErrorHandle e(rd_kafka_init_transactions(producer_.get(), kTransactionTimeoutMs));
    if (e) {
      throw std::invalid_argument(std::string("kafka init_transactions: ") +
                                  rd_kafka_error_string(e.get()));
    }
  }

  rd_kafka_poll_set_consumer(consumer_.get());
  if (options_.replay) {
    assign_replay_ranges();
    return;
  }
  PartitionList topics(options_.input_topic, 1);
  topics.add(RD_KAFKA_PARTITION_UA);
  if (auto err = rd_kafka_subscribe(consumer_.get(), topics.get())) {
    throw std::invalid_argument("kafka subscribe to '" + options_.input_topic +
                                "': " + rd_kafka_err2str(err));
  }
}

void Worker::Impl::fail(std::string message) {
  if (!fatal_) log_error("worker stopping on a fatal error", {{"error", message}});
  fatal_ = true;
  failed_ = true;
}

void Worker::Impl::update_in_flight(std::int64_t delta) {
  in_flight_.fetch_add(static_cast<std::uint64_t>(delta));
  if (observer_) observer_->on_in_flight(in_flight_.load());
}

void Worker::Impl::assign_replay_ranges() {
  const ReplayOptions& replay = *options_.replay;
  if (replay.max_rate > 0) limiter_.emplace(replay.max_rate, Clock::now());
  PartitionList list(options_.input_topic, static_cast<int>(replay.ranges.size()));
  {
    std::lock_guard lock(replay_mu_);
    replay_progress_.ranges = replay.ranges;
    for (const auto& [p, range] : replay.ranges) replay_progress_.next[p] = range.start;
  }
  for (const auto& [p, range] : replay.ranges) {
    if (p > kMaxPartition) fail("partition " + std::to_string(p) + " is out of range");
    if (range.start >= range.end) {
      replay_done_[p] = true;
      continue;
    }
    replay_done_[p] = false;
    tracker_.assign(p);
    list.add(p, range.start);
  }
  if (auto err = rd_kafka_assign(consumer_.get(), list.get())) {
    throw std::invalid_argument(std::string("replay assign: ") + rd_kafka_err2str(err));
  }
  joined_ = true;
  // Checkpoint the plan at once: a replay killed before its first delivery then
  // resumes with this plan's range, and --restart's fresh plan replaces the old.
  checkpoints_dirty_ = true;
  commit_replay_checkpoints(true);
  log_info("replay started",
           {{"replay_id", replay.replay_id}, {"partitions", std::to_string(list.size())}});
}

void Worker::Impl::finish_replay_partition(std::int32_t partition) {
  if (!replay_done_[partition]) {
    replay_done_[partition] = true;
    PartitionList list(options_.input_topic, 1);
    list.add(partition);
    rd_kafka_pause_partitions(consumer_.get(), list.get());  // nothing more to fetch there
  }
  complete_if_drained(partition);
}

void Worker::Impl::complete_if_drained(std::int32_t partition) {
  // The fetch reached the planned end and every record before it is delivered:
  // the partition is complete even when its last offsets hold no records
  // (transaction markers, compaction), which the offset watermark never passes.
  auto done = replay_done_.find(partition);
  if (done == replay_done_.end() || !done->second || tracker_.pending(partition) > 0) return;
  std::lock_guard lock(replay_mu_);
  std::int64_t end = replay_progress_.ranges.at(partition).end;
  if (replay_progress_.next[partition] < end) {
    replay_progress_.next[partition] = end;
    checkpoints_dirty_ = true;
  }
}

bool Worker::Impl::replay_complete() const {
  std::lock_guard lock(replay_mu_);
  return replay_progress_.complete();
}

void Worker::Impl::commit_replay_checkpoints(bool force) {
  if (!checkpoints_dirty_) return;
  if (!force && Clock::now() - last_checkpoint_ < options_.replay->checkpoint_interval) return;
  PartitionList list(options_.input_topic);
  std::vector<std::string> metadata;
  {
    std::lock_guard lock(replay_mu_);
    metadata.reserve(replay_progress_.next.size());
    for (const auto& [p, next] : replay_progress_.next) {
      rd_kafka_topic_partition_t& tp = list.add(p, next);
      metadata.push_back(checkpoint_metadata(replay_progress_.ranges.at(p).end));
      tp.metadata = metadata.back().data();
      tp.metadata_size = metadata.back().size();
    }
  }
  rd_kafka_resp_err_t err = rd_kafka_commit(consumer_.get(), list.get(), 0);
  // The list points into `metadata`: detach before the list frees its elements.
  for (auto& tp : entries(list.get())) {
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
  checkpoints_dirty_ = false;
  last_checkpoint_ = Clock::now();
}

void Worker::Impl::store_offset(std::int32_t partition, std::int64_t offset) {
  if (options_.replay) {
    {
      std::lock_guard lock(replay_mu_);
      replay_progress_.next[partition] = offset;
      checkpoints_dirty_ = true;
    }
    complete_if_drained(partition);
    return;
  }
  PartitionList list(options_.input_topic, 1);
  list.add(partition, offset);
  rd_kafka_resp_err_t err = rd_kafka_offsets_store(consumer_.get(), list.get());
  if (err) {
    // The partition was revoked meanwhile: the new owner reprocesses from the
    // last commit, which is at-least-once as promised.
    log_warn("offset not stored", {{"partition", std::to_string(partition)},
                                   {"offset", std::to_string(offset)},
                                   {"error", rd_kafka_err2str(err)}});
    return;
  }
  stored_[partition] = offset;
}

bool Worker::Impl::committed_at_least(const rd_kafka_topic_partition_list_t* wanted) {
  // Give an automatic commit already on its way time to land, then read back.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  PartitionListHandle now(rd_kafka_topic_partition_list_copy(wanted));
  if (rd_kafka_committed(consumer_.get(), now.get(), 5000)) return true;  // cannot tell: done
  for (std::size_t i = 0; i < entries(now.get()).size(); ++i)
    if (entries(now.get())[i].offset < entries(wanted)[i].offset) return false;
  return true;
}

void Worker::Impl::commit_stored(const rd_kafka_topic_partition_list_t* only, const char* why,
                                 bool verify) {
  // A synchronous commit of exactly what was delivered, retried on failure:
  // used where the group is about to change hands (revoke) or we leave (shutdown).
  auto wanted = [&](std::int32_t p) {
    if (!only) return true;
    for (const auto& tp : entries(only)) {
      if (tp.partition == p) return true;
    }
    return false;
  };
  PartitionList list(options_.input_topic);
  for (const auto& [p, offset] : stored_) {
    if (wanted(p)) list.add(p, offset);
  }
  if (list.empty()) return;
  // Retriable errors (a busy or moving coordinator) are retried with backoff for
  // up to 10 s (or the shutdown deadline if shorter): giving up early means the
  // next owner redoes everything since the last automatic commit.
  auto deadline = Clock::now() + std::min<std::chrono::milliseconds>(options_.shutdown_deadline,
                                                                     std::chrono::seconds(10));
  auto backoff = std::chrono::milliseconds(100);
  for (int attempt = 1;; ++attempt) {
    rd_kafka_resp_err_t err = rd_kafka_commit(consumer_.get(), list.get(), 0);
    if (err == RD_KAFKA_RESP_ERR__NO_OFFSET) return;
    if (!err) {
      if (!verify || committed_at_least(list.get()) || attempt >= 3) return;
      // An automatic commit taken before our last stores reached the
      // coordinator after ours and set an offset back: commit again.
      log_warn("an older automatic commit landed after the final one; committing again",
               {{"when", why}});
      continue;
    }
    if (observer_) observer_->on_kafka_error(rd_kafka_err2name(err));
    log_warn(
        "commit failed",
        {{"when", why}, {"error", rd_kafka_err2str(err)}, {"attempt", std::to_string(attempt)}});
    if (classify(consumer_.get(), err) != ErrorClass::kRetriable) break;
    if (Clock::now() + backoff > deadline) break;
    std::this_thread::sleep_for(backoff);
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, std::chrono::seconds(1));
  }
  log_warn(
      "commit failed for good; a restart reprocesses records delivered since the last "
      "commit",
      {{"when", why}});
}

void Worker::Impl::on_delivery(const rd_kafka_message_t* m) {
  std::int32_t partition = ticket_partition(m->_private);
  std::int64_t offset = ticket_offset(m->_private);
  update_in_flight(-1);
  last_progress_ns_ = now_ns();
  std::string_view topic = rd_kafka_topic_name(m->rkt);
  bool is_dlq = topic == options_.dlq_topic;
  if (m->err && !fatal_ && is_record_refusal(m->err) && !is_reference_record(m)) {
    on_refused(m, partition, offset, is_dlq);
    return;
  }
  if (m->err && options_.exactly_once) {
    // The transaction cannot commit now; commit_transaction() sees it as an
    // abortable error, aborts and redoes the batch. Purged records of an
    // aborted transaction report here too.
    if (observer_ && m->err != RD_KAFKA_RESP_ERR__PURGE_QUEUE &&
        m->err != RD_KAFKA_RESP_ERR__PURGE_INFLIGHT)
      observer_->on_kafka_error(rd_kafka_err2name(m->err));
    return;
  }
  if (m->err) {
    if (observer_) observer_->on_kafka_error(rd_kafka_err2name(m->err));
    fail("delivery to '" + std::string(topic) + "' failed for input partition " +
         std::to_string(partition) + " offset " + std::to_string(offset) + ": " +
         rd_kafka_err2str(m->err) + "; its offset is not committed");
    return;
  }
  if (is_dlq) {
    ++dlq_;
    if (observer_) {
      std::string_view reason = "unknown";
      rd_kafka_headers_t* headers = nullptr;
      if (rd_kafka_message_headers(m, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const void* value;
        size_t size;
        if (rd_kafka_header_get_last(headers, "wirefeed-error-code", &value, &size) ==
            RD_KAFKA_RESP_ERR_NO_ERROR) {
          reason = std::string_view(static_cast<const char*>(value), size);
        }
      }
      observer_->on_dlq(reason);
      if (is_reference_record(m)) observer_->on_dlq_reference();
    }
  } else {
    ++produced_;
    if (observer_) observer_->on_produced();
  }
  if (fatal_) return;  // never store past a failed record
  auto next = tracker_.ack(partition, offset);
  if (next && !options_.exactly_once) store_offset(partition, *next);
}

void Worker::Impl::drain_producer(std::chrono::milliseconds budget) {
  auto deadline = Clock::now() + budget;
  while ((rd_kafka_outq_len(producer_.get()) > 0 || !pending_references_.empty()) &&
         Clock::now() < deadline) {
    rd_kafka_poll(producer_.get(), 50);
    flush_references();
  }
}

void Worker::Impl::on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                                rd_kafka_topic_partition_list_t* parts) {
  bool cooperative = std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    for (const auto& tp : entries(parts)) {
      if (tp.partition > kMaxPartition) {
        fail("partition " + std::to_string(tp.partition) + " is above " +
             std::to_string(kMaxPartition));
      }
      tracker_.assign(tp.partition);
    }
    if (cooperative) {
      ErrorHandle e(rd_kafka_incremental_assign(rk, parts));
      if (e) fail(std::string("incremental assign: ") + rd_kafka_error_string(e.get()));
    } else {
      rd_kafka_assign(rk, parts);
    }
    if (paused_ && parts->cnt > 0) rd_kafka_pause_partitions(rk, parts);
    joined_ = true;
    log_info("partitions assigned", {{"count", std::to_string(parts->cnt)},
                                     {"protocol", cooperative ? "cooperative" : "eager"}});
    if (observer_) observer_->on_rebalance("assign", static_cast<std::size_t>(parts->cnt));
    return;
  }
  // Revoke: finish in-flight work of these partitions before giving them up, so
  // the next owner starts exactly after what we delivered. A lost assignment
  // (session timeout) may not commit: another member already owns the partitions.
  bool lost = rd_kafka_assignment_lost(rk);
  if (!lost && !options_.exactly_once) {
    drain_producer(options_.shutdown_deadline);
    commit_stored(parts, "revoke");
  }
  for (const auto& tp : entries(parts)) {
    std::size_t pending = tracker_.pending(tp.partition);
    if (pending > 0) {
      log_warn("partition revoked with unacknowledged records; the next owner reprocesses them",
               {{"partition", std::to_string(tp.partition)}, {"records", std::to_string(pending)}});
    }
    tracker_.revoke(tp.partition);
    stored_.erase(tp.partition);
    if (observer_) observer_->on_revoked(tp.partition);
  }
  if (cooperative) {
    ErrorHandle e(rd_kafka_incremental_unassign(rk, parts));
    if (e) log_warn("incremental unassign failed", {{"error", rd_kafka_error_string(e.get())}});
  } else {
    rd_kafka_assign(rk, nullptr);
  }
  log_info(lost ? "partitions lost" : "partitions revoked",
           {{"count", std::to_string(parts->cnt)}});
  if (observer_)
    observer_->on_rebalance(lost ? "lost" : "revoke", static_cast<std::size_t>(parts->cnt));
}

void Worker::Impl::on_error(rd_kafka_t* rk, rd_kafka_resp_err_t err, const char* reason) {
  if (observer_) observer_->on_kafka_error(rd_kafka_err2name(err));
  if (classify(rk, err) == ErrorClass::kFatal) {
    char buf[512] = {0};
    rd_kafka_fatal_error(rk, buf, sizeof buf);
    fail(std::string("fatal Kafka error: ") + (buf[0] ? buf : reason));
    return;
  }
  log_warn("kafka error",
           {{"client", rd_kafka_name(rk)}, {"code", rd_kafka_err2name(err)}, {"reason", reason}});
}

void Worker::Impl::set_paused(bool paused) {
  if (paused == paused_) return;
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (rd_kafka_assignment(consumer_.get(), &raw) != RD_KAFKA_RESP_ERR_NO_ERROR) return;
  PartitionListHandle assignment(raw);
  if (paused) {
    rd_kafka_pause_partitions(consumer_.get(), assignment.get());
    ++backpressure_pauses_;
  } else {
    rd_kafka_resume_partitions(consumer_.get(), assignment.get());
    for (const auto& [p, done] : replay_done_) {  // finished replay partitions stay paused
      if (!done) continue;
      PartitionList one(options_.input_topic, 1);
      one.add(p);
      rd_kafka_pause_partitions(consumer_.get(), one.get());
    }
  }
  paused_ = paused;
  ops::log_debug(paused ? "in-flight bound reached: partitions paused" : "partitions resumed",
                 {{"in_flight", std::to_string(in_flight_.load())}});
}

void Worker::Impl::poll_batch(std::size_t room) {
  batch_.clear();
  int timeout_ms = 100;
  while (batch_.size() < room) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_.get(), timeout_ms);
    if (!m) break;
    MessageHandle msg(m);
    timeout_ms = 0;  // drain what is already fetched, without waiting
    if (msg->err) {
      if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        if (options_.replay) {
          auto range = options_.replay->ranges.find(msg->partition);
          if (range != options_.replay->ranges.end() && msg->offset >= range->second.end) {
            finish_replay_partition(msg->partition);
          }
        }
        continue;
      }
      if (observer_) observer_->on_kafka_error(rd_kafka_err2name(msg->err));
      if (classify(consumer_.get(), msg->err) == ErrorClass::kFatal) {
        fail(std::string("consumer: ") + rd_kafka_message_errstr(msg.get()));
        break;
      }
      log_warn("consumer error", {{"code", rd_kafka_err2name(msg->err)},
                                  {"reason", rd_kafka_message_errstr(msg.get())}});
      continue;
    }
    if (options_.replay) {
      auto range = options_.replay->ranges.find(msg->partition);
      if (range == options_.replay->ranges.end() || msg->offset >= range->second.end) {
        // Past the planned end: not this replay's work. Never dispatched, so
        // never checkpointed.
        finish_replay_partition(msg->partition);
        continue;
      }
    }
    if (!tracker_.dispatch(msg->partition, msg->offset)) {
      // Only possible for a partition we no longer own or a replayed offset:
      // the owner processes it; storing nothing keeps at-least-once.
      log_warn(
          "message from an unassigned partition or out of order; skipped for now",
          {{"partition", std::to_string(msg->partition)}, {"offset", std::to_string(msg->offset)}});
      continue;
    }
    ++consumed_;
    update_in_flight(+1);
    if (observer_) observer_->on_consumed(msg->partition, msg->len);
    batch_.push_back(std::move(msg));
  }
}

void Worker::Impl::serve_group_while_paused() {
  // consumer_poll serves rebalance callbacks and errors. Pausing purges what was
  // fetched, but a record fetched just before the pause may still arrive: it is
  // not taken (that would break the bound) -- the partition is sought back to it,
  // so it is fetched again after resume. Nothing is dropped.
  MessageHandle m(rd_kafka_consumer_poll(consumer_.get(), 0));
  if (!m) return;
  if (m->err) {
    if (observer_) observer_->on_kafka_error(rd_kafka_err2name(m->err));
    if (classify(consumer_.get(), m->err) == ErrorClass::kFatal) {
      fail(std::string("consumer: ") + rd_kafka_message_errstr(m.get()));
    }
    return;
  }
  PartitionList list(rd_kafka_topic_name(m->rkt), 1);
  list.add(m->partition, m->offset);
  ErrorHandle err(rd_kafka_seek_partitions(consumer_.get(), list.get(), 1000));
  if (err) {
    // Without the seek the record would be skipped on resume: stop instead.
    fail(std::string("cannot seek back while paused: ") + rd_kafka_error_string(err.get()));
  }
}

bool Worker::Impl::produce(const char* topic, const void* key, std::size_t key_len,
                           const void* value, std::size_t value_len, rd_kafka_headers_t* headers,
                           void* ticket, rd_kafka_resp_err_t& err) {
  for (;;) {
    err = rd_kafka_producev(producer_.get(), RD_KAFKA_V_TOPIC(topic),
                            RD_KAFKA_V_KEY(const_cast<void*>(key), key_len),
                            RD_KAFKA_V_VALUE(const_cast<void*>(value), value_len),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers),
                            RD_KAFKA_V_OPAQUE(ticket), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) return err == RD_KAFKA_RESP_ERR_NO_ERROR;
    // The local queue is full: serve delivery reports until there is room.
    rd_kafka_poll(producer_.get(), 100);
    if (fatal_) return false;
  }
}

void Worker::Impl::route_to_dlq(std::size_t i, std::string_view stage, core::Code code,
                                std::string_view message) {
  const rd_kafka_message_t* m = batch_[i].get();
  message = utf8_prefix(message, kMaxErrorMessageBytes);  // within kDlqHeaderAllowance
  if (auto r = refused_.find({m->partition, m->offset}); r != refused_.end() && r->second.dlq) {
    write_reference(m, stage, code, message, r->second.why);  // refused before this redo
    return;
  }
  rd_kafka_headers_t* original = nullptr;
  HeadersHandle headers;
  if (rd_kafka_message_headers(m, &original) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    headers.reset(rd_kafka_headers_copy(original));
  } else {
    headers.reset(rd_kafka_headers_new(8));
  }
  auto add = [&](const char* name, std::string_view value) {
    rd_kafka_header_add(headers.get(), name, -1, value.data(), static_cast<ssize_t>(value.size()));
  };
  std::string partition = std::to_string(m->partition);
  std::string offset = std::to_string(m->offset);
  add("wirefeed-error-stage", stage);
  add("wirefeed-error-code", core::code_name(code));
  add("wirefeed-error-message", message);
  add("wirefeed-source-topic", options_.input_topic);
  add("wirefeed-source-partition", partition);
  add("wirefeed-source-offset", offset);
  if (options_.replay) add("wirefeed-replay-id", options_.replay->replay_id);
  rd_kafka_resp_err_t err;
  // On success librdkafka owns the headers.
  if (produce(options_.dlq_topic.c_str(), m->key, m->key_len, m->payload, m->len, headers.get(),
              make_ticket(m->partition, m->offset), err)) {
    headers.release();
    return;
  }
  if (is_record_refusal(err)) {
    write_reference(m, stage, code, message, rd_kafka_err2str(err));
    return;
  }
  fail("cannot enqueue DLQ record for partition " + partition + " offset " + offset + ": " +
       rd_kafka_err2str(err));
}

void Worker::Impl::write_reference(const rd_kafka_message_t* input, std::string_view stage,
                                   core::Code code, std::string_view message,
                                   std::string_view why) {
  RefusedRecord r =
      refused_from_input(input, options_.input_topic, stage, core::code_name(code), message, why);
  ReferenceRecord ref = make_reference_record(r);
  log_warn("DLQ record refused; writing a reference record instead",
           {{"partition", std::to_string(input->partition)},
            {"offset", std::to_string(input->offset)},
            {"bytes", std::to_string(input->len)},
            {"error", std::string(why)}});
  if (!produce_reference(ref, make_ticket(input->partition, input->offset))) {
    fail("cannot enqueue the DLQ reference record for partition " +
         std::to_string(input->partition) + " offset " + std::to_string(input->offset));
  }
}

bool Worker::Impl::produce_reference(ReferenceRecord& ref, void* ticket) {
  if (options_.replay) {
    const std::string& id = options_.replay->replay_id;
    rd_kafka_header_add(ref.headers.get(), "wirefeed-replay-id", -1, id.data(),
                        static_cast<ssize_t>(id.size()));
  }
  rd_kafka_resp_err_t err;
  if (!produce(options_.dlq_topic.c_str(), ref.has_key ? ref.key.data() : nullptr, ref.key.size(),
               ref.value.data(), ref.value.size(), ref.headers.get(), ticket, err)) {
    return false;
  }
  ref.headers.release();  // librdkafka owns them now
  return true;
}

void Worker::Impl::on_refused(const rd_kafka_message_t* m, std::int32_t partition,
                              std::int64_t offset, bool is_dlq) {
  if (observer_) observer_->on_kafka_error(rd_kafka_err2name(m->err));
  std::string why = rd_kafka_err2str(m->err);
  if (options_.exactly_once) {
    // The transaction aborts; its redo writes the smaller record.
    refused_[{partition, offset}] = {is_dlq, why};
    return;
  }
  RefusedRecord r = refused_from_delivery(m, options_.input_topic, partition, offset,
                                          is_dlq ? "dlq" : "output", why);
  std::string message;
  if (!is_dlq) {
    // The input is no longer at hand: the reference points at it in the input topic.
    message = refused_output_message(m->len, why);
    r.stage = "encode";
    r.code = core::code_name(core::Code::kOutputTooLarge);
    r.message = message;
  }
  log_warn(is_dlq ? "DLQ record refused by the broker; writing a reference record instead"
                  : "enriched record refused by the broker; writing a DLQ reference record",
           {{"partition", std::to_string(partition)},
            {"offset", std::to_string(offset)},
            {"bytes", std::to_string(m->len)},
            {"error", why}});
  pending_references_.push_back({make_reference_record(r), make_ticket(partition, offset)});
  update_in_flight(+1);  // in flight again until the reference is delivered
}

void Worker::Impl::flush_references() {
  if (pending_references_.empty()) return;
  // Taken out first: producing serves delivery reports, which may add more.
  std::vector<PendingReference> pending;
  pending.swap(pending_references_);
  for (auto& p : pending) {
    if (fatal_) break;  // nothing is stored past a failure: they are redone after a restart
    if (!produce_reference(p.record, p.ticket)) {
      fail("cannot enqueue the DLQ reference record for partition " +
           std::to_string(ticket_partition(p.ticket)) + " offset " +
           std::to_string(ticket_offset(p.ticket)));
    }
  }
}

void Worker::Impl::produce_result(std::size_t i, std::int64_t processed_at_ms) {
  const rd_kafka_message_t* m = batch_[i].get();
  const core::RunResult& result = results_[i];
  const core::Article& article = articles_[i];
  if (!result.ok()) {
    route_to_dlq(i, result.stage, result.status.code(), result.status.message());
    return;
  }
  if (auto r = refused_.empty() ? refused_.end() : refused_.find({m->partition, m->offset});
      r != refused_.end() && !r->second.dlq) {
    // Exactly-once redo of a batch whose enriched record a broker refused.
    route_to_dlq(i, "encode", core::Code::kOutputTooLarge,
                 refused_output_message(article.output.size(), r->second.why));
    return;
  }
  rd_kafka_headers_t* input_headers = nullptr;
  if (rd_kafka_message_headers(m, &input_headers) != RD_KAFKA_RESP_ERR_NO_ERROR)
    input_headers = nullptr;
  HeadersHandle headers(
      rd_kafka_headers_new(2 + (input_headers ? rd_kafka_header_cnt(input_headers) : 0)));
  std::string processed_at = std::to_string(processed_at_ms);
  rd_kafka_header_add(headers.get(), "wirefeed-processed-at-ms", -1, processed_at.data(),
                      static_cast<ssize_t>(processed_at.size()));
  if (options_.replay) {
    const std::string& id = options_.replay->replay_id;
    rd_kafka_header_add(headers.get(), "wirefeed-replay-id", -1, id.data(),
                        static_cast<ssize_t>(id.size()));
  }
  options_.output_headers.append(input_headers, headers.get(), header_scratch_);
  rd_kafka_resp_err_t err;
  if (produce(options_.output_topic.c_str(), article.id.data(), article.id.size(),
              article.output.data(), article.output.size(), headers.get(),
              make_ticket(m->partition, m->offset), err)) {
    headers.release();
    if (observer_) {
      observer_->on_emitted(m->partition, rd_kafka_message_timestamp(m, nullptr),
                            core::parse_timestamp_ms(article.published_at), processed_at_ms);
    }
    return;
  }
  if (err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE) {
    route_to_dlq(i, "encode", core::Code::kOutputTooLarge,
                 "enriched record of " + std::to_string(article.output.size()) +
                     " bytes exceeds the producer's message.max.bytes");
    return;
  }
  fail("cannot enqueue output record: " + std::string(rd_kafka_err2str(err)));
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
  if (options_.exactly_once) {
    ErrorHandle e(rd_kafka_begin_transaction(producer_.get()));
    if (e) {
      fail(std::string("begin_transaction: ") + rd_kafka_error_string(e.get()));
      batch_.clear();
      return;
    }
    in_transaction_ = true;
  }
  std::int64_t processed_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
  // Produce in input order: per-partition order survives into the outputs.
  for (std::size_t i = 0; i < n && !fatal_; ++i) produce_result(i, processed_at_ms);
  if (options_.exactly_once && !fatal_) {
    std::map<std::int32_t, std::int64_t> next;
    for (std::size_t i = 0; i < n; ++i) {
      const rd_kafka_message_t* m = batch_[i].get();
      next[m->partition] = std::max(next[m->partition], m->offset + 1);
    }
    commit_transaction(next);
  }
  batch_.clear();
}

void Worker::Impl::commit_transaction(const std::map<std::int32_t, std::int64_t>& next_offsets) {
  PartitionList offsets = PartitionList::of(options_.input_topic, next_offsets);
  std::unique_ptr<rd_kafka_consumer_group_metadata_t,
                  decltype(&rd_kafka_consumer_group_metadata_destroy)>
      group(rd_kafka_consumer_group_metadata(consumer_.get()),
            &rd_kafka_consumer_group_metadata_destroy);
  auto backoff = std::chrono::milliseconds(100);
  bool offsets_sent = false;
  const auto started = Clock::now();  // time in commit, for the observer
  auto seconds = [&] { return std::chrono::duration<double>(Clock::now() - started).count(); };
  for (int attempt = 1;; ++attempt) {
    ErrorHandle e(offsets_sent
                      ? nullptr
                      : rd_kafka_send_offsets_to_transaction(producer_.get(), offsets.get(),
                                                             group.get(), kTransactionTimeoutMs));
    if (!e) {
      offsets_sent = true;
      e.reset(rd_kafka_commit_transaction(producer_.get(), kTransactionTimeoutMs));
    }
    if (!e) {
      in_transaction_ = false;
      ++txn_committed_;
      if (observer_) observer_->on_transaction("committed", seconds());
      // Refusals this transaction got past are settled.
      std::erase_if(refused_, [&](const auto& r) {
        auto next = next_offsets.find(r.first.first);
        return next != next_offsets.end() && r.first.second < next->second;
      });
      std::lock_guard lock(txn_mu_);
      for (const auto& [p, offset] : next_offsets) txn_offsets_[p] = offset;
      return;
    }
    if (observer_) observer_->on_kafka_error(rd_kafka_err2name(rd_kafka_error_code(e.get())));
    const ErrorClass error_class = classify(e.get());
    if (error_class == ErrorClass::kFatal) {
      // A fenced producer: another instance owns this transactional.id (or a
      // newer group generation owns the partitions). Nothing of this batch is
      // committed; stop and let the owner carry on.
      in_transaction_ = false;
      fail(std::string("transaction failed fatally (fenced?): ") + rd_kafka_error_string(e.get()));
      return;
    }
    // Abortable, or retried enough: abort and redo the batch.
    if (error_class == ErrorClass::kAbortable || attempt >= 5) {
      std::uint64_t aborted = txn_aborted_.load();
      abort_and_rewind(rd_kafka_error_string(e.get()));
      if (observer_ && txn_aborted_.load() > aborted)
        observer_->on_transaction("aborted", seconds());
      return;
    }
    // Retriable (a busy or moving coordinator, a timeout) or unclassed: the
    // same call again, at most five times.
    log_warn("transaction commit failed; retrying",
             {{"error", rd_kafka_error_string(e.get())}, {"attempt", std::to_string(attempt)}});
    std::this_thread::sleep_for(backoff);
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, std::chrono::seconds(2));
  }
}

void Worker::Impl::abort_and_rewind(const std::string& why) {
  log_warn("transaction aborted; rewinding to the committed offsets", {{"error", why}});
  ErrorHandle e(rd_kafka_abort_transaction(producer_.get(), kTransactionTimeoutMs));
  in_transaction_ = false;
  if (e) {
    fail(std::string("abort_transaction: ") + rd_kafka_error_string(e.get()));
    return;
  }
  ++txn_aborted_;
  // Purged records report failures: serve them so in-flight returns to zero.
  while (rd_kafka_outq_len(producer_.get()) > 0) rd_kafka_poll(producer_.get(), 10);
  rd_kafka_poll(producer_.get(), 0);
  // Every assigned partition goes back to the offset its last committed
  // transaction carried (or, for one this worker has not committed yet, the
  // group's committed offset); the tracker forgets what was dispatched, since
  // those offsets come again.
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (rd_kafka_assignment(consumer_.get(), &raw) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    fail("cannot read the assignment to rewind it");
    return;
  }
  PartitionListHandle assignment(raw);
  if (auto err = rd_kafka_committed(consumer_.get(), assignment.get(), kTransactionTimeoutMs)) {
    fail(std::string("cannot read committed offsets to rewind: ") + rd_kafka_err2str(err));
    return;
  }
  std::lock_guard lock(txn_mu_);
  for (auto& tp : entries(assignment.get())) {
    if (auto ours = txn_offsets_.find(tp.partition); ours != txn_offsets_.end())
      tp.offset = ours->second;
    if (tp.offset < 0) tp.offset = RD_KAFKA_OFFSET_BEGINNING;  // nothing committed yet
    tracker_.revoke(tp.partition);
    tracker_.assign(tp.partition);
  }
  ErrorHandle seek(
      rd_kafka_seek_partitions(consumer_.get(), assignment.get(), kTransactionTimeoutMs));
  if (seek) fail(std::string("cannot rewind: ") + rd_kafka_error_string(seek.get()));
}

int Worker::Impl::run() {
  create_clients();
  last_poll_ns_ = now_ns();
  last_progress_ns_ = now_ns();
  log_info("worker started", {{"input", options_.input_topic},
                              {"output", options_.output_topic},
                              {"dlq", options_.dlq_topic},
                              {"threads", std::to_string(executor_.threads())}});
  while (!stop_.load(std::memory_order_relaxed) && !fatal_) {
    last_poll_ns_ = now_ns();
    rd_kafka_poll(producer_.get(), 0);  // delivery reports -> offsets
    flush_references();
    std::size_t in_flight = in_flight_.load();
    if (in_flight == 0) last_progress_ns_ = now_ns();
    // The bound and the pause rule: in_flight_gate.h.
    const InFlightGate::Decision gate = gate_.update(in_flight, paused_, Clock::now());
    if (gate.pause) set_paused(true);
    if (gate.resume) set_paused(false);
    const std::size_t room = gate.room;
    if (options_.replay) {
      commit_replay_checkpoints(false);
      if (replay_complete()) break;
      if (limiter_ && room > 0) {
        std::size_t allowed = limiter_->acquire(room, Clock::now());
        if (allowed == 0) {
          // --max-rate: wait for tokens instead of taking records; nothing is dropped.
          auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
              limiter_->wait_time(Clock::now()));
          rd_kafka_poll(producer_.get(),
                        static_cast<int>(std::clamp<std::int64_t>(wait.count(), 1, 100)));
          continue;
        }
        poll_batch(allowed);
        if (batch_.size() < allowed) limiter_->refund(allowed - batch_.size());
        if (!batch_.empty()) process_batch();
        continue;
      }
    }
    if (room == 0) {
      // At the bound: wait for acknowledgements; once paused, serve the group too.
      rd_kafka_poll(producer_.get(), 10);
      if (paused_) serve_group_while_paused();
      continue;
    }
    poll_batch(room);
    if (!batch_.empty()) process_batch();
  }

  // Shutdown: stop fetching, finish in-flight work, flush, commit, leave.
  stopping_ = true;
  auto started = Clock::now();
  log_info("worker stopping", {{"in_flight", std::to_string(in_flight_.load())}});
  drain_producer(options_.shutdown_deadline);
  int exit_code = fatal_ ? kExitFatal : kExitOk;
  if (int left = rd_kafka_outq_len(producer_.get()) + static_cast<int>(pending_references_.size());
      left > 0) {
    log_error(
        "shutdown deadline passed with records unacknowledged; their offsets are not "
        "committed",
        {{"records", std::to_string(left)}});
    exit_code = exit_code ? exit_code : kExitDeadline;
  }
  if (options_.replay) {
    commit_replay_checkpoints(true);
    if (exit_code == kExitOk && !replay_complete()) exit_code = kExitIncomplete;
  } else if (options_.exactly_once) {
    // Only a failure mid-batch leaves a transaction open: abort it, so nothing
    // of that batch (and none of its offsets) is committed.
    if (in_transaction_) {
      ErrorHandle e(rd_kafka_abort_transaction(producer_.get(), kTransactionTimeoutMs));
      if (e) log_warn("abort at shutdown failed", {{"error", rd_kafka_error_string(e.get())}});
    }
  } else {
    commit_stored(nullptr, "shutdown", /*verify=*/true);
  }
  rd_kafka_consumer_close(consumer_.get());
  consumer_.reset();
  producer_.reset();
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  log_info("worker stopped", {{"exit_code", std::to_string(exit_code)},
                              {"shutdown_ms", std::to_string(took.count())},
                              {"consumed", std::to_string(consumed_.load())},
                              {"produced", std::to_string(produced_.load())},
                              {"dlq", std::to_string(dlq_.load())}});
  return exit_code;
}

Health Worker::Impl::health() const {
  Health h;
  std::int64_t now = now_ns();
  auto liveness_window = std::chrono::nanoseconds(std::max<std::chrono::milliseconds>(
      std::chrono::seconds(30), options_.shutdown_deadline + std::chrono::seconds(10)));
  h.alive = !failed_ && now - last_poll_ns_.load() < liveness_window.count();
  if (!h.alive) {
    h.reason = failed_ ? "fatal error" : "poll loop stalled";
  } else if (stopping_) {
    h.reason = "stopping";
  } else if (!joined_) {
    h.reason = "not yet joined the consumer group";
  } else if (in_flight_.load() > 0 &&
             now - last_progress_ns_.load() >
                 std::chrono::duration_cast<std::chrono::nanoseconds>(options_.stuck_after)
                     .count()) {
    h.reason = "in-flight records have not been acknowledged for health.stuck_after";
  } else {
    h.ready = true;
  }
  return h;
}

}  // namespace wirefeed::kafka
