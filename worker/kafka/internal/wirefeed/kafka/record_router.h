// Where each input record's result goes: its enriched record to the output
// topic, or its DLQ record (the input with the error in headers) to the DLQ
// topic, and for a record a broker refused for its size or shape, a small
// reference record in its place (dlq_reference.h), so nothing is ever stuck.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wirefeed/core/article.h"
#include "wirefeed/core/pipeline.h"
#include "wirefeed/kafka/dlq_reference.h"
#include "wirefeed/kafka/producer.h"
#include "wirefeed/kafka/worker_state.h"

namespace wirefeed::kafka {

class RecordRouter {
 public:
  RecordRouter(WorkerState& state, Producer& producer) : state_(state), producer_(producer) {}

  // Produces the result of `input`: the enriched record with wirefeed's
  // headers and the propagated input headers, or the DLQ record when a stage
  // failed or the output is too large. A record that cannot be enqueued stops
  // the worker (WorkerState::fail).
  void route(const rd_kafka_message_t& input, const core::Article& article,
             const core::RunResult& result, std::int64_t processed_at_ms);

  // A delivery report says a broker refused a record for its size or shape.
  // At-least-once: a reference record is queued for flush_references() (the
  // input counts in flight until it is delivered). Exactly-once
  // (`redo_refusals`): the refusal is remembered, the transaction aborts, and
  // its redo writes the smaller record instead.
  void on_refused(const rd_kafka_message_t& m, std::int32_t partition, std::int64_t offset,
                  bool is_dlq);
  void flush_references();
  std::size_t pending_references() const { return pending_references_.size(); }
  // Serves delivery reports and flushes reference records until nothing is in
  // the producer's queue, or `budget` passed.
  void drain(std::chrono::milliseconds budget);
  // Exactly-once: a committed transaction settled the refusals below `next`.
  void settle_refusals(const std::map<std::int32_t, std::int64_t>& next);

 private:
  void route_to_dlq(const rd_kafka_message_t& input, std::string_view stage, core::Code code,
                    std::string_view message);
  void write_reference(const rd_kafka_message_t& input, std::string_view stage, core::Code code,
                       std::string_view message, std::string_view why);
  bool produce_reference(ReferenceRecord& ref, void* ticket);

  WorkerState& state_;
  Producer& producer_;
  // Reference records for records a broker refused, built in delivery reports
  // and produced by the poll loop (at-least-once; each still counts in flight).
  struct PendingReference {
    ReferenceRecord record;
    void* ticket;
  };
  std::vector<PendingReference> pending_references_;
  // Exactly-once: input positions whose DLQ record (dlq) or enriched record a
  // broker refused, with why; the aborted batch's redo writes a reference
  // (or the full DLQ record) instead, so the transaction can commit.
  struct Refusal {
    bool dlq;
    std::string why;
  };
  std::map<std::pair<std::int32_t, std::int64_t>, Refusal> refused_;
  std::string header_scratch_;  // HeaderPropagation::append's, reused per record
};

}  // namespace wirefeed::kafka
