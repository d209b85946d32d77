#include "wirefeed/kafka/handles.h"

#include <stdexcept>

namespace wirefeed::kafka {

const char* librdkafka_version() { return rd_kafka_version_str(); }

void check_properties(const Properties& properties, const std::string& client) {
  make_conf(properties, client);
}

ConfHandle make_conf(const Properties& properties, const std::string& client) {
  ConfHandle conf(rd_kafka_conf_new());
  char errstr[512];
  for (const auto& [name, value] : properties) {
    if (rd_kafka_conf_set(conf.get(), name.c_str(), value.c_str(), errstr, sizeof errstr) !=
        RD_KAFKA_CONF_OK) {
      throw std::invalid_argument("kafka " + client + " property '" + name + "': " + errstr);
    }
  }
  return conf;
}

ErrorClass classify(rd_kafka_t* handle, rd_kafka_resp_err_t err) {
  if (err == RD_KAFKA_RESP_ERR__FATAL) return ErrorClass::kFatal;
  if (handle) {
    char buf[256];
    if (rd_kafka_fatal_error(handle, buf, sizeof buf) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return ErrorClass::kFatal;
    }
  }
  switch (err) {
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR__RESOLVE:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__PARTITION_EOF:
    case RD_KAFKA_RESP_ERR__QUEUE_FULL:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_COORDINATOR:
    case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS:
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
      return ErrorClass::kRetriable;
    case RD_KAFKA_RESP_ERR__STATE:
    case RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH:
      return ErrorClass::kAbortable;
    case RD_KAFKA_RESP_ERR_PRODUCER_FENCED:
    case RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
      return ErrorClass::kFatal;
    default:
      return ErrorClass::kPermanent;
  }
}

ErrorClass classify(const rd_kafka_error_t* error) {
  if (rd_kafka_error_is_fatal(error)) return ErrorClass::kFatal;
  if (rd_kafka_error_txn_requires_abort(error)) return ErrorClass::kAbortable;
  if (rd_kafka_error_is_retriable(error)) return ErrorClass::kRetriable;
  return ErrorClass::kPermanent;
}

}  // namespace wirefeed::kafka
