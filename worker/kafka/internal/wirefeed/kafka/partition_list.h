// One topic's partition list, built by partition (and offset) and walked as a
// range: the worker's lists are all of the input topic, so the topic is named
// once instead of at every rd_kafka_topic_partition_list_add.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>

#include "wirefeed/kafka/handles.h"

namespace wirefeed::kafka {

// The entries of a list librdkafka owns or hands over (a rebalance, an
// assignment), as a range: `for (auto& tp : entries(list))`.
inline std::span<rd_kafka_topic_partition_t> entries(const rd_kafka_topic_partition_list_t* list) {
  if (!list || list->cnt == 0) return {};
  return {list->elems, static_cast<std::size_t>(list->cnt)};
}

class PartitionList {
 public:
  explicit PartitionList(std::string topic, int capacity = 0)
      : topic_(std::move(topic)), list_(rd_kafka_topic_partition_list_new(capacity)) {}

  // One partition per (partition, offset) of `offsets`.
  static PartitionList of(std::string topic, const std::map<std::int32_t, std::int64_t>& offsets) {
    PartitionList list(std::move(topic), static_cast<int>(offsets.size()));
    for (const auto& [partition, offset] : offsets) list.add(partition, offset);
    return list;
  }

  // Adds a partition; the entry is returned for the caller to fill further
  // (metadata, say). Offset RD_KAFKA_OFFSET_INVALID: none (pause, resume).
  rd_kafka_topic_partition_t& add(std::int32_t partition,
                                  std::int64_t offset = RD_KAFKA_OFFSET_INVALID) {
    rd_kafka_topic_partition_t* tp =
        rd_kafka_topic_partition_list_add(list_.get(), topic_.c_str(), partition);
    tp->offset = offset;
    return *tp;
  }

  rd_kafka_topic_partition_list_t* get() const { return list_.get(); }
  std::span<rd_kafka_topic_partition_t> entries() const { return kafka::entries(list_.get()); }
  bool empty() const { return list_->cnt == 0; }
  int size() const { return list_->cnt; }

 private:
  std::string topic_;
  PartitionListHandle list_;
};

}  // namespace wirefeed::kafka
