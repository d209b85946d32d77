// The output side of the worker: one librdkafka producer, its delivery
// reports, and in exactly-once mode its transactions.
#pragma once

#include <cstddef>

#include "wirefeed/kafka/handles.h"
#include "wirefeed/kafka/partition_list.h"
#include "wirefeed/kafka/worker_state.h"

namespace wirefeed::kafka {

// Told of each delivery report, on the poll thread, from inside poll() or
// produce().
class DeliveryListener {
 public:
  virtual ~DeliveryListener() = default;
  virtual void on_delivery(const rd_kafka_message_t& m) = 0;
};

class Producer {
 public:
  explicit Producer(WorkerState& state) : state_(state) {}

  // Creates the client; `transactional` also registers its transactional.id,
  // fencing any older producer that used it. Throws std::invalid_argument.
  void open(const Properties& properties, bool transactional, DeliveryListener& listener);
  void close() { rk_.reset(); }

  // Enqueues one record (the bytes are copied). While the local queue is full
  // it serves delivery reports until there is room, or the worker failed.
  // On success librdkafka owns `headers`.
  rd_kafka_resp_err_t produce(const char* topic, const void* key, std::size_t key_len,
                              const void* value, std::size_t value_len, rd_kafka_headers_t* headers,
                              void* ticket);
  // Serves delivery reports for up to `timeout_ms`.
  void poll(int timeout_ms) { rd_kafka_poll(rk_.get(), timeout_ms); }
  int queued() const { return rd_kafka_outq_len(rk_.get()); }

  // Exactly-once mode; each returns librdkafka's error object (null: done).
  ErrorHandle begin_transaction() { return ErrorHandle(rd_kafka_begin_transaction(rk_.get())); }
  ErrorHandle send_offsets(const PartitionList& offsets,
                           const rd_kafka_consumer_group_metadata_t* group) {
    return ErrorHandle(rd_kafka_send_offsets_to_transaction(rk_.get(), offsets.get(), group,
                                                            kTransactionTimeoutMs));
  }
  ErrorHandle commit_transaction() {
    return ErrorHandle(rd_kafka_commit_transaction(rk_.get(), kTransactionTimeoutMs));
  }
  ErrorHandle abort_transaction() {
    return ErrorHandle(rd_kafka_abort_transaction(rk_.get(), kTransactionTimeoutMs));
  }

 private:
  struct Callbacks {
    WorkerState* state;
    DeliveryListener* listener;
  };
  WorkerState& state_;
  Callbacks callbacks_{};
  KafkaHandle rk_;
};

}  // namespace wirefeed::kafka
