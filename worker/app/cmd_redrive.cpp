// wirefeed redrive: dead letters back through the pipeline, bounded, resumable.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <thread>

#include "cli.h"
#include "wirefeed/kafka/redrive.h"
#include "wirefeed/kafka/replay_plan.h"
#include "wirefeed/ops/log.h"
#include "wiring.h"

namespace wirefeed::app {

namespace {

constexpr const char* kHelp =
    R"(usage: wirefeed redrive --config FILE [--from SPEC] [--to SPEC] [--reason R ...]
                        [--stage S ...] [--to-topic T] [--max-rate N] [--name NAME]
                        [--dry-run] [--set key=value ...]

Reads the DLQ topic (topics.dlq) over a range and re-produces each selected
record's original key, value and headers to the input topic (topics.input) or
--to-topic, for the workers to process again after a fix. wirefeed's failure
headers (wirefeed-error-*, wirefeed-source-*) are left out; the copy carries
wirefeed-redrive-id: <name> and where it failed (wirefeed-redrive-source-topic,
-partition, -offset, wirefeed-redrive-reason). For a DLQ reference record the
original is read from the input topic at the coordinates it names.

It checkpoints under the group wirefeed-redrive-<name>: run the same command
again after a stop or a kill and it continues (at-least-once: records since the
last checkpoint are produced again).

SPEC is one of (as for replay)
  beginning | end                  the log's start or end
  2026-11-27T04:00:00Z             an RFC 3339 time: the first record at or after it
  6h | 7d | 30m                    a duration back from now
  0:1200,3:88                      offsets per DLQ partition (others: whole range)

options:
  --config FILE     the worker's configuration (kafka.*, topics.*)
  --from SPEC       where to start in the DLQ (default: beginning)
  --to SPEC         where to stop, exclusive (default: the end, read at start)
  --reason R        only records with this wirefeed-error-code (repeatable),
                    e.g. oversize_message, output_too_large, malformed_json
  --stage S         only records that failed in this stage (repeatable)
  --to-topic T      write here instead of topics.input
  --max-rate N      at most N records per second, 0 for no limit (throttles, never drops)
  --name NAME       the redrive's name (default: derived from the range and filters)
  --dry-run         print the plan and what it would redrive, by reason; produce nothing
  --set key=value   override one config key (repeatable)

exit codes: 0 every partition reached its end; 1 fatal error or bad config;
            2 wrong usage; 4 stopped before the end (run it again to continue)
)";

// FNV-1a: a stable hash for default names (std::hash is not stable).
std::uint32_t fnv1a(std::string_view s) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

// The dry run's table: DLQ records by reason, and how many the filter takes.
void print_summary(const kafka::RedriveStats& stats, bool dry_run) {
  std::printf("%-24s %10s %10s\n", "reason", "records", "selected");
  for (const auto& [reason, n] : stats.by_reason) {
    auto it = stats.selected_by_reason.find(reason);
    std::printf(
        "%-24s %10llu %10llu\n", reason.c_str(), static_cast<unsigned long long>(n),
        static_cast<unsigned long long>(it == stats.selected_by_reason.end() ? 0 : it->second));
  }
  std::printf("%-24s %10llu %10llu\n", "total", static_cast<unsigned long long>(stats.read),
              static_cast<unsigned long long>(stats.selected));
  if (!dry_run) {
    std::printf("redriven: %llu (of them %llu from reference records), originals gone: %llu\n",
                static_cast<unsigned long long>(stats.redriven),
                static_cast<unsigned long long>(stats.references),
                static_cast<unsigned long long>(stats.lost));
  }
}

std::atomic<kafka::Redrive*> g_redrive{nullptr};
std::atomic<int> g_signals{0};

void on_signal(int) {
  if (g_signals.fetch_add(1) > 0) _exit(130);  // second signal: give up now
  if (kafka::Redrive* r = g_redrive.load()) r->request_stop();
}

}  // namespace

int cmd_redrive(Args args) {
  std::string config_path, from_spec = "beginning", to_spec, to_topic, name;
  std::vector<std::string> sets;
  kafka::RedriveFilter filter;
  double max_rate = 0;
  bool dry_run = false;
  while (!args.done()) {
    std::string arg = args.next();
    if (arg == "--help" || arg == "-h") {
      std::cout << kHelp;
      return 0;
    } else if (arg == "--config") {
      config_path = args.value(arg);
    } else if (arg == "--from") {
      from_spec = args.value(arg);
    } else if (arg == "--to") {
      to_spec = args.value(arg);
    } else if (arg == "--reason") {
      filter.reasons.push_back(args.value(arg));
    } else if (arg == "--stage") {
      filter.stages.push_back(args.value(arg));
    } else if (arg == "--to-topic") {
      to_topic = args.value(arg);
    } else if (arg == "--max-rate") {
      max_rate = static_cast<double>(parse_count("redrive", arg, args.value(arg), 0));
    } else if (arg == "--name") {
      name = args.value(arg);
    } else if (arg == "--dry-run") {
      dry_run = true;
    } else if (arg == "--set") {
      sets.push_back(args.value(arg));
    } else {
      args.unknown(arg);
    }
  }
  if (config_path.empty()) throw UsageError("redrive: --config FILE is required");
  auto now = std::chrono::system_clock::now();
  kafka::PositionSpec from, to;
  try {
    from = kafka::parse_position(from_spec, now);
    if (!to_spec.empty()) to = kafka::parse_position(to_spec, now);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("redrive: ") + e.what());
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      throw UsageError("redrive: --name may hold letters, digits, '-', '_' and '.' only");
  }

  config::Config config = config::load_file(config_path, config::process_environment(), sets);
  ops::Log::configure(config.log_level, config.log_format);
  if (to_topic.empty()) to_topic = config.topic_input;
  if (to_topic == config.topic_dlq)
    throw UsageError("redrive: --to-topic must differ from the DLQ topic (" + to_topic + ")");
  if (name.empty()) {
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x",
                  fnv1a(config.topic_dlq + "|" + from_spec + "|" + to_spec + "|" +
                        join(filter.reasons) + "|" + join(filter.stages) + "|" + to_topic));
    name = config.topic_dlq + "-" + hex;
  }

  kafka::WorkerOptions worker = worker_options(config);  // validated client properties
  kafka::ReplayPlan plan;
  {
    kafka::PlanSource source = kafka::kafka_plan_source_for_group(worker.consumer, config.topic_dlq,
                                                                  kafka::redrive_group_id(name));
    plan = kafka::make_plan(config.topic_dlq, name, source, from,
                            to_spec.empty() ? std::nullopt : std::optional(to), {},
                            /*restart=*/false);
  }
  kafka::RedriveOptions options;
  options.consumer = worker.consumer;
  options.producer = worker.producer;
  options.dlq_topic = config.topic_dlq;
  options.to_topic = to_topic;
  options.name = name;
  options.filter = filter;
  options.max_rate = max_rate;
  options.dry_run = dry_run;
  options.shutdown_deadline = config.shutdown_deadline;
  for (const auto& p : plan.partitions) options.ranges[p.partition] = {p.start, p.end};
  if (dry_run) std::cout << plan.describe();

  kafka::Redrive redrive(std::move(options));
  g_redrive = &redrive;
  struct sigaction sa {};
  sa.sa_handler = &on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);

  // Progress: a line every 5 s (text on a TTY, JSON lines otherwise).
  std::atomic<bool> running{true};
  std::thread progress([&] {
    auto last = std::chrono::steady_clock::now();
    while (running) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      if (std::chrono::steady_clock::now() - last < std::chrono::seconds(5)) continue;
      last = std::chrono::steady_clock::now();
      kafka::ReplayProgress p = redrive.progress();
      kafka::RedriveStats s = redrive.stats();
      ops::log_info("redrive progress", {{"redrive", name},
                                         {"remaining", std::to_string(p.remaining())},
                                         {"read", std::to_string(s.read)},
                                         {"selected", std::to_string(s.selected)},
                                         {"redriven", std::to_string(s.redriven)}});
    }
  });
  int code = redrive.run();
  running = false;
  progress.join();
  signal(SIGTERM, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  g_redrive = nullptr;

  kafka::RedriveStats stats = redrive.stats();
  if (dry_run) {
    print_summary(stats, true);
    return code == kafka::kExitOk ? 0 : code;
  }
  print_summary(stats, false);
  if (code == kafka::kExitOk) {
    ops::log_info(
        "redrive complete",
        {{"redrive", name}, {"to", to_topic}, {"redriven", std::to_string(stats.redriven)}});
    return 0;
  }
  kafka::ReplayProgress p = redrive.progress();
  std::fprintf(stderr, "redrive '%s' stopped before its end (exit %d); left in the DLQ range:\n",
               name.c_str(), code);
  for (const auto& [partition, range] : p.ranges) {
    std::int64_t next = p.next.count(partition) ? p.next.at(partition) : range.start;
    if (next < range.end) {
      std::fprintf(stderr, "  partition %d: offsets %lld..%lld\n", partition,
                   static_cast<long long>(next), static_cast<long long>(range.end));
    }
  }
  std::fprintf(stderr, "run the same command again to continue\n");
  return code;
}

}  // namespace wirefeed::app
