#include "wirefeed/kafka/producer.h"

#include <stdexcept>

namespace wirefeed::kafka {

void Producer::open(const Properties& properties, bool transactional, DeliveryListener& listener) {
  ConfHandle conf = make_conf(properties, "producer");
  // Delivery reports go to the listener, errors to the worker's state.
  callbacks_ = {&state_, &listener};
  rd_kafka_conf_set_opaque(conf.get(), &callbacks_);
  rd_kafka_conf_set_dr_msg_cb(conf.get(),
                              [](rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
                                static_cast<Callbacks*>(opaque)->listener->on_delivery(*m);
                              });
  rd_kafka_conf_set_error_cb(conf.get(),
                             [](rd_kafka_t* rk, int err, const char* reason, void* opaque) {
                               static_cast<Callbacks*>(opaque)->state->on_client_error(
                                   rk, static_cast<rd_kafka_resp_err_t>(err), reason);
                             });
  forward_client_logs(conf.get());
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), errstr, sizeof errstr);
  if (!rk) throw std::invalid_argument(std::string("kafka producer: ") + errstr);
  conf.release();  // the client owns it now
  rk_.reset(rk);
  if (transactional) {
    // Also finishes or aborts what an older producer of this id left open.
    ErrorHandle e(rd_kafka_init_transactions(rk_.get(), kTransactionTimeoutMs));
    if (e) {
      throw std::invalid_argument(std::string("kafka init_transactions: ") +
                                  rd_kafka_error_string(e.get()));
    }
  }
}

rd_kafka_resp_err_t Producer::produce(const char* topic, const void* key, std::size_t key_len,
                                      const void* value, std::size_t value_len,
                                      rd_kafka_headers_t* headers, void* ticket) {
  for (;;) {
    rd_kafka_resp_err_t err = rd_kafka_producev(
        rk_.get(), RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(const_cast<void*>(key), key_len),
        RD_KAFKA_V_VALUE(const_cast<void*>(value), value_len),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers),
        RD_KAFKA_V_OPAQUE(ticket), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) return err;
    // The local queue is full: serve delivery reports until there is room.
    poll(100);
    if (state_.fatal) return err;
  }
}

}  // namespace wirefeed::kafka
