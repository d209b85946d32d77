#include "wirefeed/kafka/consumer.h"

#include <cstring>
#include <stdexcept>

#include "wirefeed/ops/log.h"

namespace wirefeed::kafka {

using ops::log_info;
using ops::log_warn;

void Consumer::open(const Properties& properties, RebalanceListener* listener) {
  listener_ = listener;
  ConfHandle conf = make_conf(properties, "consumer");
  rd_kafka_conf_set_opaque(conf.get(), this);
  if (listener_) {
    rd_kafka_conf_set_rebalance_cb(
        conf.get(),
        [](rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
           void* opaque) { static_cast<Consumer*>(opaque)->on_rebalance(rk, err, parts); });
  }
  rd_kafka_conf_set_offset_commit_cb(
      conf.get(),
      [](rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t*, void* opaque) {
        if (!err || err == RD_KAFKA_RESP_ERR__NO_OFFSET) return;
        static_cast<Consumer*>(opaque)->state_.kafka_error(rd_kafka_err2name(err));
        log_warn("periodic commit failed; the next one retries",
                 {{"client", rd_kafka_name(rk)}, {"error", rd_kafka_err2str(err)}});
      });
  rd_kafka_conf_set_error_cb(conf.get(),
                             [](rd_kafka_t* rk, int err, const char* reason, void* opaque) {
                               static_cast<Consumer*>(opaque)->state_.on_client_error(
                                   rk, static_cast<rd_kafka_resp_err_t>(err), reason);
                             });
  rd_kafka_conf_set_stats_cb(conf.get(), [](rd_kafka_t*, char* json, size_t len, void* opaque) {
    WorkerObserver* observer = static_cast<Consumer*>(opaque)->state_.observer;
    if (observer) observer->on_statistics(std::string_view(json, len));
    return 0;  // librdkafka frees json
  });
  forward_client_logs(conf.get());
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf.get(), errstr, sizeof errstr);
  if (!rk) throw std::invalid_argument(std::string("kafka consumer: ") + errstr);
  conf.release();  // the client owns it now
  rk_.reset(rk);
  rd_kafka_poll_set_consumer(rk_.get());
}

void Consumer::subscribe(const std::string& topic) {
  PartitionList topics(topic, 1);
  topics.add(RD_KAFKA_PARTITION_UA);
  if (auto err = rd_kafka_subscribe(rk_.get(), topics.get())) {
    throw std::invalid_argument("kafka subscribe to '" + topic + "': " + rd_kafka_err2str(err));
  }
}

void Consumer::assign(const PartitionList& list) {
  if (auto err = rd_kafka_assign(rk_.get(), list.get())) {
    throw std::invalid_argument(std::string("replay assign: ") + rd_kafka_err2str(err));
  }
  state_.joined = true;
}

void Consumer::close() {
  if (!rk_) return;
  rd_kafka_consumer_close(rk_.get());
  rk_.reset();
}

PartitionListHandle Consumer::assignment() {
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (rd_kafka_assignment(rk_.get(), &raw) != RD_KAFKA_RESP_ERR_NO_ERROR) return nullptr;
  return PartitionListHandle(raw);
}

bool Consumer::set_paused(bool paused) {
  if (paused == paused_) return false;
  PartitionListHandle all = assignment();
  if (!all) return false;
  if (paused) {
    rd_kafka_pause_partitions(rk_.get(), all.get());
  } else {
    rd_kafka_resume_partitions(rk_.get(), all.get());
    for (std::int32_t p : parked_) {
      PartitionList one(state_.options.input_topic, 1);
      one.add(p);
      rd_kafka_pause_partitions(rk_.get(), one.get());
    }
  }
  paused_ = paused;
  ops::log_debug(paused ? "in-flight bound reached: partitions paused" : "partitions resumed",
                 {{"in_flight", std::to_string(state_.in_flight.load())}});
  return true;
}

void Consumer::park(std::int32_t partition) {
  if (!parked_.insert(partition).second) return;
  PartitionList one(state_.options.input_topic, 1);
  one.add(partition);
  rd_kafka_pause_partitions(rk_.get(), one.get());  // nothing more to fetch there
}

void Consumer::serve_while_paused() {
  // consumer_poll serves rebalance callbacks and errors. Pausing purges what was
  // fetched, but a record fetched just before the pause may still arrive: it is
  // not taken (that would break the bound) -- the partition is sought back to it,
  // so it is fetched again after resume. Nothing is dropped.
  MessageHandle m = poll(0);
  if (!m) return;
  if (m->err) {
    state_.kafka_error(rd_kafka_err2name(m->err));
    if (classify(m->err) == ErrorClass::kFatal) {
      state_.fail(std::string("consumer: ") + rd_kafka_message_errstr(m.get()));
    }
    return;
  }
  PartitionList list(rd_kafka_topic_name(m->rkt), 1);
  list.add(m->partition, m->offset);
  ErrorHandle err = seek(list.get(), 1000);
  if (err) {
    // Without the seek the record would be skipped on resume: stop instead.
    state_.fail(std::string("cannot seek back while paused: ") + rd_kafka_error_string(err.get()));
  }
}

void Consumer::on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                            rd_kafka_topic_partition_list_t* parts) {
  bool cooperative = std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    listener_->on_assigning(*parts);
    if (cooperative) {
      ErrorHandle e(rd_kafka_incremental_assign(rk, parts));
      if (e) state_.fail(std::string("incremental assign: ") + rd_kafka_error_string(e.get()));
    } else {
      rd_kafka_assign(rk, parts);
    }
    if (paused_ && parts->cnt > 0) rd_kafka_pause_partitions(rk, parts);
    state_.joined = true;
    log_info("partitions assigned", {{"count", std::to_string(parts->cnt)},
                                     {"protocol", cooperative ? "cooperative" : "eager"}});
    listener_->on_rebalanced("assign", static_cast<std::size_t>(parts->cnt));
    return;
  }
  bool lost = rd_kafka_assignment_lost(rk);
  listener_->on_revoking(*parts, lost);
  if (cooperative) {
    ErrorHandle e(rd_kafka_incremental_unassign(rk, parts));
    if (e) log_warn("incremental unassign failed", {{"error", rd_kafka_error_string(e.get())}});
  } else {
    rd_kafka_assign(rk, nullptr);
  }
  log_info(lost ? "partitions lost" : "partitions revoked",
           {{"count", std::to_string(parts->cnt)}});
  listener_->on_rebalanced(lost ? "lost" : "revoke", static_cast<std::size_t>(parts->cnt));
}

}  // namespace wirefeed::kafka
