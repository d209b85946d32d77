// wirefeed run: the long-running worker.
#include <iostream>
#include <memory>

#include "cli.h"
#include "wirefeed/ops/http_server.h"
#include "wirefeed/ops/log.h"
#include "wirefeed/ops/metrics.h"
#include "wiring.h"

namespace wirefeed::app {

namespace {

constexpr const char* kHelp = R"(usage: wirefeed run --config FILE [--set key=value ...] [--check]

Consumes raw articles from topics.input in the consumer group kafka.consumer.group.id,
enriches them, produces one record per article to topics.output (failures to
topics.dlq), and serves /metrics, /healthz and /readyz on metrics.listen.
Stops cleanly on SIGTERM or SIGINT within shutdown.deadline.

options:
  --config FILE      YAML configuration (see deploy/config.example.yaml)
  --set key=value    override one key (repeatable; after WIREFEED_* environment)
  --check            validate, print the effective config (secrets redacted), exit

exit codes: 0 clean stop, 1 fatal error or bad config, 2 wrong usage,
            3 shutdown deadline passed with records unacknowledged
)";

}  // namespace

int cmd_run(Args args) {
  std::string config_path;
  std::vector<std::string> sets;
  bool check = false;
  while (!args.done()) {
    std::string arg = args.next();
    if (arg == "--help" || arg == "-h") {
      std::cout << kHelp;
      return 0;
    } else if (arg == "--config") {
      config_path = args.value(arg);
    } else if (arg == "--set") {
      sets.push_back(args.value(arg));
    } else if (arg == "--check") {
      check = true;
    } else if (auto kv = Args::split_eq(arg); kv && kv->first == "--config") {
      config_path = kv->second;
    } else if (kv && kv->first == "--set") {
      sets.push_back(kv->second);
    } else {
      args.unknown(arg);
    }
  }
  if (config_path.empty()) throw UsageError("run: --config FILE is required");

  if (!check) catch_stop_signals_early();
  config::Config config = config::load_file(config_path, config::process_environment(), sets);
  ops::Log::configure(config.log_level, config.log_format);
  kafka::WorkerOptions options = worker_options(config);
  ObservedPipeline observed = build_observed_pipeline(config);  // validates pipeline.stages
  if (check) {
    config.pipeline_stages = resolved_stages(config);
    std::cout << config::render(config);
    std::cout << "# ok: configuration and librdkafka properties are valid\n";
    return 0;
  }
  kafka::Worker worker(std::move(options), *observed.pipeline, observed.metrics.get());
  auto http = serve_endpoints(config, observed.metrics.get(), worker);
  install_stop_signals(&worker);
  int code = worker.run();
  remove_stop_signals();
  return code;
}

}  // namespace wirefeed::app
