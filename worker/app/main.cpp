// wirefeed: the CLI. It only wires the libraries together.
#include <librdkafka/rdkafka.h>
#include <simdjson.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli.h"
#include "wirefeed/config/config.h"
#include "wirefeed/core/version.h"

#define STRINGIFY_INNER(x) #x
#define STRINGIFY(x) STRINGIFY_INNER(x)

namespace {

constexpr const char* kUsage = R"(wirefeed - streaming news-ingest worker

usage: wirefeed <command> [options]

commands:
  run      --config FILE [--set key=value ...] [--check]
           the long-running worker in a consumer group
  enrich   [--input FILE] [--output FILE] [--config FILE] [--set key=value ...]
           the same pipeline offline: JSON Lines (or one plain-text article) in,
           enriched JSON Lines out
  replay   --config FILE --from SPEC [--to SPEC] [--topic T] [--partitions LIST]
           [--output-topic T] [--max-rate N] [--name NAME] [--restart] [--dry-run]
           reprocess a topic range (a backfill), resumable and bounded
  demo     [--articles N] [--metrics-listen ADDR]
           the worker on an embedded Kafka cluster with sample articles
  broker   [--brokers N] [--partitions P] [--topics a,b,c]
           an embedded Kafka cluster for other processes
  eval     extract --dir DIR [--verbose] | ner --conll FILE
           extraction and NER quality on the evaluation data (../shared/data)
  version  print versions

Each command takes --help.
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace wirefeed;
  std::vector<std::string> rest(argv + (argc > 1 ? 2 : 1), argv + argc);
  std::string command = argc > 1 ? argv[1] : "";
  if (argc > 0) app::set_program_path(argv[0]);
  try {
    if (command == "run") return app::cmd_run(app::Args(command, rest));
    if (command == "enrich") return app::cmd_enrich(app::Args(command, rest));
    if (command == "demo") return app::cmd_demo(app::Args(command, rest));
    if (command == "broker") return app::cmd_broker(app::Args(command, rest));
    if (command == "replay") return app::cmd_replay(app::Args(command, rest));
    if (command == "eval") return app::cmd_eval(app::Args(command, rest));
    if (command == "version" || command == "--version") {
      std::cout << "wirefeed " << core::build_version() << " (pipeline " << core::kPipelineVersion
                << ", librdkafka " << rd_kafka_version_str() << ", simdjson "
                << STRINGIFY(SIMDJSON_VERSION) << ")\n";
      return 0;
    }
    if (command == "help" || command == "--help" || command == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (command.empty()) {
      std::cerr << "wirefeed: missing command (see wirefeed --help)\n";
    } else {
      std::cerr << "wirefeed: unknown command '" << command << "' (see wirefeed --help)\n";
    }
    return 2;
  } catch (const app::UsageError& e) {
    std::cerr << "wirefeed " << e.what() << "\n";
    return 2;
  } catch (const config::ConfigError& e) {
    std::cerr << "wirefeed: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "wirefeed: " << e.what() << "\n";
    return 1;
  }
}
