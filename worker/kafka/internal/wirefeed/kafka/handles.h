// RAII for librdkafka handles: one deleter and one unique_ptr alias per type.
// Internal to worker/kafka (and its white-box tests): the public headers in
// include/ never name librdkafka's types.
#pragma once

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <memory>
#include <string>

#include "wirefeed/kafka/properties.h"

namespace wirefeed::kafka {

struct KafkaDeleter {
  void operator()(rd_kafka_t* p) const { rd_kafka_destroy(p); }
};
struct ConfDeleter {
  void operator()(rd_kafka_conf_t* p) const { rd_kafka_conf_destroy(p); }
};
struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* p) const {
    rd_kafka_topic_partition_list_destroy(p);
  }
};
struct MessageDeleter {
  void operator()(rd_kafka_message_t* p) const { rd_kafka_message_destroy(p); }
};
struct HeadersDeleter {
  void operator()(rd_kafka_headers_t* p) const { rd_kafka_headers_destroy(p); }
};
struct ErrorDeleter {
  void operator()(rd_kafka_error_t* p) const { rd_kafka_error_destroy(p); }
};
struct MockClusterDeleter {
  void operator()(rd_kafka_mock_cluster_t* p) const { rd_kafka_mock_cluster_destroy(p); }
};

using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaDeleter>;
using ConfHandle = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;
using PartitionListHandle = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;
using MessageHandle = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;
using HeadersHandle = std::unique_ptr<rd_kafka_headers_t, HeadersDeleter>;
using ErrorHandle = std::unique_ptr<rd_kafka_error_t, ErrorDeleter>;
using MockClusterHandle = std::unique_ptr<rd_kafka_mock_cluster_t, MockClusterDeleter>;

// Builds a conf from properties. Throws std::invalid_argument with one line naming
// the property librdkafka rejected. `client` ("consumer"/"producer") goes in the
// message.
ConfHandle make_conf(const Properties& properties, const std::string& client);

// How to act on an error: the class, not the individual code, decides.
enum class ErrorClass {
  kRetriable,  // transient: librdkafka retries or recovers by itself; log and go on
  kAbortable,  // the current transaction must abort (exactly-once mode)
  kFatal,      // the client instance is unusable: stop the worker
  kPermanent,  // this operation failed for good (e.g. a delivery after all retries)
};

// A bare error code (consumer events, delivery reports): librdkafka attaches no
// class to these, so the instance's fatal state is asked first and a short list
// of transient codes decides the rest.
ErrorClass classify(rd_kafka_t* handle, rd_kafka_resp_err_t err);

// An error object (the transactional and assignment APIs): librdkafka says
// itself whether it is fatal, needs the transaction aborted, or may be retried,
// so no list of ours can drift from it. A null error is not an error: kRetriable
// is never returned for it; callers test for null first.
ErrorClass classify(const rd_kafka_error_t* error);

}  // namespace wirefeed::kafka
