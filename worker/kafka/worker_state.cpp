#include "wirefeed/kafka/worker_state.h"

#include "wirefeed/ops/log.h"

namespace wirefeed::kafka {

std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void forward_client_logs(rd_kafka_conf_t* conf) {
  rd_kafka_conf_set_log_cb(conf, [](const rd_kafka_t* rk, int level, const char* fac,
                                    const char* buf) {
    ops::LogLevel l = level <= 3   ? ops::LogLevel::kError
                      : level <= 4 ? ops::LogLevel::kWarn
                      : level <= 6 ? ops::LogLevel::kInfo
                                   : ops::LogLevel::kDebug;
    ops::Log::write(
        l, buf, {{"component", "librdkafka"}, {"facility", fac}, {"client", rd_kafka_name(rk)}});
  });
}

void WorkerState::fail(std::string message) {
  if (!fatal) ops::log_error("worker stopping on a fatal error", {{"error", message}});
  fatal = true;
  failed = true;
}

void WorkerState::add_in_flight(std::int64_t delta) {
  in_flight.fetch_add(static_cast<std::uint64_t>(delta));
  if (observer) observer->on_in_flight(in_flight.load());
}

void WorkerState::on_client_error(rd_kafka_t* rk, rd_kafka_resp_err_t err, const char* reason) {
  kafka_error(rd_kafka_err2name(err));
  if (classify(rk, err) == ErrorClass::kFatal) {
    char buf[512] = {0};
    rd_kafka_fatal_error(rk, buf, sizeof buf);
    fail(std::string("fatal Kafka error: ") + (buf[0] ? buf : reason));
    return;
  }
  ops::log_warn(
      "kafka error",
      {{"client", rd_kafka_name(rk)}, {"code", rd_kafka_err2name(err)}, {"reason", reason}});
}

}  // namespace wirefeed::kafka
