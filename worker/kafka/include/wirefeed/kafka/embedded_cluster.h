// An in-process Kafka cluster: librdkafka's mock cluster, which speaks the real
// Kafka protocol on loopback (tests, `wirefeed demo`, `wirefeed broker`).
#pragma once

#include <memory>
#include <string>

// librdkafka's mock cluster, declared as librdkafka declares it; tests that
// inject faults include <librdkafka/rdkafka_mock.h> themselves.
typedef struct rd_kafka_mock_cluster_s rd_kafka_mock_cluster_t;

namespace wirefeed::kafka {

// Owns the mock cluster and the client handle it lives in. Limits of
// librdkafka 2.0.2's mock: offsets-for-times answers -1, transactions are not
// isolated, and each partition keeps about 5 MiB. Thread-safe as the mock API is.
class EmbeddedCluster {
 public:
  explicit EmbeddedCluster(int brokers = 1);
  ~EmbeddedCluster();
  EmbeddedCluster(const EmbeddedCluster&) = delete;
  EmbeddedCluster& operator=(const EmbeddedCluster&) = delete;

  const std::string& bootstrap() const { return bootstrap_; }
  // Throws std::runtime_error if the mock refuses.
  void create_topic(const std::string& name, int partitions, int replication_factor = 1);
  // For fault injection (rd_kafka_mock_*). Owned by this object.
  rd_kafka_mock_cluster_t* mock() const;

 private:
  struct Handles;  // the client handle and the mock it lives in (librdkafka types)
  std::unique_ptr<Handles> handles_;
  std::string bootstrap_;
};

}  // namespace wirefeed::kafka
