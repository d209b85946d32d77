// Replays on the embedded cluster: offsets, timestamps (the binary-search path:
// the mock answers offsets-for-times with -1), durations, bounded exit, resume,
// and byte-identical output.
#include <gtest/gtest.h>

#include "cluster_support.h"
#include "wirefeed/kafka/replay_plan.h"

namespace wirefeed::kafka {

using testing::accounted_positions;
using testing::RunningWorker;
using testing::SourcePos;
using testing::wait_until;

namespace {

constexpr int kPartitions = 4;

class ReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<EmbeddedCluster>(1);
    for (const char* t : {"in", "out", "out2", "out3"}) cluster_->create_topic(t, kPartitions);
    cluster_->create_topic("dlq", 1);
  }

  Properties connection() const { return {{"bootstrap.servers", cluster_->bootstrap()}}; }

  ReplayPlan plan(const std::string& name, const std::string& from,
                  const std::optional<std::string>& to = std::nullopt,
                  std::vector<std::int32_t> partitions = {}, bool restart = false) {
    auto now = std::chrono::system_clock::now();
    PlanSource source = kafka_plan_source(connection(), "in", name);
    std::optional<PositionSpec> to_spec;
    if (to) to_spec = parse_position(*to, now);
    return make_plan("in", name, source, parse_position(from, now), to_spec, partitions, restart);
  }

  WorkerOptions options(const ReplayPlan& p, const std::string& output, double max_rate = 0) {
    WorkerOptions o;
    o.consumer = connection();
    o.consumer["group.id"] = replay_group_id(p.name);
    o.consumer["fetch.wait.max.ms"] = "20";
    o.producer = connection();
    o.producer["linger.ms"] = "2";
    o.input_topic = "in";
    o.output_topic = output;
    o.dlq_topic = "dlq";
    o.threads = 2;
    o.batch_size = 32;
    o.max_in_flight = 64;
    o.statistics = false;
    ReplayOptions r;
    r.replay_id = p.name;
    r.max_rate = max_rate;
    r.checkpoint_interval = std::chrono::milliseconds(100);
    for (const auto& pp : p.partitions) r.ranges[pp.partition] = {pp.start, pp.end};
    o.replay = r;
    return o;
  }

  int run_to_end(const ReplayPlan& p, const std::string& output) {
    RunningWorker w(options(p, output));
    auto code = w.wait_exit(std::chrono::seconds(60));
    EXPECT_TRUE(code.has_value()) << "the replay did not end by itself";
    return code.value_or(-1);
  }

  std::vector<Record> read(const std::string& topic) const {
    return read_records(cluster_->bootstrap(), topic);
  }

  std::set<std::string> ids(const std::string& topic) const {
    std::set<std::string> out;
    for (const auto& r : read(topic)) out.insert(*r.key);
    return out;
  }

  std::unique_ptr<EmbeddedCluster> cluster_;
};

std::set<std::string> id_range(std::size_t from, std::size_t to) {
  std::set<std::string> out;
  for (std::size_t i = from; i < to; ++i) out.insert("gen-" + std::to_string(i));
  return out;
}

}  // namespace

TEST_F(ReplayTest, replays_exactly_an_offset_range_and_checkpoints_its_end) {
  produce_records(cluster_->bootstrap(), "in", testing::generated_records(400));
  // A live consumer group has read the whole topic first: the replay runs beside
  // it and must leave its committed offsets exactly where they are.
  const std::string live_group = "wirefeed-live";
  auto ends = testing::end_offsets(cluster_->bootstrap(), "in");
  {
    WorkerOptions live;
    live.consumer = connection();
    live.consumer["group.id"] = live_group;
    live.consumer["auto.offset.reset"] = "earliest";
    live.consumer["fetch.wait.max.ms"] = "20";
    live.producer = connection();
    live.input_topic = "in";
    live.output_topic = "out3";
    live.dlq_topic = "dlq";
    live.threads = 2;
    live.statistics = false;
    RunningWorker w(live);
    ASSERT_TRUE(wait_until(
        [&] {
          for (auto [partition, offset] :
               committed_offsets(cluster_->bootstrap(), live_group, "in")) {
            auto end = ends.find(partition);
            if (end != ends.end() && offset != end->second) return false;
          }
          return true;
        },
        std::chrono::seconds(30)))
        << "the live group never committed the end of the topic";
  }
  auto live_before = committed_offsets(cluster_->bootstrap(), live_group, "in");
  ReplayPlan p = plan("offsets", "0:10,1:20", "0:50", {0, 1});
  ASSERT_EQ(p.partitions.size(), 2u);
  EXPECT_EQ(p.partitions[0].start, 10);
  EXPECT_EQ(p.partitions[0].end, 50);
  EXPECT_EQ(p.partitions[1].start, 20);
  EXPECT_EQ(run_to_end(p, "out"), kExitOk);

  auto out = read("out");
  EXPECT_EQ(static_cast<std::int64_t>(out.size()), p.records());
  auto seen = accounted_positions(out, {});
  for (const auto& pp : p.partitions) {
    for (std::int64_t o = pp.start; o < pp.end; ++o) EXPECT_TRUE(seen.count({pp.partition, o}));
  }
  for (const auto& r : out) EXPECT_EQ(r.header("wirefeed-replay-id"), "offsets");
  auto committed = committed_offsets(cluster_->bootstrap(), replay_group_id("offsets"), "in");
  EXPECT_EQ(committed[0], 50);
  EXPECT_EQ(committed[1], p.partitions[1].end);
  // The live group was never touched.
  EXPECT_EQ(committed_offsets(cluster_->bootstrap(), live_group, "in"), live_before);
}

TEST_F(ReplayTest, replays_from_a_timestamp_between_two_batches_by_binary_search) {
  produce_records(cluster_->bootstrap(), "in", testing::generated_records(200, 0));
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  auto between = std::chrono::system_clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  produce_records(cluster_->bootstrap(), "in", testing::generated_records(200, 200));

  // The embedded cluster cannot answer offsets-for-times: the planner must search.
  PlanSource source = kafka_plan_source(connection(), "in", "probe");
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(between.time_since_epoch());
  EXPECT_EQ(source.offset_for_time(0, ms.count()), -1);

  std::time_t secs = std::chrono::system_clock::to_time_t(between);
  char rfc3339[32];
  std::strftime(rfc3339, sizeof rfc3339, "%Y-%m-%dT%H:%M:%S", std::gmtime(&secs));
  std::string spec =
      std::string(rfc3339) + "." + std::to_string(1000 + ms.count() % 1000).substr(1) + "Z";
  ReplayPlan p = plan("by-time", spec);
  EXPECT_EQ(p.records(), 200);
  EXPECT_EQ(run_to_end(p, "out"), kExitOk);
  EXPECT_EQ(ids("out"), id_range(200, 400));
}

TEST_F(ReplayTest, replays_a_duration_back_from_now) {
  produce_records(cluster_->bootstrap(), "in", testing::generated_records(100, 0));
  std::this_thread::sleep_for(std::chrono::seconds(3));
  produce_records(cluster_->bootstrap(), "in", testing::generated_records(100, 100));
  ReplayPlan p = plan("by-duration", "2s");
  EXPECT_EQ(run_to_end(p, "out"), kExitOk);
  EXPECT_EQ(ids("out"), id_range(100, 200));
}

TEST_F(ReplayTest, ends_at_the_planned_end_while_a_producer_keeps_writing) {
  produce_records(cluster_->bootstrap(), "in", testing::generated_records(300));
  ReplayPlan p = plan("bounded", "beginning");
  EXPECT_EQ(p.records(), 300);
  std::atomic<bool> producing{true};
  std::size_t next = 10'000;
  std::thread producer([&] {
    while (producing) {
      produce_records(cluster_->bootstrap(), "in", testing::generated_records(20, next));
      next += 20;
    }
  });
  int code = run_to_end(p, "out");
  producing = false;
  producer.join();
  EXPECT_EQ(code, kExitOk);
  EXPECT_EQ(ids("out"), id_range(0, 300));
  EXPECT_GT(next, 10'000u) << "the producer wrote nothing while the replay ran";
}

TEST_F(ReplayTest, a_killed_replay_resumes_where_it_stopped_and_restart_starts_over) {
  produce_records(cluster_->bootstrap(), "in", testing::generated_records(2000));
  ReplayPlan first = plan("resumable", "beginning");
  {
    RunningWorker w(options(first, "out", /*max_rate=*/500));
    ASSERT_TRUE(wait_until([&] {
      auto pr = w.worker().replay_progress();
      return !pr.ranges.empty() && pr.total() - pr.remaining() >= 300;
    }));
    EXPECT_EQ(w.stop(), kExitIncomplete);
    EXPECT_GT(w.worker().replay_progress().remaining(), 0);
  }
  ReplayPlan resumed = plan("resumable", "beginning");
  EXPECT_LT(resumed.records(), 2000 - 250);
  EXPECT_TRUE(std::any_of(resumed.partitions.begin(), resumed.partitions.end(),
                          [](const PartitionPlan& pp) { return pp.resumed && pp.start > 0; }));
  EXPECT_EQ(run_to_end(resumed, "out"), kExitOk);
  auto seen = accounted_positions(read("out"), {});
  EXPECT_EQ(std::set<SourcePos>(seen.begin(), seen.end()).size(), 2000u);
  EXPECT_LE(seen.size() - 2000, 64u) << "more duplicates than the in-flight bound allows";
  EXPECT_EQ(plan("resumable", "beginning").records(), 0);
  EXPECT_EQ(plan("resumable", "beginning", std::nullopt, {}, /*restart=*/true).records(), 2000);
}

TEST_F(ReplayTest, two_replays_of_a_range_are_byte_identical_to_each_other_and_to_run) {
  produce_records(cluster_->bootstrap(), "in", testing::sample_records());
  {
    WorkerOptions live;
    live.consumer = connection();
    live.consumer["group.id"] = "live";
    live.consumer["fetch.wait.max.ms"] = "20";
    live.producer = connection();
    live.input_topic = "in";
    live.output_topic = "out";
    live.dlq_topic = "dlq";
    live.statistics = false;
    RunningWorker w(live);
    ASSERT_TRUE(wait_until([&] { return w.worker().counters().produced >= 61; }));
  }
  EXPECT_EQ(run_to_end(plan("same-1", "beginning"), "out2"), kExitOk);
  EXPECT_EQ(run_to_end(plan("same-2", "beginning"), "out3"), kExitOk);
  auto by_position = [&](const std::string& topic) {
    std::map<SourcePos, std::string> m;
    for (const auto& r : read(topic)) m[*accounted_positions({r}, {}).begin()] = r.value;
    return m;
  };
  auto run_values = by_position("out");
  EXPECT_EQ(run_values.size(), 61u);
  EXPECT_EQ(by_position("out2"), run_values);
  EXPECT_EQ(by_position("out3"), run_values);
}

}  // namespace wirefeed::kafka
