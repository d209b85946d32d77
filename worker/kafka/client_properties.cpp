// The librdkafka properties the worker's clients run with: wirefeed's
// defaults under the user's, and the few it insists on.
#include <stdexcept>
#include <string>

#include "wirefeed/kafka/limits.h"
#include "wirefeed/kafka/worker.h"

namespace wirefeed::kafka {

namespace {

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

}  // namespace wirefeed::kafka
