// wirefeed demo: the real worker on an embedded Kafka cluster, end to end.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <thread>

#include "cli.h"
#include "wirefeed/kafka/embedded_cluster.h"
#include "wirefeed/kafka/record_io.h"
#include "wirefeed/ops/http_server.h"
#include "wirefeed/ops/log.h"
#include "wirefeed/ops/metrics.h"
#include "wiring.h"

namespace wirefeed::app {

namespace {

constexpr const char* kHelp =
    R"(usage: wirefeed demo [--articles N] [--metrics-listen ADDR] [--partitions P]

Starts an embedded Kafka cluster in this process (librdkafka's mock cluster: the
real Kafka protocol on loopback), creates the topics wirefeed.raw, wirefeed.enriched
and wirefeed.dlq, produces N articles (the sample news shipped in the binary --
Wikinews and MEANTIME articles in four languages and the seed article -- plus a
few malformed records), runs the worker on them, reads both output topics back,
and prints a summary and a sample record. /metrics, /healthz and /readyz are served
while it runs. Exits 0 once every article is accounted for.

options:
  --articles N          articles to produce (default: every sample once, plus the
                        malformed ones; larger N cycles through the samples)
  --metrics-listen ADDR host:port for /metrics (default 127.0.0.1:9100; port 0: any free)
  --partitions P        partitions of the input topic (default 4)
)";

constexpr const char* kInput = "wirefeed.raw";
constexpr const char* kOutput = "wirefeed.enriched";
constexpr const char* kDlq = "wirefeed.dlq";
constexpr std::size_t kDemoMaxMessageBytes = 256 * 1024;

// Records a real feed delivers now and then; each must land in the DLQ with a reason.
std::vector<kafka::Record> malformed_records() {
  std::vector<kafka::Record> out;
  auto add = [&](std::string key, std::string value) {
    kafka::Record r;
    r.key = std::move(key);
    r.value = std::move(value);
    out.push_back(std::move(r));
  };
  add("malformed-json", R"({"id": "broken-1", "title": "Truncated record", "body": "The feed cut)");
  add("malformed-utf8", std::string("Plain text with bytes that are not UTF-8: caf\xE9 \xFF\xFE"));
  add("malformed-empty", "");
  add("malformed-no-body", R"({"id": "headline-only", "title": "A headline without a story"})");
  add("malformed-field-type", R"({"id": 42, "body": "The id is a number, not a string."})");
  add("malformed-oversize",
      R"({"id": "oversize", "body": ")" + std::string(kDemoMaxMessageBytes, 'x') + "\"}");
  return out;
}

std::vector<kafka::Record> sample_records(std::size_t wanted) {
  std::vector<kafka::Record> samples;
  std::string_view rest = sample_articles_jsonl();
  while (!rest.empty()) {
    std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (line.empty()) continue;
    kafka::Record r;
    // The key only spreads records over partitions; the output key is the article id.
    std::size_t id_at = line.find("\"id\":\"");
    r.key = std::string(line.substr(id_at + 6, line.find('"', id_at + 6) - id_at - 6));
    r.value = std::string(line);
    samples.push_back(std::move(r));
  }
  kafka::Record seed;
  seed.key = "seed";
  seed.value = std::string(sample_seed_text());  // a plain-text article
  samples.push_back(std::move(seed));

  std::vector<kafka::Record> bad = malformed_records();
  std::size_t total = wanted ? wanted : samples.size() + bad.size();
  std::vector<kafka::Record> out;
  out.reserve(total);
  // Spread the malformed records through the stream, then cycle the samples.
  std::size_t stride = std::max<std::size_t>(1, total / (bad.size() + 1));
  std::size_t next_bad = 0, next_sample = 0;
  for (std::size_t i = 0; i < total; ++i) {
    if (next_bad < bad.size() && i > 0 && i % stride == 0) {
      out.push_back(bad[next_bad++]);
    } else {
      out.push_back(samples[next_sample++ % samples.size()]);
    }
  }
  return out;
}

}  // namespace

int cmd_demo(Args args) {
  long long articles = 0, partitions = 4;
  std::string listen = "127.0.0.1:9100";
  while (!args.done()) {
    std::string arg = args.next();
    if (arg == "--help" || arg == "-h") {
      std::cout << kHelp;
      return 0;
    } else if (arg == "--articles") {
      articles = parse_count("demo", arg, args.value(arg), 1);
    } else if (arg == "--metrics-listen") {
      listen = args.value(arg);
    } else if (arg == "--partitions") {
      partitions = parse_count("demo", arg, args.value(arg), 1);
    } else {
      args.unknown(arg);
    }
  }
  ops::Log::configure("warn", "auto");

  kafka::EmbeddedCluster cluster(1);
  cluster.create_topic(kInput, static_cast<int>(partitions));
  cluster.create_topic(kOutput, static_cast<int>(partitions));
  cluster.create_topic(kDlq, 1);
  std::vector<kafka::Record> input = sample_records(static_cast<std::size_t>(articles));
  std::size_t input_bytes = 0;
  for (const auto& r : input) input_bytes += r.value.size();
  kafka::produce_records(cluster.bootstrap(), kInput, input);
  std::printf("embedded Kafka cluster at %s\nproduced %zu articles (%.1f MB) to %s\n",
              cluster.bootstrap().c_str(), input.size(), static_cast<double>(input_bytes) / 1e6,
              kInput);

  // The same configuration path as `run`, with the demo's values.
  config::Config config =
      config::load("", "demo", {},
                   {"kafka.common.bootstrap.servers=" + cluster.bootstrap(),
                    "kafka.consumer.group.id=wirefeed-demo", "topics.input=" + std::string(kInput),
                    "topics.output=" + std::string(kOutput), "topics.dlq=" + std::string(kDlq),
                    "metrics.listen=" + listen,
                    "limits.max_message_bytes=" + std::to_string(kDemoMaxMessageBytes),
                    "kafka.consumer.fetch.wait.max.ms=20", "shutdown.deadline=10s"});
  kafka::WorkerOptions options = worker_options(config);
  ObservedPipeline observed = build_observed_pipeline(config);  // metrics are on in the demo
  ops::Metrics& metrics = *observed.metrics;
  kafka::Worker worker(std::move(options), *observed.pipeline, &metrics);
  auto http = serve_endpoints(config, &metrics, worker);
  std::printf("metrics at http://%s:%d/metrics\n",
              config.metrics_listen.substr(0, config.metrics_listen.rfind(':')).c_str(),
              http->port());

  install_stop_signals(&worker);
  auto start = std::chrono::steady_clock::now();
  int exit_code = 0;
  std::thread runner([&] { exit_code = worker.run(); });
  auto deadline = start + std::chrono::seconds(120);
  double processing_seconds = 0;
  bool accounted = false;
  // Throughput counts from the first record polled: joining the group is not work.
  std::optional<std::chrono::steady_clock::time_point> first_polled;
  while (std::chrono::steady_clock::now() < deadline) {
    kafka::WorkerCounters c = worker.counters();
    if (!first_polled && c.consumed > 0) first_polled = std::chrono::steady_clock::now();
    if (c.produced + c.dlq >= input.size()) {
      processing_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                         first_polled.value_or(start))
                               .count();
      accounted = true;
      break;
    }
    if (!worker.health().alive) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  worker.request_stop();
  runner.join();
  remove_stop_signals();

  // Verify against the topics themselves, not the worker's own counters.
  std::vector<kafka::Record> enriched = kafka::read_records(cluster.bootstrap(), kOutput);
  std::vector<kafka::Record> dead = kafka::read_records(cluster.bootstrap(), kDlq);
  std::map<std::string, std::size_t> reasons;
  for (const auto& r : dead) reasons[r.header("wirefeed-error-code").value_or("?")]++;
  kafka::WorkerCounters c = worker.counters();

  std::printf("\nconsumed   %llu\nenriched   %zu (in %s)\ndlq        %zu (in %s)\n",
              static_cast<unsigned long long>(c.consumed), enriched.size(), kOutput, dead.size(),
              kDlq);
  for (const auto& [reason, n] : reasons) std::printf("  %-20s %zu\n", reason.c_str(), n);
  if (processing_seconds > 0) {
    std::printf("throughput %.0f articles/s, %.1f MB/s (end to end through Kafka, %zu threads)\n",
                static_cast<double>(input.size()) / processing_seconds,
                static_cast<double>(input_bytes) / 1e6 / processing_seconds,
                worker_options(config).threads);
  }
  std::printf("\ntime per stage (mean per record):\n");
  double total = 0;
  auto timings = metrics.stage_timings();
  for (const auto& t : timings) total += t.seconds;
  for (const auto& t : timings) {
    std::printf("  %-12s %8.1f us  %5.1f%%  (%llu records, %llu errors)\n", t.stage.c_str(),
                t.count ? t.seconds / static_cast<double>(t.count) * 1e6 : 0.0,
                total > 0 ? 100 * t.seconds / total : 0.0, static_cast<unsigned long long>(t.count),
                static_cast<unsigned long long>(t.errors));
  }
  auto sample = std::find_if(enriched.begin(), enriched.end(), [](const kafka::Record& r) {
    return r.key && r.key->starts_with("txt-");
  });
  if (sample == enriched.end() && !enriched.empty()) sample = enriched.begin();
  if (sample != enriched.end()) {
    std::string shown = sample->value;
    if (shown.size() > 1500) shown = shown.substr(0, 1500) + " ...(truncated)";
    std::printf("\nsample record (key %s):\n%s\n", sample->key.value_or("").c_str(), shown.c_str());
  }
  bool all = accounted && enriched.size() + dead.size() == input.size();
  std::printf("\n%s: %zu in, %zu enriched + %zu dead-lettered\n",
              all ? "every article accounted for" : "NOT every article accounted for", input.size(),
              enriched.size(), dead.size());
  if (exit_code != 0) return exit_code;
  return all ? 0 : 1;
}

}  // namespace wirefeed::app
