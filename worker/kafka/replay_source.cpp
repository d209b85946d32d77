// PlanSource over librdkafka: metadata, watermarks, offsets-for-times, single
// record fetches for the binary search, and the replay group's checkpoints.
#include <memory>
#include <stdexcept>

#include "wirefeed/kafka/handles.h"
#include "wirefeed/kafka/replay_plan.h"

namespace wirefeed::kafka {

std::string replay_group_id(const std::string& name) { return "wirefeed-replay-" + name; }

namespace {

struct Session {
  KafkaHandle rk;
  std::string topic;
  int timeout_ms;
};

}  // namespace

PlanSource kafka_plan_source(const Properties& consumer, const std::string& topic,
                             const std::string& name, std::chrono::milliseconds timeout) {
  return kafka_plan_source_for_group(consumer, topic, replay_group_id(name), timeout);
}

PlanSource kafka_plan_source_for_group(const Properties& consumer, const std::string& topic,
                                       const std::string& group_id,
                                       std::chrono::milliseconds timeout) {
  Properties props = consumer;
  props["group.id"] = group_id;
  props["enable.auto.commit"] = "false";
  props["enable.partition.eof"] = "true";
  props["auto.offset.reset"] = "earliest";
  props.erase("enable.auto.offset.store");
  ConfHandle conf = make_conf(props, "consumer");
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf.get(), errstr, sizeof errstr);
  if (!rk) throw std::invalid_argument(std::string("replay planner: ") + errstr);
  conf.release();
  auto session =
      std::make_shared<Session>(Session{KafkaHandle(rk), topic, static_cast<int>(timeout.count())});

  PlanSource source;
  source.partitions = [session] {
    const rd_kafka_metadata_t* md = nullptr;
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(session->rk.get(), session->topic.c_str(), nullptr);
    rd_kafka_resp_err_t err =
        rd_kafka_metadata(session->rk.get(), 0, rkt, &md, session->timeout_ms);
    rd_kafka_topic_destroy(rkt);
    std::vector<std::int32_t> out;
    if (err || md->topic_cnt != 1 || md->topics[0].err) {
      std::string why = err ? rd_kafka_err2str(err) : rd_kafka_err2str(md->topics[0].err);
      if (md) rd_kafka_metadata_destroy(md);
      throw std::invalid_argument("topic '" + session->topic + "': " + why);
    }
    for (int i = 0; i < md->topics[0].partition_cnt; ++i)
      out.push_back(md->topics[0].partitions[i].id);
    rd_kafka_metadata_destroy(md);
    return out;
  };
  source.watermarks = [session](std::int32_t p) {
    std::int64_t low = 0, high = 0;
    rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
        session->rk.get(), session->topic.c_str(), p, &low, &high, session->timeout_ms);
    if (err) {
      throw std::runtime_error("watermarks of partition " + std::to_string(p) + ": " +
                               rd_kafka_err2str(err));
    }
    return std::make_pair(low, high);
  };
  source.offset_for_time = [session](std::int32_t p, std::int64_t ts) -> std::int64_t {
    PartitionListHandle list(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(list.get(), session->topic.c_str(), p)->offset = ts;
    if (rd_kafka_offsets_for_times(session->rk.get(), list.get(), session->timeout_ms)) return -1;
    if (list->elems[0].err) return -1;
    return list->elems[0].offset;
  };
  source.record_at =
      [session](std::int32_t p,
                std::int64_t offset) -> std::optional<std::pair<std::int64_t, std::int64_t>> {
    PartitionListHandle list(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(list.get(), session->topic.c_str(), p)->offset = offset;
    if (auto err = rd_kafka_assign(session->rk.get(), list.get())) {
      throw std::runtime_error(std::string("replay planner assign: ") + rd_kafka_err2str(err));
    }
    auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(session->timeout_ms);
    std::optional<std::pair<std::int64_t, std::int64_t>> found;
    while (std::chrono::steady_clock::now() < deadline) {
      MessageHandle m(rd_kafka_consumer_poll(session->rk.get(), 100));
      if (!m || m->partition != p) continue;
      if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) break;  // nothing at or after offset
      if (m->err) continue;
      if (m->offset < offset) continue;  // a stale message from the previous probe
      found = std::make_pair(m->offset, rd_kafka_message_timestamp(m.get(), nullptr));
      break;
    }
    rd_kafka_assign(session->rk.get(), nullptr);
    return found;
  };
  source.checkpoints = [session]() {
    std::map<std::int32_t, std::pair<std::int64_t, std::int64_t>> out;
    const rd_kafka_metadata_t* md = nullptr;
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(session->rk.get(), session->topic.c_str(), nullptr);
    rd_kafka_resp_err_t err =
        rd_kafka_metadata(session->rk.get(), 0, rkt, &md, session->timeout_ms);
    rd_kafka_topic_destroy(rkt);
    if (err || md->topic_cnt != 1) {
      if (md) rd_kafka_metadata_destroy(md);
      return out;
    }
    PartitionListHandle list(rd_kafka_topic_partition_list_new(md->topics[0].partition_cnt));
    for (int i = 0; i < md->topics[0].partition_cnt; ++i) {
      rd_kafka_topic_partition_list_add(list.get(), session->topic.c_str(),
                                        md->topics[0].partitions[i].id);
    }
    rd_kafka_metadata_destroy(md);
    if (rd_kafka_committed(session->rk.get(), list.get(), session->timeout_ms)) return out;
    for (int i = 0; i < list->cnt; ++i) {
      const auto& e = list->elems[i];
      if (e.offset < 0) continue;
      std::string metadata =
          e.metadata ? std::string(static_cast<const char*>(e.metadata), e.metadata_size) : "";
      out[e.partition] = {e.offset, parse_checkpoint_metadata(metadata).value_or(-1)};
    }
    return out;
  };
  return source;
}

}  // namespace wirefeed::kafka
