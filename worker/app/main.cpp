// wirefeed: the CLI. It only wires the libraries together; each command lives in
// its own file (cmd_<name>.cpp), declared in the table below (see cli.h).
#include <simdjson.h>

#include <iostream>

#include "cli.h"
#include "wirefeed/core/version.h"
#include "wirefeed/kafka/properties.h"

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
  redrive  --config FILE [...]  dead letters back to the input topic (redrive --help)
  demo     [--articles N] [--metrics-listen ADDR] [--partitions P]
           the worker on an embedded Kafka cluster with sample articles
  broker   [--brokers N] [--partitions P] [--topics a,b,c]
           an embedded Kafka cluster for other processes
  eval     extract --dir DIR [--verbose] | ner --conll FILE [--language xx]
           extraction and NER quality on the evaluation data (../shared/data)
  train    topics --input FILE --output MODEL [--labels-field F] [--multi-label] [--folds K]
           fit a topics model on your own labelled JSON Lines (train topics --help)
  version  print versions

Each command takes --help.
)";

constexpr const char* kVersionHelp = R"(usage: wirefeed version

Prints the build version, the pipeline version (it goes into every record) and
the versions of librdkafka and simdjson.
)";

wirefeed::app::Runner declare_version(CLI::App& sub) {
  sub.description(kVersionHelp);
  return [] {
    std::cout << "wirefeed " << wirefeed::core::build_version() << " (pipeline "
              << wirefeed::core::kPipelineVersion << ", librdkafka "
              << wirefeed::kafka::librdkafka_version() << ", simdjson "
              << STRINGIFY(SIMDJSON_VERSION) << ")\n";
    return 0;
  };
}

}  // namespace

int main(int argc, char** argv) {
  using namespace wirefeed::app;
  // `wirefeed --version` and `wirefeed help` as the old CLI took them.
  std::vector<const char*> args(argv, argv + argc);
  if (argc == 2 && std::string_view(argv[1]) == "--version") args[1] = "version";
  if (argc == 2 && std::string_view(argv[1]) == "help") args[1] = "--help";

  Cli cli(kUsage);
  cli.add("run", "the long-running worker in a consumer group", declare_run);
  cli.add("enrich", "the pipeline offline: JSON Lines in, enriched JSON Lines out", declare_enrich);
  cli.add("replay", "reprocess a topic range (a backfill), resumable and bounded", declare_replay);
  cli.add("demo", "the worker on an embedded Kafka cluster with sample articles", declare_demo);
  cli.add("broker", "an embedded Kafka cluster for other processes", declare_broker);
  cli.add_args_command("redrive", "dead letters back to the input topic, selected by reason",
                       cmd_redrive);
  cli.add_args_command("eval", "extraction and NER quality on the evaluation data", cmd_eval);
  cli.add_args_command("train", "fit a topics model on your own labelled JSON Lines", cmd_train);
  cli.add("version", "print versions", declare_version);
  return cli.run(static_cast<int>(args.size()), args.data());
}
