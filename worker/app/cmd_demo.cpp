// wirefeed demo: the real worker on an embedded Kafka cluster, end to end, measured
// the way bench/e2e measures it: throughput over the steady state (first output to
// last acknowledgement), with start-up and the group join reported apart.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "cli.h"
#include "demo_corpus.h"
#include "record_preview.h"
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
Wikinews and MEANTIME articles in four languages and the seed article -- cycled
with distinct ids, plus a few malformed records), runs the worker on them, reads
both output topics back, and prints the throughput over the steady state (first
output to last acknowledgement; start-up and the group join on their own line),
the time per stage and a sample record. /metrics, /healthz and /readyz are served
while it runs. Exits 0 once every article is accounted for.

options:
  --articles N          articles to produce (default 20000: enough to reach a
                        steady state; the malformed records are among them)
  --metrics-listen ADDR host:port for /metrics (default 127.0.0.1:9100; port 0: any free)
  --partitions P        partitions of the input and output topics (default: enough
                        for the mock cluster's ~5 MiB per partition)
)";

constexpr const char* kInput = "wirefeed.raw";
constexpr const char* kOutput = "wirefeed.enriched";
constexpr const char* kDlq = "wirefeed.dlq";
constexpr std::size_t kDefaultArticles = 20000;
constexpr std::size_t kDemoMaxMessageBytes = 256 * 1024;
// The mock cluster keeps about 5 MiB per partition and drops older data beyond
// it, which would lose records before the demo reads them back. Enriched records
// are about 3x their input on the samples; 4x and 3 MiB leave room.
constexpr double kPartitionBudgetBytes = 3.0 * 1024 * 1024;
constexpr double kOutputPerInputByte = 4.0;

double seconds_between(std::chrono::steady_clock::time_point a,
                       std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// CPU seconds of this process, and of the embedded cluster's own thread
// ("rdk:mock"), which a real deployment runs elsewhere: the worker's share is
// the difference.
struct CpuSample {
  double process = 0;
  double broker = 0;
};

CpuSample cpu_now() {
  CpuSample s;
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  s.process = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
              static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    std::getline(comm, name);
    if (!name.starts_with("rdk:mock")) continue;
    std::ifstream stat(task.path() / "stat");
    std::string line;
    std::getline(stat, line);
    // Fields after the parenthesised name: state is field 3, utime 14, stime 15.
    std::size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    double utime = 0, stime = 0;
    for (int f = 3; f <= 15 && rest >> field; ++f) {
      if (f == 14) utime = std::atof(field.c_str());
      if (f == 15) stime = std::atof(field.c_str());
    }
    s.broker += (utime + stime) / tick;
  }
  return s;
}

std::string with_commas(double value) {
  long long v = std::llround(value);
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

struct DemoArgs {
  long long articles = kDefaultArticles;
  long long partitions = 0;  // 0: enough for the mock's ~5 MiB per partition
  std::string listen = "127.0.0.1:9100";
};

int demo(const DemoArgs& a) {
  const long long articles = a.articles, partitions = a.partitions;
  const std::string& listen = a.listen;
  ops::Log::configure("warn", "auto");
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  const bool tty = isatty(STDOUT_FILENO);

  std::vector<kafka::Record> input =
      demo_records(static_cast<std::size_t>(articles), kDemoMaxMessageBytes);
  std::size_t input_bytes = 0;
  for (const auto& r : input) input_bytes += r.value.size();
  const int needed = static_cast<int>(
      std::ceil(static_cast<double>(input_bytes) * kOutputPerInputByte / kPartitionBudgetBytes));
  const int topic_partitions = partitions ? static_cast<int>(partitions) : std::max(4, needed);
  if (topic_partitions < needed) {
    std::printf(
        "note: %d partitions may exceed the mock cluster's ~5 MiB per partition; "
        "%d would not\n",
        topic_partitions, needed);
  }

  kafka::EmbeddedCluster cluster(1);
  cluster.create_topic(kInput, topic_partitions);
  cluster.create_topic(kOutput, topic_partitions);
  cluster.create_topic(kDlq, 1);
  const auto producing = Clock::now();
  kafka::produce_records(cluster.bootstrap(), kInput, input, std::chrono::seconds(120));
  const double produce_seconds = seconds_between(producing, Clock::now());
  std::printf(
      "embedded Kafka cluster at %s\nproduced %s articles (%.1f MB) to %s (%d partitions)\n",
      cluster.bootstrap().c_str(), with_commas(static_cast<double>(input.size())).c_str(),
      static_cast<double>(input_bytes) / 1e6, kInput, topic_partitions);

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
  const std::size_t threads = options.threads;
  const auto loading = Clock::now();
  WorkerProcess process(config, std::move(options));  // metrics are on in the demo
  const double load_seconds = seconds_between(loading, Clock::now());
  kafka::Worker& worker = process.worker();
  ops::Metrics& metrics = *process.metrics();
  const std::string metrics_url =
      "http://" + config.metrics_listen.substr(0, config.metrics_listen.rfind(':')) + ":" +
      std::to_string(process.http_port()) + "/metrics";
  std::printf("metrics at %s while the demo runs\n", metrics_url.c_str());
  std::fflush(stdout);

  const auto run_at = Clock::now();
  int exit_code = 0;
  std::thread runner([&] { exit_code = process.run(); });
  const auto deadline = run_at + std::chrono::seconds(300);
  // The steady state runs from the first output (its Kafka timestamp, read back
  // below) to the last acknowledgement (seen here). CPU is sampled at the first
  // output this loop sees and at the end.
  std::optional<Clock::time_point> first_seen, done_at;
  std::uint64_t done_at_first_seen = 0;
  CpuSample cpu_first, cpu_done;
  auto last_progress = Clock::now();
  while (Clock::now() < deadline) {
    const kafka::WorkerCounters c = worker.counters();
    const std::uint64_t done = c.produced + c.dlq;
    const auto now = Clock::now();
    if (!first_seen && done > 0) {
      first_seen = now;
      done_at_first_seen = done;
      cpu_first = cpu_now();
    }
    if (done >= input.size()) {
      done_at = now;
      cpu_done = cpu_now();
      break;
    }
    if (!worker.health().alive && c.consumed > 0) break;
    if (tty && now - last_progress >= std::chrono::milliseconds(200)) {
      last_progress = now;
      if (!first_seen) {
        std::printf("\r  joining the consumer group and fetching (%.1f s)   ",
                    seconds_between(run_at, now));
      } else {
        const double rate = now > *first_seen ? static_cast<double>(done - done_at_first_seen) /
                                                    seconds_between(*first_seen, now)
                                              : 0;
        std::printf("\r  %s of %s articles done (%.0f%%), %s articles/s   ",
                    with_commas(static_cast<double>(done)).c_str(),
                    with_commas(static_cast<double>(input.size())).c_str(),
                    100.0 * static_cast<double>(done) / static_cast<double>(input.size()),
                    with_commas(rate).c_str());
      }
      std::fflush(stdout);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (tty) std::printf("\r\033[K");
  worker.request_stop();
  runner.join();

  // Verify against the topics themselves, not the worker's own counters.
  std::vector<kafka::Record> enriched =
      kafka::read_records(cluster.bootstrap(), kOutput, std::chrono::seconds(120));
  std::vector<kafka::Record> dead = kafka::read_records(cluster.bootstrap(), kDlq);
  std::map<std::string, std::size_t> reasons;
  for (const auto& r : dead) reasons[r.header("wirefeed-error-code").value_or("?")]++;
  kafka::WorkerCounters c = worker.counters();

  std::printf("\nconsumed   %s\nenriched   %s (in %s)\ndlq        %zu (in %s)\n",
              with_commas(static_cast<double>(c.consumed)).c_str(),
              with_commas(static_cast<double>(enriched.size())).c_str(), kOutput, dead.size(),
              kDlq);
  for (const auto& [reason, n] : reasons) std::printf("  %-20s %zu\n", reason.c_str(), n);

  // The first output: the earliest producer timestamp of the records read back
  // (ms, on the system clock); the records stamped in that millisecond open the
  // window and are not counted in it.
  std::int64_t first_ms = -1;
  std::size_t at_first_ms = 0;
  for (const auto* topic : {&enriched, &dead}) {
    for (const auto& r : *topic) {
      if (r.timestamp_ms < 0) continue;
      if (first_ms < 0 || r.timestamp_ms < first_ms) {
        first_ms = r.timestamp_ms;
        at_first_ms = 0;
      }
      if (r.timestamp_ms == first_ms) ++at_first_ms;
    }
  }
  // Steady-clock instants of the first output: from its system-clock stamp.
  std::optional<Clock::time_point> first_output;
  if (first_ms >= 0) {
    const auto wall_now = std::chrono::system_clock::now();
    const auto steady_now = Clock::now();
    first_output =
        steady_now -
        (wall_now - std::chrono::system_clock::time_point(std::chrono::milliseconds(first_ms)));
  }
  std::printf("\n");
  if (first_output) {
    std::printf(
        "start-up     %.1f s before the first output, not counted below: input produced "
        "in %.1f s, pipeline loaded in %.1f s, group joined and first batch in %.1f s\n",
        seconds_between(started, *first_output), produce_seconds, load_seconds,
        seconds_between(run_at, *first_output));
  }
  const double window = first_output && done_at ? seconds_between(*first_output, *done_at) : 0;
  const std::size_t accounted = enriched.size() + dead.size();
  const double window_records =
      static_cast<double>(accounted > at_first_ms ? accounted - at_first_ms : 0);
  if (done_at && window > 0 && window_records > 0) {
    const double rate = window_records / window;
    const double worker_cpu =
        (cpu_done.process - cpu_first.process) - (cpu_done.broker - cpu_first.broker);
    const double cpu_window = seconds_between(*first_seen, *done_at);
    const double mb = static_cast<double>(input_bytes) / 1e6 *
                      (window_records / static_cast<double>(input.size()));
    std::printf(
        "throughput   %s articles/s, %.1f MB/s over the steady state (first output to "
        "last acknowledgement: %s articles in %.2f s, %zu pipeline threads)\n",
        with_commas(rate).c_str(), mb / window, with_commas(window_records).c_str(), window,
        threads);
    const double cpu_records = static_cast<double>(input.size() - done_at_first_seen);
    if (worker_cpu > 0 && cpu_window > 0 && cpu_records > 0) {
      std::printf(
          "per core     %s articles/s per core: the worker used %.2f CPU-s (%.1f cores "
          "busy); the embedded cluster's %.2f CPU-s are left out\n",
          with_commas(cpu_records / worker_cpu).c_str(), worker_cpu, worker_cpu / cpu_window,
          cpu_done.broker - cpu_first.broker);
    }
  } else if (done_at) {
    std::printf(
        "throughput   too few articles for a steady state (try the default, "
        "--articles %zu)\n",
        kDefaultArticles);
  }

  std::printf("\ntime per stage (mean per record; share of the pipeline's CPU):\n");
  double total = 0;
  auto timings = metrics.stage_timings();
  for (const auto& t : timings) total += t.seconds;
  for (const auto& t : timings) {
    std::printf("  %-12s %8.1f us  %5.1f%%  (%s records, %s errors)\n", t.stage.c_str(),
                t.count ? t.seconds / static_cast<double>(t.count) * 1e6 : 0.0,
                total > 0 ? 100 * t.seconds / total : 0.0,
                with_commas(static_cast<double>(t.count)).c_str(),
                with_commas(static_cast<double>(t.errors)).c_str());
  }
  // The seed article: the one every README example shows.
  auto sample = std::find_if(enriched.begin(), enriched.end(), [](const kafka::Record& r) {
    return r.key && r.key->starts_with("txt-");
  });
  if (sample == enriched.end() && !enriched.empty()) sample = enriched.begin();
  if (sample != enriched.end()) {
    std::printf("\nsample record (key %s, %.1f KB; strings and lists shortened):\n%s\n",
                sample->key.value_or("").c_str(), static_cast<double>(sample->value.size()) / 1e3,
                preview_record(sample->value).c_str());
  }
  const std::string self = program_path();
  std::printf(
      "\nwhat to try next:\n"
      "  %s enrich --input data/samples/articles.jsonl | head -1    the pipeline on a file, "
      "no Kafka\n"
      "  %s broker --topics news.raw,news.enriched,news.dlq          a cluster for kcat and "
      "`wirefeed run`\n"
      "      (then the kcat commands in docs/cli.md; the worker serves "
      "http://127.0.0.1:9101/metrics)\n"
      "  docs/ explains configuration, delivery, metrics, deploying and benchmarks\n",
      self.c_str(), self.c_str());

  bool all = done_at.has_value() && enriched.size() + dead.size() == input.size();
  std::printf("\n%s: %zu in, %zu enriched + %zu dead-lettered\n",
              all ? "every article accounted for" : "NOT every article accounted for", input.size(),
              enriched.size(), dead.size());
  if (exit_code != 0) return exit_code;
  return all ? 0 : 1;
}

}  // namespace

Runner declare_demo(CLI::App& sub) {
  sub.description(kHelp);
  auto a = std::make_shared<DemoArgs>();
  sub.add_option("--articles", a->articles, "articles to produce")->check(at_least(1));
  sub.add_option("--metrics-listen", a->listen, "host:port for /metrics");
  sub.add_option("--partitions", a->partitions, "partitions of the input and output topics")
      ->check(at_least(1));
  return [a] { return demo(*a); };
}

}  // namespace wirefeed::app
