// The input side of the worker: one librdkafka consumer, as a group member
// (subscribe, rebalances) or with a fixed assignment (replay). It polls, pauses
// and resumes the assignment for back-pressure, serves the group while paused,
// and stores, commits and reads offsets for the commit policies.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "wirefeed/kafka/handles.h"
#include "wirefeed/kafka/partition_list.h"
#include "wirefeed/kafka/worker_state.h"

namespace wirefeed::kafka {

// Told of rebalances, on the poll thread, from inside poll().
class RebalanceListener {
 public:
  virtual ~RebalanceListener() = default;
  // Before the consumer takes `parts`.
  virtual void on_assigning(const rd_kafka_topic_partition_list_t& parts) = 0;
  // Before the consumer gives `parts` up. `lost`: the group already moved them
  // on (a session timeout), so nothing may be committed for them.
  virtual void on_revoking(const rd_kafka_topic_partition_list_t& parts, bool lost) = 0;
  // After: `kind` is "assign", "revoke" or "lost".
  virtual void on_rebalanced(std::string_view kind, std::size_t count) = 0;
};

using GroupMetadataHandle = std::unique_ptr<rd_kafka_consumer_group_metadata_t,
                                            decltype(&rd_kafka_consumer_group_metadata_destroy)>;

class Consumer {
 public:
  explicit Consumer(WorkerState& state) : state_(state) {}

  // Creates the client. `listener` null: no group rebalances (a fixed
  // assignment). Throws std::invalid_argument for a property librdkafka rejects.
  void open(const Properties& properties, RebalanceListener* listener);
  void subscribe(const std::string& topic);
  void assign(const PartitionList& list);  // throws std::invalid_argument
  void close();

  // One record or event; null when none came within `timeout_ms`.
  MessageHandle poll(int timeout_ms) {
    return MessageHandle(rd_kafka_consumer_poll(rk_.get(), timeout_ms));
  }
  // Pauses or resumes every assigned partition (partitions assigned while
  // paused start paused). Returns whether the state changed.
  bool set_paused(bool paused);
  bool paused() const { return paused_; }
  // Pauses one partition for good: resuming the assignment leaves it paused
  // (a replay partition that reached its end).
  void park(std::int32_t partition);
  // Serves rebalances and errors while paused, without taking a record (see
  // the .cpp for the one fetched just before the pause).
  void serve_while_paused();

  rd_kafka_resp_err_t store_offsets(const PartitionList& list) {
    return rd_kafka_offsets_store(rk_.get(), list.get());
  }
  rd_kafka_resp_err_t commit(const rd_kafka_topic_partition_list_t* list) {
    return rd_kafka_commit(rk_.get(), list, 0);  // synchronous
  }
  rd_kafka_resp_err_t committed(rd_kafka_topic_partition_list_t* list, int timeout_ms) {
    return rd_kafka_committed(rk_.get(), list, timeout_ms);
  }
  PartitionListHandle assignment();  // null if librdkafka cannot tell
  ErrorHandle seek(rd_kafka_topic_partition_list_t* list, int timeout_ms) {
    return ErrorHandle(rd_kafka_seek_partitions(rk_.get(), list, timeout_ms));
  }
  GroupMetadataHandle group_metadata() {
    return {rd_kafka_consumer_group_metadata(rk_.get()), &rd_kafka_consumer_group_metadata_destroy};
  }
  ErrorClass classify(rd_kafka_resp_err_t err) { return kafka::classify(rk_.get(), err); }

 private:
  void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                    rd_kafka_topic_partition_list_t* parts);

  WorkerState& state_;
  RebalanceListener* listener_ = nullptr;
  KafkaHandle rk_;
  bool paused_ = false;
  std::set<std::int32_t> parked_;
};

}  // namespace wirefeed::kafka
