// What the Kafka worker reports to the rest of the process: hooks for metrics
// and its health for the HTTP probes. Kept in core so ops (metrics, the HTTP
// server) and kafka both depend on it and never on each other.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wirefeed::core {

// Hooks for metrics. Called from the worker's poll thread only (never from
// pipeline threads), so implementations need no more than metric-level safety.
class WorkerObserver {
 public:
  virtual ~WorkerObserver() = default;
  virtual void on_consumed(std::int32_t partition, std::size_t bytes) = 0;
  virtual void on_produced() = 0;  // an output record acknowledged
  // An enriched record handed to the producer, with its input record's Kafka
  // timestamp (ms since the epoch, -1 if it has none) and the article's
  // published_at in ms when it parses as a timestamp: latency and freshness.
  virtual void on_emitted(std::int32_t partition, std::int64_t input_timestamp_ms,
                          std::optional<std::int64_t> published_at_ms, std::int64_t now_ms) = 0;
  virtual void on_dlq(std::string_view reason) = 0;  // a DLQ record acknowledged
  // Of those, a reference record standing for a record the DLQ refused
  // (dlq_reference.h); on_dlq() has counted it too.
  virtual void on_dlq_reference() {}
  // Exactly-once mode: a batch's transaction ended, "committed" or "aborted"
  // (to be redone), `seconds` after its commit began (offsets, EndTxn, retries).
  virtual void on_transaction(std::string_view /*outcome*/, double /*seconds*/) {}
  virtual void on_in_flight(std::size_t in_flight) = 0;
  virtual void on_rebalance(std::string_view kind, std::size_t partitions) = 0;
  virtual void on_kafka_error(std::string_view code) = 0;
  virtual void on_statistics(std::string_view json) = 0;
  virtual void on_revoked(std::int32_t partition) = 0;
};

struct Health {
  bool alive = false;  // the poll loop turned recently
  bool ready = false;  // joined the group and in-flight work is moving
  std::string reason;  // why not ready
};

}  // namespace wirefeed::core
