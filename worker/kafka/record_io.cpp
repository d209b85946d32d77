#include "wirefeed/kafka/record_io.h"

#include <stdexcept>
#include <thread>

#include "wirefeed/kafka/handles.h"

namespace wirefeed::kafka {

namespace {

KafkaHandle make_client(rd_kafka_type_t type, const Properties& props) {
  ConfHandle conf = make_conf(props, type == RD_KAFKA_PRODUCER ? "producer" : "consumer");
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), errstr, sizeof errstr);
  if (!rk) throw std::runtime_error(errstr);
  conf.release();
  return KafkaHandle(rk);
}

int partition_count(rd_kafka_t* rk, const std::string& topic, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const rd_kafka_metadata_t* md = nullptr;
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
    rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, 5000);
    rd_kafka_topic_destroy(rkt);
    int count = -1;
    if (!err && md->topic_cnt == 1 && !md->topics[0].err) count = md->topics[0].partition_cnt;
    if (md) rd_kafka_metadata_destroy(md);
    if (count > 0) return count;
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("topic '" + topic + "': no metadata");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace

std::optional<std::string> Record::header(std::string_view name) const {
  std::optional<std::string> found;
  for (const auto& [k, v] : headers) {
    if (k == name) found = v;
  }
  return found;
}

void produce_records(const std::string& bootstrap, const std::string& topic,
                     const std::vector<Record>& records, std::chrono::milliseconds timeout) {
  KafkaHandle producer = make_client(RD_KAFKA_PRODUCER, {{"bootstrap.servers", bootstrap},
                                                         {"linger.ms", "5"},
                                                         {"message.max.bytes", "10000000"},
                                                         {"enable.idempotence", "true"}});
  for (const auto& r : records) {
    void* key = r.key ? const_cast<char*>(r.key->data()) : nullptr;
    std::size_t key_len = r.key ? r.key->size() : 0;
    for (;;) {
      HeadersHandle headers(rd_kafka_headers_new(r.headers.size()));
      for (const auto& [name, value] : r.headers) {
        rd_kafka_header_add(headers.get(), name.data(), static_cast<ssize_t>(name.size()),
                            value.data(), static_cast<ssize_t>(value.size()));
      }
      rd_kafka_resp_err_t err =
          rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
                            RD_KAFKA_V_PARTITION(r.partition), RD_KAFKA_V_KEY(key, key_len),
                            RD_KAFKA_V_VALUE(const_cast<char*>(r.value.data()), r.value.size()),
                            RD_KAFKA_V_HEADERS(headers.get()),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
      if (!err) headers.release();  // owned by librdkafka now
      if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_poll(producer.get(), 50);
        continue;
      }
      if (err) throw std::runtime_error(std::string("produce: ") + rd_kafka_err2str(err));
      break;
    }
  }
  if (rd_kafka_flush(producer.get(), static_cast<int>(timeout.count())) != 0 ||
      rd_kafka_outq_len(producer.get()) > 0) {
    throw std::runtime_error("produce to '" + topic + "': not all records acknowledged");
  }
}

std::vector<Record> read_records(const std::string& bootstrap, const std::string& topic,
                                 std::chrono::milliseconds timeout) {
  KafkaHandle consumer = make_client(RD_KAFKA_CONSUMER, {{"bootstrap.servers", bootstrap},
                                                         {"group.id", "wirefeed-reader"},
                                                         {"enable.auto.commit", "false"},
                                                         {"enable.partition.eof", "true"},
                                                         {"fetch.wait.max.ms", "20"}});
  int partitions = partition_count(consumer.get(), topic, timeout);
  PartitionListHandle list(rd_kafka_topic_partition_list_new(partitions));
  for (int p = 0; p < partitions; ++p) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset =
        RD_KAFKA_OFFSET_BEGINNING;
  }
  if (auto err = rd_kafka_assign(consumer.get(), list.get())) {
    throw std::runtime_error(std::string("assign: ") + rd_kafka_err2str(err));
  }
  std::vector<Record> out;
  std::vector<bool> at_end(partitions, false);
  int ended = 0;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (ended < partitions) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("reading '" + topic + "': timed out");
    }
    MessageHandle m(rd_kafka_consumer_poll(consumer.get(), 100));
    if (!m) continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (!at_end[m->partition]) {
        at_end[m->partition] = true;
        ++ended;
      }
      continue;
    }
    if (m->err) throw std::runtime_error(rd_kafka_message_errstr(m.get()));
    Record r;
    r.partition = m->partition;
    r.offset = m->offset;
    if (m->key) r.key = std::string(static_cast<const char*>(m->key), m->key_len);
    if (m->payload) r.value.assign(static_cast<const char*>(m->payload), m->len);
    r.timestamp_ms = rd_kafka_message_timestamp(m.get(), nullptr);
    rd_kafka_headers_t* headers = nullptr;
    if (rd_kafka_message_headers(m.get(), &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      const char* name;
      const void* value;
      size_t size;
      for (size_t i = 0; !rd_kafka_header_get_all(headers, i, &name, &value, &size); ++i) {
        r.headers.emplace_back(
            name, value ? std::string(static_cast<const char*>(value), size) : std::string());
      }
    }
    out.push_back(std::move(r));
  }
  rd_kafka_consumer_close(consumer.get());
  return out;
}

std::map<std::int32_t, std::int64_t> committed_offsets(const std::string& bootstrap,
                                                       const std::string& group,
                                                       const std::string& topic) {
  KafkaHandle consumer = make_client(
      RD_KAFKA_CONSUMER,
      {{"bootstrap.servers", bootstrap}, {"group.id", group}, {"enable.auto.commit", "false"}});
  int partitions = partition_count(consumer.get(), topic, std::chrono::seconds(10));
  PartitionListHandle list(rd_kafka_topic_partition_list_new(partitions));
  for (int p = 0; p < partitions; ++p)
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p);
  if (auto err = rd_kafka_committed(consumer.get(), list.get(), 10000)) {
    throw std::runtime_error(std::string("committed: ") + rd_kafka_err2str(err));
  }
  std::map<std::int32_t, std::int64_t> out;
  for (int i = 0; i < list->cnt; ++i) {
    out[list->elems[i].partition] = list->elems[i].offset < 0 ? -1 : list->elems[i].offset;
  }
  rd_kafka_consumer_close(consumer.get());
  return out;
}

}  // namespace wirefeed::kafka
