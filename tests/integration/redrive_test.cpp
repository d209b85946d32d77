// DLQ redrive on the embedded mock cluster: dead letters back through the
// pipeline after a fix, selected by reason, resumable after a kill.
#include "wirefeed/kafka/redrive.h"

#include <gtest/gtest.h>

#include <fstream>

#include "cluster_support.h"
#include "process.h"
#include "wirefeed/kafka/dlq_reference.h"
#include "wirefeed/kafka/replay_plan.h"

namespace wirefeed::kafka {

using testing::RunningWorker;
using testing::wait_until;

namespace {

constexpr const char* kIn = "in";
constexpr const char* kOut = "out";
constexpr const char* kDlq = "dlq";
constexpr const char* kRedriven = "redriven";
const std::string kBin = WIREFEED_BINARY;

class RedriveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<EmbeddedCluster>(1);
    cluster_->create_topic(kIn, 2);
    cluster_->create_topic(kOut, 2);
    cluster_->create_topic(kDlq, 2);
    cluster_->create_topic(kRedriven, 2);
  }
  std::string bootstrap() const { return cluster_->bootstrap(); }

  WorkerOptions worker_options() const {
    WorkerOptions o;
    o.consumer = {{"bootstrap.servers", bootstrap()},
                  {"group.id", "redrive-test"},
                  {"fetch.wait.max.ms", "20"},
                  // The mock lets a member that left hold its partitions until
                  // its session times out: keep the second worker's wait short.
                  {"session.timeout.ms", "6000"},
                  {"heartbeat.interval.ms", "500"}};
    o.producer = {{"bootstrap.servers", bootstrap()}, {"linger.ms", "2"}};
    o.input_topic = kIn;
    o.output_topic = kOut;
    o.dlq_topic = kDlq;
    o.threads = 2;
    o.statistics = false;
    o.shutdown_deadline = std::chrono::seconds(10);
    return o;
  }

  // A redrive of the whole DLQ planned as `wirefeed redrive` plans it.
  RedriveOptions redrive_options(const std::string& name, const std::string& to) const {
    RedriveOptions o;
    o.consumer = {{"bootstrap.servers", bootstrap()}, {"fetch.wait.max.ms", "20"}};
    o.producer = {{"bootstrap.servers", bootstrap()}};
    o.dlq_topic = kDlq;
    o.to_topic = to;
    o.name = name;
    PlanSource source = kafka_plan_source_for_group(o.consumer, kDlq, redrive_group_id(name));
    PositionSpec from;  // beginning
    ReplayPlan plan = make_plan(kDlq, name, source, from, std::nullopt, {}, false);
    for (const auto& p : plan.partitions) o.ranges[p.partition] = {p.start, p.end};
    return o;
  }

  // DLQ records as the worker writes them: the original, plus failure headers.
  static Record dead_letter(std::int64_t source_offset, const std::string& code) {
    Record r;
    r.key = "k-" + std::to_string(source_offset);
    r.value = R"({"id":"k-)" + std::to_string(source_offset) + R"(","body":"Text."})";
    r.headers = {{"x-trace-id", "t-" + std::to_string(source_offset)},
                 {"wirefeed-error-stage", "decode"},
                 {"wirefeed-error-code", code},
                 {"wirefeed-error-message", "failed"},
                 {"wirefeed-source-topic", kIn},
                 {"wirefeed-source-partition", "0"},
                 {"wirefeed-source-offset", std::to_string(source_offset)}};
    return r;
  }

  std::string write_config() const {
    std::string path = testing::temp_path("redrive.yaml");
    std::ofstream(path) << "kafka:\n  common:\n    bootstrap.servers: " << bootstrap()
                        << "\n  consumer:\n    group.id: redrive-test\n    fetch.wait.max.ms: 20\n"
                        << "topics: {input: in, output: out, dlq: dlq}\n"
                        << "log: {format: json}\n";
    return path;
  }

  std::unique_ptr<EmbeddedCluster> cluster_;
};

}  // namespace

TEST_F(RedriveTest, oversize_records_are_redriven_and_enriched_by_a_worker_with_a_larger_limit) {
  std::vector<Record> input = testing::generated_records(20);
  for (int i = 0; i < 3; ++i) {
    Record big;
    big.key = "big-" + std::to_string(i);
    big.value = R"({"id":"big-)" + std::to_string(i) + R"(","title":"Long read","body":")" +
                std::string(300 * 1024, 'x') + " Shares rose 3 percent.\"}";
    big.headers = {{"x-trace-id", "trace-big-" + std::to_string(i)}};
    input.push_back(std::move(big));
  }
  Record bad;
  bad.key = "bad";
  bad.value = "{\"id\":";
  input.push_back(bad);
  produce_records(bootstrap(), kIn, input);

  // 1. A worker with a small limit dead-letters the three big articles.
  stages::StageOptions small;
  small.max_message_bytes = 256 * 1024;
  {
    RunningWorker w(worker_options(), stages::default_stage_names(), small);
    ASSERT_TRUE(wait_until([&] {
      auto c = w.worker().counters();
      return c.produced + c.dlq >= input.size();
    }));
    EXPECT_EQ(w.stop(), 0);
  }
  auto dlq = read_records(bootstrap(), kDlq);
  ASSERT_EQ(dlq.size(), 4u);

  // 2. Redrive only the oversize ones back to the input topic.
  RedriveOptions options = redrive_options("raise-limit", kIn);
  options.filter.reasons = {"oversize_message"};
  Redrive redrive(std::move(options));
  EXPECT_EQ(redrive.run(), kExitOk);
  RedriveStats stats = redrive.stats();
  EXPECT_EQ(stats.read, 4u);
  EXPECT_EQ(stats.selected, 3u);
  EXPECT_EQ(stats.redriven, 3u);
  EXPECT_EQ(stats.skipped, 1u);
  EXPECT_EQ(stats.by_reason.at("oversize_message"), 3u);
  EXPECT_EQ(stats.by_reason.at("malformed_json"), 1u);

  // 3. The same group with a larger limit enriches them.
  {
    RunningWorker w(worker_options());  // StageOptions: 8 MiB
    ASSERT_TRUE(wait_until([&] { return w.worker().counters().produced >= 3; }));
    EXPECT_EQ(w.stop(), 0);
    EXPECT_EQ(w.worker().counters().consumed, 3u);
  }
  std::map<std::string, Record> by_key;
  for (auto& r : read_records(bootstrap(), kOut)) by_key[*r.key] = r;
  EXPECT_EQ(by_key.size(), 23u);
  for (int i = 0; i < 3; ++i) {
    std::string key = "big-" + std::to_string(i);
    ASSERT_TRUE(by_key.contains(key)) << key;
    const Record& r = by_key[key];
    EXPECT_NE(r.value.find(R"("title":"Long read")"), std::string::npos);
    // Traceable: its own headers, where it failed, and which redrive brought it.
    EXPECT_EQ(r.header("x-trace-id"), "trace-" + key);
    EXPECT_EQ(r.header("wirefeed-redrive-id"), "raise-limit");
    EXPECT_EQ(r.header("wirefeed-redrive-reason"), "oversize_message");
    EXPECT_EQ(r.header("wirefeed-redrive-source-topic"), "in");
    EXPECT_TRUE(r.header("wirefeed-redrive-source-offset"));
    EXPECT_FALSE(r.header("wirefeed-error-code"));
  }
  EXPECT_EQ(read_records(bootstrap(), kDlq).size(), 4u);  // nothing failed again
}

TEST_F(RedriveTest, a_killed_redrive_resumes_without_loss) {
  std::vector<Record> dead;
  for (int i = 0; i < 400; ++i) dead.push_back(dead_letter(i, "output_too_large"));
  produce_records(bootstrap(), kDlq, dead);
  std::string config = write_config();
  std::vector<std::string> cmd = {kBin,         "redrive", "--config", config,
                                  "--to-topic", kRedriven, "--name",   "killed"};

  std::string log = testing::temp_path("redrive.log");
  {
    std::vector<std::string> slow = cmd;
    slow.insert(slow.end(), {"--max-rate", "100"});
    testing::Child first(slow, log);
    ASSERT_TRUE(wait_until([&] { return read_records(bootstrap(), kRedriven).size() >= 100; }))
        << testing::read_file(log);
    first.signal(SIGKILL);
    auto code = first.wait(std::chrono::seconds(10));
    ASSERT_TRUE(code);
    EXPECT_EQ(*code, 128 + SIGKILL);
  }
  EXPECT_LT(read_records(bootstrap(), kRedriven).size(), 400u) << "killed too late";
  {
    testing::Child again(cmd, log);
    auto code = again.wait(std::chrono::seconds(120));
    ASSERT_TRUE(code);
    EXPECT_EQ(*code, 0) << testing::read_file(log);
  }
  // Every dead letter at least once; every copy the same bytes.
  std::map<std::string, std::string> copies;
  for (const auto& r : read_records(bootstrap(), kRedriven)) {
    std::string offset = r.header("wirefeed-redrive-source-offset").value_or("?");
    auto [it, fresh] = copies.emplace(offset, r.value);
    EXPECT_EQ(it->second, r.value);
    EXPECT_EQ(r.header("wirefeed-redrive-id"), "killed");
  }
  EXPECT_EQ(copies.size(), 400u);
  // And the checkpoints reached the end of the DLQ.
  EXPECT_EQ(committed_offsets(bootstrap(), redrive_group_id("killed"), kDlq),
            testing::end_offsets(bootstrap(), kDlq));
}

TEST_F(RedriveTest, dry_run_prints_the_plan_and_a_summary_by_reason_and_produces_nothing) {
  std::vector<Record> dead;
  for (int i = 0; i < 6; ++i) dead.push_back(dead_letter(i, "oversize_message"));
  for (int i = 6; i < 10; ++i) dead.push_back(dead_letter(i, "malformed_json"));
  produce_records(bootstrap(), kDlq, dead);
  std::string out;
  int code = testing::run_shell(kBin + " redrive --config " + write_config() +
                                    " --to-topic redriven --reason oversize_message --name dry "
                                    "--dry-run 2>/dev/null",
                                &out);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("total records: 10"), std::string::npos) << out;  // the plan
  auto row = [](const char* reason, int records, int selected) {
    char line[96];
    std::snprintf(line, sizeof line, "%-24s %10d %10d\n", reason, records, selected);
    return std::string(line);
  };
  EXPECT_NE(
      out.find(row("malformed_json", 4, 0) + row("oversize_message", 6, 6) + row("total", 10, 6)),
      std::string::npos)
      << out;
  EXPECT_TRUE(read_records(bootstrap(), kRedriven).empty());
  // Nothing checkpointed: the real run still has everything to do.
  for (auto [p, o] : committed_offsets(bootstrap(), redrive_group_id("dry"), kDlq))
    EXPECT_EQ(o, -1) << p;
}

TEST_F(RedriveTest, a_reference_record_is_redriven_from_the_original_in_the_input_topic) {
  Record original;
  original.key = "orig";
  original.value = R"({"id":"orig","body":"The original bytes."})";
  original.headers = {{"x-trace-id", "t-orig"}};
  original.partition = 1;
  produce_records(bootstrap(), kIn, {original});

  auto reference = [](std::int64_t offset) {
    Record r;
    r.key = "orig";
    r.value = R"({"wirefeed_dlq_reference":1})";  // what it says is not what is redriven
    r.headers = {{"wirefeed-error-stage", "encode"},
                 {"wirefeed-error-code", "output_too_large"},
                 {"wirefeed-source-topic", kIn},
                 {"wirefeed-source-partition", "1"},
                 {"wirefeed-source-offset", std::to_string(offset)},
                 {kReferenceHeader, "dlq"},
                 {kRefusalHeader, "Broker: Message size too large"}};
    return r;
  };
  // One whose original is there, one whose original is gone (never written).
  produce_records(bootstrap(), kDlq, {reference(0), reference(5)});

  Redrive redrive(redrive_options("refs", kRedriven));
  EXPECT_EQ(redrive.run(), kExitOk);
  EXPECT_EQ(redrive.stats().references, 1u);
  EXPECT_EQ(redrive.stats().lost, 1u);
  auto got = read_records(bootstrap(), kRedriven);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].key, "orig");
  EXPECT_EQ(got[0].value, original.value);
  EXPECT_EQ(got[0].header("x-trace-id"), "t-orig");
  EXPECT_EQ(got[0].header("wirefeed-redrive-reason"), "output_too_large");
  EXPECT_FALSE(got[0].header(kReferenceHeader));
}

}  // namespace wirefeed::kafka
