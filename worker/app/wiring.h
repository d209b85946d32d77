// Config -> library objects: the wiring run, replay and demo share (WorkerProcess)
// and its parts (enrich uses the pipeline alone).
#pragma once

#include <string>
#include <vector>

#include "wirefeed/config/config.h"
#include "wirefeed/kafka/worker.h"
#include "wirefeed/ops/http_server.h"
#include "wirefeed/ops/metrics.h"
#include "wirefeed/stages/registry.h"

namespace wirefeed::app {

// pipeline.stages when set, else every built-in stage.
std::vector<std::string> resolved_stages(const config::Config& config);
stages::StageOptions stage_options(const config::Config& config);
// Merges kafka.common into each client's properties (client keys win). Throws
// std::invalid_argument naming a property librdkafka rejects.
kafka::WorkerOptions worker_options(const config::Config& config);

// The configured pipeline and, when metrics.enabled, its metrics (stage series
// bound). `metrics` is null when metrics are disabled.
struct ObservedPipeline {
  std::unique_ptr<ops::Metrics> metrics;
  std::unique_ptr<core::Pipeline> pipeline;
};
ObservedPipeline build_observed_pipeline(const config::Config& config);

// What run, replay and demo share: the configured pipeline and its metrics, the
// worker over them, the HTTP endpoints (when metrics.enabled) and the stop signals
// while the worker runs. The caller adjusts `options` first (replay sets its group
// and ranges). Owns everything it builds; members are destroyed in reverse order
// (server, worker, pipeline, metrics). worker() is safe to use from other threads
// as kafka::Worker is (request_stop, health, counters); run() is called once.
class WorkerProcess {
 public:
  WorkerProcess(const config::Config& config, kafka::WorkerOptions options);
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  kafka::Worker& worker() { return *worker_; }
  ops::Metrics* metrics() const { return observed_.metrics.get(); }  // null: metrics off
  int http_port() const;                                             // 0 without an HTTP server

  // Installs the stop signals, runs the worker on this thread until it stops,
  // then ignores further signals; returns the worker's exit code (kafka::kExit*).
  int run();

 private:
  ObservedPipeline observed_;
  std::unique_ptr<kafka::Worker> worker_;
  std::unique_ptr<ops::HttpServer> http_;
};

// Serves /metrics, /healthz and /readyz for `worker` on metrics.listen; null
// when metrics are disabled. `metrics` and `worker` must outlive the server.
std::unique_ptr<ops::HttpServer> serve_endpoints(const config::Config& config,
                                                 ops::Metrics* metrics,
                                                 const kafka::Worker& worker);

// Installs SIGTERM/SIGINT handlers that ask `worker` to stop; a second signal
// exits at once (nothing more is committed, so nothing is lost).
void install_stop_signals(kafka::Worker* worker);
// Counts SIGTERM/SIGINT from process start, before a worker exists (start-up
// loads models and may take a while); install_stop_signals() then honours them.
void catch_stop_signals_early();
// After the worker stopped: ignores SIGTERM/SIGINT until the process exits.
void remove_stop_signals();

}  // namespace wirefeed::app
