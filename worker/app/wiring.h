// Config -> library objects. Shared by run, demo and enrich.
#pragma once

#include <string>
#include <vector>

#include "wirefeed/config/config.h"
#include "wirefeed/kafka/worker.h"
#include "wirefeed/stages/registry.h"

namespace wirefeed::app {

// pipeline.stages when set, else every built-in stage.
std::vector<std::string> resolved_stages(const config::Config& config);
stages::StageOptions stage_options(const config::Config& config);
// Merges kafka.common into each client's properties (client keys win). Throws
// std::invalid_argument naming a property librdkafka rejects.
kafka::WorkerOptions worker_options(const config::Config& config);

// Installs SIGTERM/SIGINT handlers that ask `worker` to stop; a second signal
// exits at once (nothing more is committed, so nothing is lost).
void install_stop_signals(kafka::Worker* worker);
void remove_stop_signals();

}  // namespace wirefeed::app
