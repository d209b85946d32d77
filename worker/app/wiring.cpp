#include "wiring.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "wirefeed/kafka/limits.h"
#include "wirefeed/ops/log.h"

namespace wirefeed::app {

std::vector<std::string> resolved_stages(const config::Config& config) {
  return config.pipeline_stages_set ? config.pipeline_stages : stages::default_stage_names();
}

stages::StageOptions stage_options(const config::Config& config) {
  stages::StageOptions options;
  options.max_message_bytes = config.max_message_bytes;
  options.settings = config.stage_settings;
  options.max_output_bytes = config.max_output_bytes;
  return options;
}

kafka::WorkerOptions worker_options(const config::Config& config) {
  kafka::WorkerOptions o;
  o.consumer = config.kafka_common;
  for (const auto& [k, v] : config.kafka_consumer) o.consumer[k] = v;
  o.producer = config.kafka_common;
  for (const auto& [k, v] : config.kafka_producer) o.producer[k] = v;
  // group.id is a consumer property; tolerate it in kafka.common too.
  o.producer.erase("group.id");
  o.input_topic = config.topic_input;
  o.output_topic = config.topic_output;
  o.dlq_topic = config.topic_dlq;
  o.threads = config.pipeline_threads ? config.pipeline_threads
                                      : std::max(1u, std::thread::hardware_concurrency());
  o.batch_size = config.pipeline_batch_size;
  o.max_in_flight = config.max_in_flight;
  o.shutdown_deadline = config.shutdown_deadline;
  o.stuck_after = config.stuck_after;
  o.statistics = config.metrics_enabled;
  o.exactly_once = config.exactly_once;
  if (config.output_headers_mode == "none") {
    o.output_headers = kafka::HeaderPropagation::none();
  } else if (config.output_headers_mode == "list") {
    o.output_headers = kafka::HeaderPropagation::list(config.output_headers);
  }
  if (o.exactly_once && o.producer["transactional.id"].empty()) {
    // One id per worker instance: with the group metadata sent along each
    // transaction's offsets (KIP-447), fencing follows the group generation,
    // so the id need not survive restarts. The pod name is unique per replica.
    char host[256] = {0};
    gethostname(host, sizeof host - 1);
    std::string group = o.consumer.contains("group.id") ? o.consumer.at("group.id") : "wirefeed";
    o.producer["transactional.id"] = "wirefeed-" + group + "-" + host;
  }
  // The producer's limit follows the record limits unless the user set it; set
  // or not, every admitted input must fit the DLQ and every output the producer.
  const kafka::SizeLimits limits{config.max_message_bytes, config.max_output_bytes};
  if (!o.producer.contains("message.max.bytes"))
    o.producer["message.max.bytes"] =
        std::to_string(kafka::default_producer_message_max_bytes(limits));
  // Validate now, with the exact properties the clients will get.
  kafka::check_properties(
      kafka::effective_consumer_properties(o.consumer, o.statistics, o.exactly_once), "consumer");
  kafka::Properties producer = kafka::effective_producer_properties(o.producer, o.exactly_once);
  kafka::check_properties(producer, "producer");
  kafka::check_size_limits(producer, limits);
  return o;
}

ObservedPipeline build_observed_pipeline(const config::Config& config) {
  ObservedPipeline out;
  if (config.metrics_enabled) {
    out.metrics =
        std::make_unique<ops::Metrics>(config.topic_input, config.topic_output, config.topic_dlq);
  }
  out.pipeline =
      stages::build_pipeline(resolved_stages(config), stage_options(config), out.metrics.get());
  if (out.metrics) out.metrics->bind_stages(out.pipeline->stage_names());
  return out;
}

std::unique_ptr<ops::HttpServer> serve_endpoints(const config::Config& config,
                                                 ops::Metrics* metrics,
                                                 const kafka::Worker& worker) {
  if (!metrics) return nullptr;
  auto http = std::make_unique<ops::HttpServer>(
      config.metrics_listen, [metrics] { return metrics->collect(); },
      [&worker] { return worker.health(); });
  ops::log_info("metrics endpoint listening",
                {{"listen", config.metrics_listen}, {"port", std::to_string(http->port())}});
  return http;
}

WorkerProcess::WorkerProcess(const config::Config& config, kafka::WorkerOptions options)
    : observed_(build_observed_pipeline(config)),
      worker_(std::make_unique<kafka::Worker>(std::move(options), *observed_.pipeline,
                                              observed_.metrics.get())),
      http_(serve_endpoints(config, observed_.metrics.get(), *worker_)) {}

int WorkerProcess::http_port() const { return http_ ? http_->port() : 0; }

int WorkerProcess::run() {
  install_stop_signals(worker_.get());
  int code = worker_->run();
  remove_stop_signals();
  return code;
}

namespace {

std::atomic<kafka::Worker*> g_worker{nullptr};
std::atomic<int> g_signals{0};

void on_stop_signal(int) {
  if (g_signals.fetch_add(1) > 0) _exit(130);  // second signal: give up now
  if (kafka::Worker* w = g_worker.load()) w->request_stop();
}

}  // namespace

void catch_stop_signals_early() {
  struct sigaction sa {};
  sa.sa_handler = &on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
}

void install_stop_signals(kafka::Worker* worker) {
  catch_stop_signals_early();
  g_worker = worker;
  // A signal that came while the worker was being built (loading the model,
  // connecting): stop now, cleanly, instead of dying by the default action.
  if (g_signals.load() > 0) worker->request_stop();
}

void remove_stop_signals() {
  // The worker has stopped and only the final summary is left: a late signal
  // (an orchestrator's retry, a second Ctrl-C) must not turn a clean exit code
  // into death by signal, so signals are ignored from here to exit.
  signal(SIGTERM, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  g_worker = nullptr;
}

}  // namespace wirefeed::app
