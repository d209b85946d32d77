#include "wirefeed/kafka/embedded_cluster.h"

#include <stdexcept>

#include "wirefeed/kafka/handles.h"

namespace wirefeed::kafka {

struct EmbeddedCluster::Handles {
  KafkaHandle handle;  // destroyed after the cluster (members destroy in reverse)
  MockClusterHandle cluster;
};

EmbeddedCluster::EmbeddedCluster(int brokers) : handles_(std::make_unique<Handles>()) {
  ConfHandle conf(rd_kafka_conf_new());
  char errstr[512];
  // The host handle only carries the mock; keep its own logging quiet.
  rd_kafka_conf_set(conf.get(), "log_level", "3", errstr, sizeof errstr);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), errstr, sizeof errstr);
  if (!rk) throw std::runtime_error(std::string("embedded cluster: ") + errstr);
  conf.release();  // owned by rk now
  handles_->handle.reset(rk);
  handles_->cluster.reset(rd_kafka_mock_cluster_new(rk, brokers));
  if (!handles_->cluster) {
    throw std::runtime_error("embedded cluster: rd_kafka_mock_cluster_new failed");
  }
  bootstrap_ = rd_kafka_mock_cluster_bootstraps(handles_->cluster.get());
}

EmbeddedCluster::~EmbeddedCluster() = default;

rd_kafka_mock_cluster_t* EmbeddedCluster::mock() const { return handles_->cluster.get(); }

void EmbeddedCluster::create_topic(const std::string& name, int partitions,
                                   int replication_factor) {
  rd_kafka_resp_err_t err =
      rd_kafka_mock_topic_create(mock(), name.c_str(), partitions, replication_factor);
  if (err) {
    throw std::runtime_error("embedded cluster: cannot create topic '" + name +
                             "': " + rd_kafka_err2str(err));
  }
}

}  // namespace wirefeed::kafka
