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

namespace {

struct RunArgs {
  std::string config_path;
  std::vector<std::string> sets;
  bool check = false;
};

int run(const RunArgs& a) {
  if (!a.check) catch_stop_signals_early();
  config::Config config = config::load_file(a.config_path, config::process_environment(), a.sets);
  ops::Log::configure(config.log_level, config.log_format);
  kafka::WorkerOptions options = worker_options(config);  // validates the librdkafka properties
  if (a.check) {
    build_observed_pipeline(config);  // validates pipeline.stages
    config.pipeline_stages = resolved_stages(config);
    std::cout << config::render(config);
    std::cout << "# ok: configuration and librdkafka properties are valid\n";
    return 0;
  }
  WorkerProcess process(config, std::move(options));
  return process.run();
}

}  // namespace

Runner declare_run(CLI::App& sub) {
  sub.description(kHelp);
  auto a = std::make_shared<RunArgs>();
  sub.add_option("--config", a->config_path, "YAML configuration")->required();
  add_sets(sub, a->sets);
  sub.add_flag("--check", a->check, "validate, print the effective config, exit");
  return [a] { return run(*a); };
}

}  // namespace wirefeed::app
