#include "wirefeed/kafka/redrive.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "wirefeed/kafka/dlq_reference.h"
#include "wirefeed/kafka/handles.h"
#include "wirefeed/kafka/offset_tracker.h"
#include "wirefeed/kafka/redrive_headers.h"
#include "wirefeed/kafka/replay_plan.h"
#include "wirefeed/ops/log.h"

namespace wirefeed::kafka {

using ops::log_error;
using ops::log_info;
using ops::log_warn;

namespace {

using Clock = std::chrono::steady_clock;

// Delivery reports name their DLQ record by partition and offset, packed into
// the opaque pointer as the worker does: no allocation per record.
constexpr int kOffsetBits = 48;
constexpr std::uint64_t kOffsetMask = (std::uint64_t{1} << kOffsetBits) - 1;

void* make_ticket(std::int32_t partition, std::int64_t offset) {
  return reinterpret_cast<void*>((static_cast<std::uint64_t>(partition) << kOffsetBits) |
                                 (static_cast<std::uint64_t>(offset) & kOffsetMask));
}

std::string_view header_value(const rd_kafka_headers_t* headers, const char* name) {
  const void* value = nullptr;
  size_t size = 0;
  if (!headers || rd_kafka_header_get_last(headers, name, &value, &size) || value == nullptr) {
    return {};
  }
  return std::string_view(static_cast<const char*>(value), size);
}

const rd_kafka_headers_t* headers_of(const rd_kafka_message_t* m) {
  rd_kafka_headers_t* h = nullptr;
  return rd_kafka_message_headers(m, &h) == RD_KAFKA_RESP_ERR_NO_ERROR ? h : nullptr;
}

// What wirefeed itself added to a record on its way to the DLQ, or an earlier
// redrive added to it: the redriven copy carries none of it.
bool is_bookkeeping(std::string_view name) {
  return name.starts_with("wirefeed-error-") || name.starts_with("wirefeed-source-") ||
         name.starts_with("wirefeed-dlq-") || name.starts_with("wirefeed-redrive-") ||
         name == "wirefeed-replay-id";
}

bool contains(const std::vector<std::string>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

KafkaHandle make_client(rd_kafka_type_t type, const Properties& props, void* opaque,
                        void (*dr)(rd_kafka_t*, const rd_kafka_message_t*, void*)) {
  ConfHandle conf = make_conf(props, type == RD_KAFKA_PRODUCER ? "producer" : "consumer");
  rd_kafka_conf_set_opaque(conf.get(), opaque);
  if (dr) rd_kafka_conf_set_dr_msg_cb(conf.get(), dr);
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), errstr, sizeof errstr);
  if (!rk) {
    throw std::invalid_argument(std::string("redrive ") +
                                (type == RD_KAFKA_PRODUCER ? "producer: " : "consumer: ") + errstr);
  }
  conf.release();
  return KafkaHandle(rk);
}

}  // namespace

std::string redrive_group_id(const std::string& name) { return "wirefeed-redrive-" + name; }

bool RedriveFilter::matches(std::string_view reason, std::string_view stage) const {
  return (reasons.empty() || contains(reasons, reason)) &&
         (stages.empty() || contains(stages, stage));
}

HeadersHandle redrive_headers(const rd_kafka_headers_t* original, const rd_kafka_headers_t* dlq,
                              std::string_view redrive_id) {
  HeadersHandle out(rd_kafka_headers_new((original ? rd_kafka_header_cnt(original) : 0) + 5));
  const char* name;
  const void* value;
  size_t size;
  if (original) {
    for (size_t i = 0; !rd_kafka_header_get_all(original, i, &name, &value, &size); ++i) {
      if (is_bookkeeping(name)) continue;
      rd_kafka_header_add(out.get(), name, -1, value, value ? static_cast<ssize_t>(size) : 0);
    }
  }
  auto add = [&](const char* n, std::string_view v) {
    rd_kafka_header_add(out.get(), n, -1, v.data(), static_cast<ssize_t>(v.size()));
  };
  add("wirefeed-redrive-id", redrive_id);
  for (auto [from, to] : {std::pair{"wirefeed-source-topic", "wirefeed-redrive-source-topic"},
                          {"wirefeed-source-partition", "wirefeed-redrive-source-partition"},
                          {"wirefeed-source-offset", "wirefeed-redrive-source-offset"},
                          {"wirefeed-error-code", "wirefeed-redrive-reason"}}) {
    std::string_view v = header_value(dlq, from);
    if (!v.empty()) add(to, v);
  }
  return out;
}

class Redrive::Impl {
 public:
  Impl(RedriveOptions options, std::atomic<bool>& stop)
      : options_(std::move(options)), stop_(stop) {}

  int run();
  ReplayProgress progress() const {
    std::lock_guard lock(mu_);
    return progress_;
  }
  RedriveStats stats() const {
    std::lock_guard lock(mu_);
    return stats_;
  }

 private:
  static void on_delivery_cb(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    static_cast<Impl*>(opaque)->on_delivery(m);
  }
  void on_delivery(const rd_kafka_message_t* m);
  void handle(const rd_kafka_message_t* m);
  bool produce(const void* key, std::size_t key_len, const void* value, std::size_t value_len,
               HeadersHandle headers, std::int32_t partition, std::int64_t offset);
  // The original of a reference record, from the topic it names; null when
  // retention has removed it.
  MessageHandle fetch_original(std::string_view topic, std::int32_t partition, std::int64_t offset);
  void done(std::int32_t partition, std::int64_t offset);
  void finish_partition(std::int32_t partition);
  void complete_if_drained(std::int32_t partition);
  bool complete() const;
  void commit_checkpoints(bool force);
  void fail(std::string message);

  RedriveOptions options_;
  std::atomic<bool>& stop_;
  KafkaHandle consumer_, producer_, fetcher_;
  OffsetTracker tracker_;
  std::map<std::int32_t, bool> fetched_to_end_;
  std::optional<RateLimiter> limiter_;
  std::size_t in_flight_ = 0;
  bool fatal_ = false;
  bool dirty_ = false;
  Clock::time_point last_checkpoint_;

  mutable std::mutex mu_;  // guards progress_ and stats_
  ReplayProgress progress_;
  RedriveStats stats_;
};

Redrive::Redrive(RedriveOptions options)
    : impl_(std::make_unique<Impl>(std::move(options), stop_)) {}
Redrive::~Redrive() = default;
int Redrive::run() { return impl_->run(); }
ReplayProgress Redrive::progress() const { return impl_->progress(); }
RedriveStats Redrive::stats() const { return impl_->stats(); }

void Redrive::Impl::fail(std::string message) {
  if (!fatal_) log_error("redrive stopping on a fatal error", {{"error", message}});
  fatal_ = true;
}

int Redrive::Impl::run() {
  if (options_.to_topic == options_.dlq_topic)
    throw std::invalid_argument("redrive: the destination topic must differ from the DLQ topic");
  Properties cprops = options_.consumer;
  cprops["group.id"] = redrive_group_id(options_.name);
  cprops["enable.auto.commit"] = "false";
  cprops["enable.auto.offset.store"] = "false";
  cprops["enable.partition.eof"] = "true";
  cprops["auto.offset.reset"] = "earliest";
  consumer_ = make_client(RD_KAFKA_CONSUMER, cprops, this, nullptr);
  fetcher_ = make_client(RD_KAFKA_CONSUMER, cprops, this, nullptr);
  if (!options_.dry_run) {
    Properties pprops = options_.producer;
    pprops.erase("transactional.id");  // at-least-once, like replay
    if (!pprops.contains("enable.idempotence")) pprops["enable.idempotence"] = "true";
    if (!pprops.contains("linger.ms")) pprops["linger.ms"] = "5";
    producer_ = make_client(RD_KAFKA_PRODUCER, pprops, this, &Impl::on_delivery_cb);
  }
  if (options_.max_rate > 0) limiter_.emplace(options_.max_rate, Clock::now());

  PartitionListHandle list(rd_kafka_topic_partition_list_new(0));
  {
    std::lock_guard lock(mu_);
    progress_.ranges = options_.ranges;
    for (const auto& [p, range] : options_.ranges) progress_.next[p] = range.start;
  }
  for (const auto& [p, range] : options_.ranges) {
    fetched_to_end_[p] = range.start >= range.end;
    if (range.start >= range.end) continue;
    tracker_.assign(p);
    rd_kafka_topic_partition_list_add(list.get(), options_.dlq_topic.c_str(), p)->offset =
        range.start;
  }
  if (auto err = rd_kafka_assign(consumer_.get(), list.get()))
    throw std::invalid_argument(std::string("redrive assign: ") + rd_kafka_err2str(err));
  // The plan is checkpointed at once: a redrive killed before its first
  // delivery resumes with this plan's ends.
  dirty_ = true;
  commit_checkpoints(true);
  log_info("redrive started", {{"redrive", options_.name},
                               {"from", options_.dlq_topic},
                               {"to", options_.to_topic},
                               {"dry_run", options_.dry_run ? "true" : "false"}});

  while (!stop_.load(std::memory_order_relaxed) && !fatal_ && !complete()) {
    if (producer_) rd_kafka_poll(producer_.get(), 0);
    commit_checkpoints(false);
    if (in_flight_ >= options_.max_in_flight) {
      rd_kafka_poll(producer_.get(), 10);
      continue;
    }
    MessageHandle m(rd_kafka_consumer_poll(consumer_.get(), 100));
    if (!m) continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      auto range = options_.ranges.find(m->partition);
      if (range != options_.ranges.end() && m->offset >= range->second.end)
        finish_partition(m->partition);
      continue;
    }
    if (m->err) {
      if (classify(consumer_.get(), m->err) == ErrorClass::kFatal) {
        fail(std::string("consumer: ") + rd_kafka_message_errstr(m.get()));
      } else {
        log_warn("consumer error", {{"error", rd_kafka_message_errstr(m.get())}});
      }
      continue;
    }
    auto range = options_.ranges.find(m->partition);
    if (range == options_.ranges.end() || m->offset >= range->second.end) {
      finish_partition(m->partition);  // past the planned end: not this redrive's
      continue;
    }
    if (!tracker_.dispatch(m->partition, m->offset)) continue;  // seen already
    handle(m.get());
  }

  // Stop: deliver what is in flight, checkpoint what is done, leave.
  auto deadline = Clock::now() + options_.shutdown_deadline;
  while (producer_ && rd_kafka_outq_len(producer_.get()) > 0 && Clock::now() < deadline)
    rd_kafka_poll(producer_.get(), 50);
  if (producer_ && rd_kafka_outq_len(producer_.get()) > 0) {
    log_error("shutdown deadline passed with records unacknowledged; they are not checkpointed",
              {{"records", std::to_string(rd_kafka_outq_len(producer_.get()))}});
  }
  commit_checkpoints(true);
  rd_kafka_consumer_close(consumer_.get());
  rd_kafka_consumer_close(fetcher_.get());
  consumer_.reset();
  fetcher_.reset();
  producer_.reset();
  if (fatal_) return kExitFatal;
  return complete() ? kExitOk : kExitIncomplete;
}

void Redrive::Impl::handle(const rd_kafka_message_t* m) {
  const rd_kafka_headers_t* headers = headers_of(m);
  std::string_view reason = header_value(headers, "wirefeed-error-code");
  std::string_view stage = header_value(headers, "wirefeed-error-stage");
  bool selected = options_.filter.matches(reason, stage);
  {
    std::lock_guard lock(mu_);
    ++stats_.read;
    ++stats_.by_reason[std::string(reason.empty() ? "unknown" : reason)];
    if (selected) {
      ++stats_.selected;
      ++stats_.selected_by_reason[std::string(reason.empty() ? "unknown" : reason)];
    } else {
      ++stats_.skipped;
    }
  }
  if (!selected || options_.dry_run) {
    done(m->partition, m->offset);
    return;
  }
  if (limiter_) {
    // --max-rate: wait for a token, serving delivery reports meanwhile.
    while (limiter_->acquire(1, Clock::now()) == 0) {
      if (stop_.load(std::memory_order_relaxed)) return;  // not done: not checkpointed
      auto wait =
          std::chrono::duration_cast<std::chrono::milliseconds>(limiter_->wait_time(Clock::now()));
      rd_kafka_poll(producer_.get(),
                    static_cast<int>(std::clamp<std::int64_t>(wait.count(), 1, 100)));
    }
  }
  if (!header_value(headers, kReferenceHeader).empty()) {
    // A reference record: the original is in the topic it names, if still retained.
    std::string topic(header_value(headers, "wirefeed-source-topic"));
    std::int64_t partition = -1, offset = -1;
    try {
      partition = std::stoll(std::string(header_value(headers, "wirefeed-source-partition")));
      offset = std::stoll(std::string(header_value(headers, "wirefeed-source-offset")));
    } catch (...) {
    }
    MessageHandle original;
    if (!topic.empty() && partition >= 0 && offset >= 0)
      original = fetch_original(topic, static_cast<std::int32_t>(partition), offset);
    if (fatal_) return;
    if (!original) {
      log_warn("the original of a DLQ reference record is gone (retention?); not redriven",
               {{"source_topic", topic},
                {"source_partition", std::to_string(partition)},
                {"source_offset", std::to_string(offset)},
                {"dlq_partition", std::to_string(m->partition)},
                {"dlq_offset", std::to_string(m->offset)}});
      {
        std::lock_guard lock(mu_);
        ++stats_.lost;
      }
      done(m->partition, m->offset);
      return;
    }
    {
      std::lock_guard lock(mu_);
      ++stats_.references;
    }
    produce(original->key, original->key_len, original->payload, original->len,
            redrive_headers(headers_of(original.get()), headers, options_.name), m->partition,
            m->offset);
    return;
  }
  produce(m->key, m->key_len, m->payload, m->len, redrive_headers(headers, headers, options_.name),
          m->partition, m->offset);
}

bool Redrive::Impl::produce(const void* key, std::size_t key_len, const void* value,
                            std::size_t value_len, HeadersHandle headers, std::int32_t partition,
                            std::int64_t offset) {
  for (;;) {
    rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_.get(), RD_KAFKA_V_TOPIC(options_.to_topic.c_str()),
        RD_KAFKA_V_KEY(const_cast<void*>(key), key_len),
        RD_KAFKA_V_VALUE(const_cast<void*>(value), value_len),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers.get()),
        RD_KAFKA_V_OPAQUE(make_ticket(partition, offset)), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      headers.release();  // librdkafka owns them now
      ++in_flight_;
      return true;
    }
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      fail("cannot produce the record of DLQ partition " + std::to_string(partition) + " offset " +
           std::to_string(offset) + " to '" + options_.to_topic + "': " + rd_kafka_err2str(err));
      return false;
    }
    rd_kafka_poll(producer_.get(), 100);
    if (fatal_) return false;
  }
}

MessageHandle Redrive::Impl::fetch_original(std::string_view topic, std::int32_t partition,
                                            std::int64_t offset) {
  std::string t(topic);
  PartitionListHandle list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), t.c_str(), partition)->offset = offset;
  if (auto err = rd_kafka_assign(fetcher_.get(), list.get())) {
    fail("cannot read the original of a reference record: " + std::string(rd_kafka_err2str(err)));
    return nullptr;
  }
  MessageHandle found;
  auto deadline = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < deadline) {
    MessageHandle m(rd_kafka_consumer_poll(fetcher_.get(), 100));
    if (!m || m->partition != partition) continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) break;  // nothing at or after it
    if (m->err) {
      log_warn("error reading an original", {{"error", rd_kafka_message_errstr(m.get())}});
      continue;
    }
    if (m->offset < offset) continue;  // a message of an earlier fetch
    if (m->offset == offset) found = std::move(m);
    break;  // a later offset: the original was deleted or compacted away
  }
  rd_kafka_assign(fetcher_.get(), nullptr);
  if (!found && Clock::now() >= deadline)
    fail("timed out reading the original of a reference record in '" + t + "'");
  return found;
}

void Redrive::Impl::on_delivery(const rd_kafka_message_t* m) {
  auto ticket = reinterpret_cast<std::uint64_t>(m->_private);
  auto partition = static_cast<std::int32_t>(ticket >> kOffsetBits);
  auto offset = static_cast<std::int64_t>(ticket & kOffsetMask);
  --in_flight_;
  if (m->err) {
    fail("delivery to '" + options_.to_topic + "' failed for DLQ partition " +
         std::to_string(partition) + " offset " + std::to_string(offset) + ": " +
         rd_kafka_err2str(m->err) + "; it is not checkpointed");
    return;
  }
  {
    std::lock_guard lock(mu_);
    ++stats_.redriven;
  }
  if (!fatal_) done(partition, offset);  // never checkpoint past a failure
}

void Redrive::Impl::done(std::int32_t partition, std::int64_t offset) {
  if (auto next = tracker_.ack(partition, offset)) {
    std::lock_guard lock(mu_);
    progress_.next[partition] = *next;
    dirty_ = true;
  }
  complete_if_drained(partition);
}

void Redrive::Impl::finish_partition(std::int32_t partition) {
  auto it = fetched_to_end_.find(partition);
  if (it == fetched_to_end_.end()) return;
  if (!it->second) {
    it->second = true;
    PartitionListHandle list(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(list.get(), options_.dlq_topic.c_str(), partition);
    rd_kafka_pause_partitions(consumer_.get(), list.get());
  }
  complete_if_drained(partition);
}

void Redrive::Impl::complete_if_drained(std::int32_t partition) {
  // Fetched to the planned end with nothing pending: the partition is complete
  // even if its last offsets hold no records (transaction markers).
  auto it = fetched_to_end_.find(partition);
  if (it == fetched_to_end_.end() || !it->second || tracker_.pending(partition) > 0) return;
  std::lock_guard lock(mu_);
  std::int64_t end = progress_.ranges.at(partition).end;
  if (progress_.next[partition] < end) {
    progress_.next[partition] = end;
    dirty_ = true;
  }
}

bool Redrive::Impl::complete() const {
  std::lock_guard lock(mu_);
  return progress_.complete();
}

void Redrive::Impl::commit_checkpoints(bool force) {
  if (options_.dry_run || !dirty_) return;
  if (!force && Clock::now() - last_checkpoint_ < options_.checkpoint_interval) return;
  PartitionListHandle list(rd_kafka_topic_partition_list_new(0));
  std::vector<std::string> metadata;
  {
    std::lock_guard lock(mu_);
    metadata.reserve(progress_.next.size());
    for (const auto& [p, next] : progress_.next) {
      auto* tp = rd_kafka_topic_partition_list_add(list.get(), options_.dlq_topic.c_str(), p);
      tp->offset = next;
      metadata.push_back(checkpoint_metadata(progress_.ranges.at(p).end));
      tp->metadata = metadata.back().data();
      tp->metadata_size = metadata.back().size();
    }
  }
  rd_kafka_resp_err_t err = rd_kafka_commit(consumer_.get(), list.get(), 0);
  for (int i = 0; i < list->cnt; ++i) {  // the list points into `metadata`
    list->elems[i].metadata = nullptr;
    list->elems[i].metadata_size = 0;
  }
  if (err) {
    log_warn("redrive checkpoint failed; progress since the last one is redone after a restart",
             {{"error", rd_kafka_err2str(err)}});
    return;
  }
  dirty_ = false;
  last_checkpoint_ = Clock::now();
}

}  // namespace wirefeed::kafka
