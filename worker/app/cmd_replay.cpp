// wirefeed replay: reprocess a topic range, bounded, resumable, reproducible.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <sstream>
#include <thread>

#include "cli.h"
#include "wirefeed/kafka/replay_plan.h"
#include "wirefeed/ops/http_server.h"
#include "wirefeed/ops/log.h"
#include "wirefeed/ops/metrics.h"
#include "wiring.h"

namespace wirefeed::app {

namespace {

constexpr const char* kHelp =
    R"(usage: wirefeed replay --config FILE --from SPEC [--to SPEC] [--topic T]
                       [--partitions LIST] [--output-topic T] [--max-rate N]
                       [--name NAME] [--restart] [--dry-run] [--set key=value ...]

Reprocesses a range of the input topic with the same pipeline and delivery rules
as `run`. It assigns partitions itself, so the live consumer group is never
disturbed, and checkpoints its progress as the group wirefeed-replay-<name>: a
replay killed and started again with the same name continues where it stopped.

SPEC is one of
  beginning | end                  the log's start or end
  2026-11-27T04:00:00Z             an RFC 3339 time: the first record at or after it
  6h | 7d | 30m                    a duration back from now
  0:1200,3:88                      offsets per partition (others: whole range)
--to defaults to the end offsets read when the replay starts, so the run is
bounded even while producers keep writing.

options:
  --config FILE       the worker's configuration (kafka.*, topics.*, pipeline.*)
  --from SPEC         where to start (required)
  --to SPEC           where to stop, exclusive (default: the end, read at start)
  --topic T           the topic to replay (default: topics.input)
  --partitions LIST   only these partitions, e.g. 0,3,7
  --output-topic T    write enriched records here (default: topics.output)
  --max-rate N        at most N records per second, 0 for no limit (throttles, never drops)
  --name NAME         the replay's name (default: derived from topic, range and outputs)
  --restart           discard the checkpoints of this name and start over
  --dry-run           print the plan (partitions, start and end offsets, counts) and exit
  --set key=value     override one config key (repeatable)

Records carry the header wirefeed-replay-id: <name>. Progress: a bar on a TTY,
JSON lines otherwise, and wirefeed_replay_* metrics.
exit codes: 0 every partition reached its end; 1 fatal error or bad config;
            2 wrong usage; 4 stopped before the end (what is left is printed)
)";

// FNV-1a: a stable hash for default replay names (std::hash is not stable).
std::uint32_t fnv1a(std::string_view s) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

std::string format_duration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return "--:--";
  long s = static_cast<long>(seconds);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%02ld:%02ld", s / 60, s % 60);
  }
  return buf;
}

struct ReplayArgs {
  std::string config_path, from_spec, to_spec, topic, output_topic, name, partitions_list;
  std::vector<std::string> sets;
  long long max_rate = 0;
  bool restart = false, dry_run = false;
};

int replay(ReplayArgs a) {
  const std::string &config_path = a.config_path, &from_spec = a.from_spec, &to_spec = a.to_spec,
                    &topic = a.topic, &output_topic = a.output_topic,
                    &partitions_list = a.partitions_list;
  std::string& name = a.name;
  std::vector<std::string>& sets = a.sets;
  const double max_rate = static_cast<double>(a.max_rate);
  const bool restart = a.restart, dry_run = a.dry_run;
  auto now = std::chrono::system_clock::now();
  kafka::PositionSpec from, to;
  std::vector<std::int32_t> partitions;
  try {
    from = kafka::parse_position(from_spec, now);
    if (!to_spec.empty()) to = kafka::parse_position(to_spec, now);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("replay: ") + e.what());
  }
  if (!partitions_list.empty()) {
    std::stringstream ss(partitions_list);
    std::string item;
    while (std::getline(ss, item, ',')) {
      partitions.push_back(
          static_cast<std::int32_t>(parse_count("replay", "--partitions", item, 0)));
    }
  }
  for (const char* key : {"topics.input", "topics.output"}) {
    const std::string& value = std::string(key) == "topics.input" ? topic : output_topic;
    if (!value.empty()) sets.push_back(std::string(key) + "=" + value);
  }
  config::Config config = config::load_file(config_path, config::process_environment(), sets);
  ops::Log::configure(config.log_level, config.log_format);
  if (name.empty()) {
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x",
                  fnv1a(config.topic_input + "|" + from_spec + "|" + to_spec + "|" +
                        partitions_list + "|" + config.topic_output));
    name = config.topic_input + "-" + hex;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      throw UsageError("replay: --name may hold letters, digits, '-', '_' and '.' only");
    }
  }

  kafka::WorkerOptions options = worker_options(config);
  options.consumer["group.id"] = kafka::replay_group_id(name);
  if (options.exactly_once) {
    // Replays checkpoint with plain commits (the plan rides in their metadata)
    // and may be rerun: they stay at-least-once, with byte-identical copies.
    ops::log_info("replay runs at-least-once; processing.guarantee applies to `run`");
    options.exactly_once = false;
    options.producer.erase("transactional.id");
  }
  kafka::ReplayPlan plan;
  {
    kafka::PlanSource source = kafka::kafka_plan_source(options.consumer, config.topic_input, name);
    plan =
        kafka::make_plan(config.topic_input, name, source, from,
                         to_spec.empty() ? std::nullopt : std::optional(to), partitions, restart);
  }
  if (dry_run) {
    std::cout << plan.describe();
    return 0;
  }
  kafka::ReplayOptions replay;
  replay.replay_id = name;
  replay.max_rate = max_rate;
  for (const auto& p : plan.partitions) replay.ranges[p.partition] = {p.start, p.end};
  options.replay = replay;
  ops::log_info("replay planned", {{"replay", name},
                                   {"topic", plan.topic},
                                   {"records", std::to_string(plan.records())},
                                   {"partitions", std::to_string(plan.partitions.size())}});

  WorkerProcess process(config, std::move(options));
  kafka::Worker& worker = process.worker();
  ops::Metrics* metrics = process.metrics();

  // Progress: a bar on a TTY, JSON lines otherwise, and gauges.
  std::atomic<bool> running{true};
  const bool tty = isatty(STDERR_FILENO);
  const std::int64_t total = plan.total();
  auto report = [&] {
    kafka::ReplayProgress p = worker.replay_progress();
    std::int64_t remaining = p.ranges.empty() ? plan.records() : p.remaining();
    return std::make_pair(remaining,
                          total > 0 ? 1.0 - static_cast<double>(remaining) / total : 1.0);
  };
  std::thread progress([&] {
    auto started = std::chrono::steady_clock::now();
    // The first JSON line comes at once (it shows the total), then every 5 s.
    auto last_line = started - std::chrono::seconds(5);
    std::int64_t first_remaining = -1;
    while (running) {
      std::this_thread::sleep_for(std::chrono::milliseconds(tty ? 250 : 500));
      auto [remaining, ratio] = report();
      if (first_remaining < 0) first_remaining = remaining;
      if (metrics) metrics->set_replay_progress(name, remaining, ratio);
      double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      double rate = elapsed > 0 ? static_cast<double>(first_remaining - remaining) / elapsed : 0;
      double eta = rate > 0 ? static_cast<double>(remaining) / rate : -1;
      if (tty) {
        int width = 30, filled = static_cast<int>(ratio * width);
        std::fprintf(stderr, "\r[%s%s] %5.1f%% %lld/%lld records %8.0f/s ETA %s ",
                     std::string(static_cast<std::size_t>(filled), '#').c_str(),
                     std::string(static_cast<std::size_t>(width - filled), '.').c_str(),
                     ratio * 100, static_cast<long long>(total - remaining),
                     static_cast<long long>(total), rate, format_duration(eta).c_str());
      } else if (std::chrono::steady_clock::now() - last_line >= std::chrono::seconds(5)) {
        last_line = std::chrono::steady_clock::now();
        ops::log_info("replay progress",
                      {{"replay", name},
                       {"done", std::to_string(total - remaining)},
                       {"remaining", std::to_string(remaining)},
                       {"ratio", std::to_string(ratio)},
                       {"records_per_second", std::to_string(static_cast<long long>(rate))},
                       {"eta_seconds", std::to_string(static_cast<long long>(eta))}});
      }
    }
  });

  int code = process.run();
  running = false;
  progress.join();
  auto [remaining, ratio] = report();
  if (metrics) metrics->set_replay_progress(name, remaining, ratio);
  if (tty) std::fputc('\n', stderr);

  kafka::ReplayProgress p = worker.replay_progress();
  if (code == kafka::kExitOk) {
    ops::log_info("replay complete", {{"replay", name}, {"records", std::to_string(total)}});
    return 0;
  }
  // Not complete: say what is left, per partition.
  std::fprintf(stderr, "replay '%s' stopped before its end (exit %d); left to process:\n",
               name.c_str(), code);
  for (const auto& [partition, range] : p.ranges) {
    std::int64_t next = p.next.count(partition) ? p.next.at(partition) : range.start;
    if (next < range.end) {
      std::fprintf(stderr, "  partition %d: offsets %lld..%lld (%lld records)\n", partition,
                   static_cast<long long>(next), static_cast<long long>(range.end),
                   static_cast<long long>(range.end - next));
    }
  }
  std::fprintf(stderr, "run the same command again to continue\n");
  return code;
}

}  // namespace

Runner declare_replay(CLI::App& sub) {
  sub.description(kHelp);
  auto a = std::make_shared<ReplayArgs>();
  sub.add_option("--config", a->config_path, "the worker's configuration")->required();
  sub.add_option("--from", a->from_spec, "where to start")->required();
  sub.add_option("--to", a->to_spec, "where to stop, exclusive");
  sub.add_option("--topic", a->topic, "the topic to replay");
  sub.add_option("--partitions", a->partitions_list, "only these partitions, e.g. 0,3,7");
  sub.add_option("--output-topic", a->output_topic, "write enriched records here");
  sub.add_option("--max-rate", a->max_rate, "at most N records per second")->check(at_least(0));
  sub.add_option("--name", a->name, "the replay's name");
  sub.add_flag("--restart", a->restart, "discard the checkpoints of this name");
  sub.add_flag("--dry-run", a->dry_run, "print the plan and exit");
  add_sets(sub, a->sets);
  return [a] { return replay(*a); };
}

}  // namespace wirefeed::app
