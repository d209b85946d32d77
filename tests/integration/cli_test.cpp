// Whole processes: `wirefeed broker`, `wirefeed run` and kcat, talking Kafka.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>

#include "cluster_support.h"
#include "process.h"

namespace wirefeed::testing {

namespace {

const std::string kBin = WIREFEED_BINARY;

std::string write_config(const std::string& bootstrap, const std::string& extra = "") {
  std::string path = temp_path("cli-run.yaml");
  std::ofstream(path) << "kafka:\n  common:\n    bootstrap.servers: " << bootstrap
                      << "\n  consumer:\n    group.id: cli-test\n    fetch.wait.max.ms: 20\n"
                      << "topics: {input: raw, output: enriched, dlq: dead}\n"
                      << "metrics: {listen: \"127.0.0.1:0\"}\n"
                      << "log: {format: json}\n"
                      << extra;
  return path;
}

std::size_t count_lines(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

}  // namespace

TEST(CliKafka, kcat_produces_to_wirefeed_broker_wirefeed_run_enriches_and_kcat_reads_back) {
  Child broker({kBin, "broker", "--partitions", "3", "--topics", "raw,enriched,dead"});
  auto bootstrap = broker.read_line(std::chrono::seconds(10));
  ASSERT_TRUE(bootstrap) << "broker printed no bootstrap address";
  ASSERT_NE(bootstrap->find(':'), std::string::npos);

  // kcat produces the samples (one JSON per line) and the seed article as one message.
  std::string samples = source_path("data/samples/articles.jsonl");
  ASSERT_EQ(run_shell("printf 'k1\\t{\"id\":\"kcat-1\",\"body\":\"Sent by kcat.\"}\\n' | kcat -b " +
                      *bootstrap + " -P -t raw -K '\\t'"),
            0);
  ASSERT_EQ(run_shell("kcat -b " + *bootstrap + " -P -t raw -l " + samples), 0);
  ASSERT_EQ(
      run_shell("kcat -b " + *bootstrap + " -P -t raw " + source_path("data/samples/seed.txt")), 0);
  const std::size_t total = 1 + 60 + 1;

  std::string log = temp_path("cli-run.log");
  Child worker({kBin, "run", "--config", write_config(*bootstrap)}, log);
  std::string out;
  ASSERT_TRUE(wait_until([&] {
    run_shell("kcat -b " + *bootstrap + " -C -t enriched -e -q -f '%k\\t%s\\n' 2>/dev/null", &out);
    return count_lines(out) >= total;
  })) << read_file(log);
  EXPECT_EQ(count_lines(out), total);
  EXPECT_NE(out.find("kcat-1\t{\"id\":\"kcat-1\""), std::string::npos);
  EXPECT_NE(out.find("\"published_at\":\"2021-12-29\""), std::string::npos);

  // SIGTERM: a clean stop, offsets committed to the end, JSON logs on stderr.
  worker.signal(SIGTERM);
  auto code = worker.wait(std::chrono::seconds(30));
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 0) << read_file(log);
  // Every partition that holds records is committed to its end. kcat's sticky
  // partitioner can leave a partition empty; that one has no commit at all
  // (committed_offsets says -1), so a plain sum of offsets would come up one short.
  auto committed = kafka::committed_offsets(*bootstrap, "cli-test", "raw");
  auto ends = end_offsets(*bootstrap, "raw");
  std::int64_t records = 0;
  for (auto [p, end] : ends) records += end;
  EXPECT_EQ(records, static_cast<std::int64_t>(total));
  for (auto [p, offset] : committed) {
    auto end = ends.find(p);
    EXPECT_EQ(offset, end == ends.end() ? -1 : end->second) << "partition " << p << "\n"
                                                            << read_file(log);
  }
  std::string logs = read_file(log);
  EXPECT_NE(logs.find(R"("msg":"worker stopped")"), std::string::npos) << logs;
  for (const auto& line : read_lines(log)) EXPECT_TRUE(line.starts_with("{\"ts\":\"")) << line;

  broker.close_stdin();  // the broker ends when its stdin closes
  auto broker_code = broker.wait(std::chrono::seconds(10));
  ASSERT_TRUE(broker_code);
  EXPECT_EQ(*broker_code, 0);
}

TEST(CliKafka, sigterm_mid_stream_leaves_commits_consistent_with_outputs) {
  kafka::EmbeddedCluster cluster(1);
  cluster.create_topic("raw", 2);
  // Four output partitions: 5,000 enriched records of about 2 KB stay well under
  // the mock cluster's ~5 MiB per partition, which would otherwise drop the
  // first outputs of a run that got far before the stop.
  cluster.create_topic("enriched", 4);
  cluster.create_topic("dead", 1);
  kafka::produce_records(cluster.bootstrap(), "raw", generated_records(5000));
  std::string log = temp_path("cli-sigterm.log");
  // Small batches and a small in-flight bound keep the run long enough to stop it
  // in the middle.
  Child worker(
      {kBin, "run", "--config",
       write_config(cluster.bootstrap(),
                    "pipeline: {batch_size: 10, threads: 1}\nlimits: {max_in_flight: 40}\n")},
      log);
  ASSERT_TRUE(
      wait_until([&] { return kafka::read_records(cluster.bootstrap(), "enriched").size() >= 200; },
                 std::chrono::seconds(60)))
      << read_file(log);
  worker.signal(SIGTERM);
  auto code = worker.wait(std::chrono::seconds(30));
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 0) << read_file(log);

  auto outputs = kafka::read_records(cluster.bootstrap(), "enriched");
  auto seen = accounted_positions(outputs, kafka::read_records(cluster.bootstrap(), "dead"));
  std::int64_t committed_total = 0;
  for (auto [partition, offset] :
       kafka::committed_offsets(cluster.bootstrap(), "cli-test", "raw")) {
    committed_total += std::max<std::int64_t>(offset, 0);
    for (std::int64_t o = 0; o < offset; ++o) {
      ASSERT_TRUE(seen.count({partition, o}))
          << "committed past partition " << partition << " offset " << o << " with no output";
    }
  }
  EXPECT_GT(committed_total, 0);
  EXPECT_LT(outputs.size(), 5000u) << "the stop came after everything was done";
}

}  // namespace wirefeed::testing

namespace wirefeed::testing {

TEST(CliKafka, replay_plans_runs_reports_progress_and_resumes_after_sigterm) {
  kafka::EmbeddedCluster cluster(1);
  cluster.create_topic("raw", 2);
  cluster.create_topic("enriched", 2);
  cluster.create_topic("backfill", 2);
  cluster.create_topic("dead", 1);
  kafka::produce_records(cluster.bootstrap(), "raw", generated_records(1500));
  std::string config = write_config(cluster.bootstrap());

  std::string out;
  ASSERT_EQ(
      run_shell(kBin + " replay --config " + config + " --from beginning --name cli --dry-run 2>&1",
                &out),
      0);
  EXPECT_NE(out.find("total records: 1500"), std::string::npos) << out;

  // Throttled, then stopped: exit 4 and a summary of what is left.
  std::string log = temp_path("cli-replay.log");
  {
    Child replay({kBin, "replay", "--config", config, "--from", "beginning", "--name", "cli",
                  "--output-topic", "backfill", "--max-rate", "200"},
                 log);
    ASSERT_TRUE(wait_until(
        [&] { return read_file(log).find("\"msg\":\"replay progress\"") != std::string::npos; },
        std::chrono::seconds(30)))
        << read_file(log);
    replay.signal(SIGTERM);
    auto code = replay.wait(std::chrono::seconds(30));
    ASSERT_TRUE(code);
    EXPECT_EQ(*code, 4) << read_file(log);
  }
  std::string stopped = read_file(log);
  EXPECT_NE(stopped.find("left to process"), std::string::npos) << stopped;
  EXPECT_NE(stopped.find("run the same command again to continue"), std::string::npos);

  // The same command continues and completes.
  int code = run_shell(kBin + " replay --config " + config +
                           " --from beginning --name cli --output-topic backfill 2>&1",
                       &out);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("\"msg\":\"replay complete\""), std::string::npos) << out;
  auto records = kafka::read_records(cluster.bootstrap(), "backfill");
  auto seen = accounted_positions(records, {});
  EXPECT_EQ(std::set<SourcePos>(seen.begin(), seen.end()).size(), 1500u);
  for (const auto& r : records) EXPECT_EQ(r.header("wirefeed-replay-id"), "cli");
  EXPECT_TRUE(kafka::read_records(cluster.bootstrap(), "enriched").empty())
      << "--output-topic was not honoured";
}

}  // namespace wirefeed::testing
