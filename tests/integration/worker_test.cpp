// The worker against librdkafka's mock cluster: the real protocol on loopback.
#include "wirefeed/kafka/worker.h"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <map>

#include "cluster_support.h"
#include "wirefeed/kafka/handles.h"

namespace wirefeed::kafka {

using testing::accounted_positions;
using testing::RunningWorker;
using testing::SourcePos;
using testing::wait_until;

namespace {

constexpr const char* kIn = "in";
constexpr const char* kOut = "out";
constexpr const char* kDlq = "dlq";
constexpr int kPartitions = 4;
constexpr std::int16_t kProduceApiKey = 0;  // Kafka protocol ApiKey of Produce

class WorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<EmbeddedCluster>(1);
    cluster_->create_topic(kIn, kPartitions);
    cluster_->create_topic(kOut, kPartitions);
    cluster_->create_topic(kDlq, 1);
  }

  WorkerOptions options(const std::string& group = "wirefeed-test") const {
    WorkerOptions o;
    o.consumer = {{"bootstrap.servers", cluster_->bootstrap()},
                  {"group.id", group},
                  {"fetch.wait.max.ms", "20"},
                  {"session.timeout.ms", "6000"},
                  {"heartbeat.interval.ms", "500"}};
    o.producer = {{"bootstrap.servers", cluster_->bootstrap()}, {"linger.ms", "2"}};
    o.input_topic = kIn;
    o.output_topic = kOut;
    o.dlq_topic = kDlq;
    o.threads = 2;
    o.batch_size = 64;
    o.max_in_flight = 500;
    o.shutdown_deadline = std::chrono::seconds(10);
    o.statistics = false;
    return o;
  }

  void produce(const std::vector<Record>& records) {
    produce_records(cluster_->bootstrap(), kIn, records);
  }
  std::vector<Record> outputs() const { return read_records(cluster_->bootstrap(), kOut); }
  std::vector<Record> dead() const { return read_records(cluster_->bootstrap(), kDlq); }
  std::map<std::int32_t, std::int64_t> committed(const std::string& group = "wirefeed-test") const {
    return committed_offsets(cluster_->bootstrap(), group, kIn);
  }
  std::map<std::int32_t, std::int64_t> input_ends() const {
    std::map<std::int32_t, std::int64_t> ends;
    for (int p = 0; p < kPartitions; ++p) ends[p] = 0;
    for (const auto& r : read_records(cluster_->bootstrap(), kIn)) {
      ends[r.partition] = std::max(ends[r.partition], r.offset + 1);
    }
    return ends;
  }

  // Every input offset below the committed one has an output or DLQ record.
  void expect_commits_cover_only_delivered() {
    auto seen = accounted_positions(outputs(), dead());
    for (auto [partition, offset] : committed()) {
      for (std::int64_t o = 0; o < offset; ++o) {
        EXPECT_TRUE(seen.count({partition, o}))
            << "committed past undelivered partition " << partition << " offset " << o;
      }
    }
  }

  std::unique_ptr<EmbeddedCluster> cluster_;
};

std::vector<Record> malformed() {
  std::vector<Record> out;
  auto add = [&](std::string key, std::string value) {
    Record r;
    r.key = key;
    r.value = std::move(value);
    out.push_back(std::move(r));
  };
  add("bad-json", R"({"id":"x","body":"unterminated)");
  out.back().headers = {{"trace-id", "abc-123"}};
  add("bad-utf8", std::string("caf\xE9 au lait"));
  add("empty", "");
  add("no-body", R"({"id":"headline","title":"Only a headline"})");
  add("oversize", R"({"id":"big","body":")" + std::string(300 * 1024, 'x') + "\"}");
  return out;
}

}  // namespace

TEST_F(WorkerTest, every_record_ends_as_an_output_or_a_dlq_record_with_offsets_committed) {
  auto good = testing::sample_records();
  auto bad = malformed();
  std::vector<Record> all = good;
  all.insert(all.end(), bad.begin(), bad.end());
  produce(all);

  stages::StageOptions small_limit;
  small_limit.max_message_bytes = 256 * 1024;
  RunningWorker w(options(), stages::default_stage_names(), small_limit);
  ASSERT_TRUE(wait_until([&] {
    auto c = w.worker().counters();
    return c.produced + c.dlq >= all.size();
  }));
  EXPECT_EQ(w.stop(), 0);

  auto out = outputs();
  auto dlq = dead();
  EXPECT_EQ(out.size(), good.size());
  EXPECT_EQ(dlq.size(), bad.size());

  // Outputs: keyed by article id, schema-valid, pointing back at their input.
  std::set<std::string> ids;
  std::vector<std::string> values;
  for (const auto& r : out) {
    ASSERT_TRUE(r.key);
    EXPECT_NE(r.value.find("\"id\":\"" + *r.key + "\""), std::string::npos);
    EXPECT_TRUE(r.header("wirefeed-processed-at-ms"));
    ids.insert(*r.key);
    values.push_back(r.value);
  }
  EXPECT_EQ(ids.size(), good.size());
  EXPECT_TRUE(ids.contains("wikinews-en-b815ca1248d4"));
  std::string report;
  EXPECT_TRUE(testing::validate_against_schema(values, "enriched_article.schema.json", &report))
      << report;

  // DLQ: original key and bytes, the reason, and where the record came from.
  std::map<std::string, std::string> reason_by_key;
  for (const auto& r : dlq) {
    ASSERT_TRUE(r.key);
    auto original =
        std::find_if(bad.begin(), bad.end(), [&](const Record& b) { return b.key == r.key; });
    ASSERT_NE(original, bad.end());
    EXPECT_EQ(r.value, original->value);
    reason_by_key[*r.key] = r.header("wirefeed-error-code").value_or("");
    EXPECT_EQ(r.header("wirefeed-source-topic"), "in");
    EXPECT_TRUE(r.header("wirefeed-source-partition"));
    EXPECT_TRUE(r.header("wirefeed-source-offset"));
    EXPECT_FALSE(r.header("wirefeed-error-message").value_or("").empty());
    EXPECT_FALSE(r.header("wirefeed-error-stage").value_or("").empty());
    for (const auto& [name, value] : original->headers) EXPECT_EQ(r.header(name), value);
  }
  EXPECT_EQ(reason_by_key["bad-json"], "malformed_json");
  EXPECT_EQ(reason_by_key["bad-utf8"], "invalid_utf8");
  EXPECT_EQ(reason_by_key["empty"], "empty_message");
  EXPECT_EQ(reason_by_key["no-body"], "missing_body");
  EXPECT_EQ(reason_by_key["oversize"], "oversize_message");

  // Every input position accounted for exactly once, and committed to the end.
  auto seen = accounted_positions(out, dlq);
  EXPECT_EQ(seen.size(), all.size());
  EXPECT_EQ(std::set<SourcePos>(seen.begin(), seen.end()).size(), all.size());
  EXPECT_EQ(committed(), input_ends());
}

TEST_F(WorkerTest, a_restarted_worker_resumes_from_committed_offsets) {
  produce(testing::generated_records(300, 0));
  {
    RunningWorker w(options());
    ASSERT_TRUE(wait_until([&] { return w.worker().counters().produced >= 300; }));
    EXPECT_EQ(w.stop(), 0);
  }
  EXPECT_EQ(committed(), input_ends());
  produce(testing::generated_records(200, 300));
  {
    RunningWorker w(options());
    ASSERT_TRUE(wait_until([&] { return w.worker().counters().produced >= 200; }));
    EXPECT_EQ(w.stop(), 0);
    EXPECT_EQ(w.worker().counters().consumed, 200u);  // nothing from the first run again
  }
  auto out = outputs();
  EXPECT_EQ(out.size(), 500u);
  std::set<std::string> ids;
  for (const auto& r : out) ids.insert(*r.key);
  EXPECT_EQ(ids.size(), 500u);
}

TEST_F(WorkerTest, stopping_mid_stream_commits_only_delivered_records_and_a_restart_finishes) {
  produce(testing::generated_records(4000));
  auto opts = options();
  opts.batch_size = 16;
  opts.max_in_flight = 64;
  {
    RunningWorker w(opts);
    ASSERT_TRUE(wait_until([&] { return w.worker().counters().produced >= 200; }));
    EXPECT_EQ(w.stop(), 0);  // what SIGTERM does
    EXPECT_LT(w.worker().counters().consumed, 4000u) << "the stop came too late to test anything";
  }
  expect_commits_cover_only_delivered();
  {
    RunningWorker w(opts);
    ASSERT_TRUE(wait_until([&] { return testing::distinct_positions(outputs(), dead()) >= 4000; },
                           std::chrono::seconds(90)));
    EXPECT_EQ(w.stop(), 0);
  }
  auto seen = accounted_positions(outputs(), dead());
  EXPECT_EQ(std::set<SourcePos>(seen.begin(), seen.end()).size(), 4000u);
  EXPECT_EQ(committed(), input_ends());
}

TEST_F(WorkerTest, a_second_worker_joining_the_group_loses_nothing) {
  produce(testing::generated_records(1500, 0));
  auto opts = options();
  opts.batch_size = 16;
  opts.max_in_flight = 64;
  RunningWorker a(opts);
  ASSERT_TRUE(wait_until([&] { return a.worker().counters().produced >= 100; }));
  RunningWorker b(opts);
  // Cooperative rebalance: A gives up some partitions after finishing their
  // in-flight records, then B is assigned them.
  ASSERT_TRUE(wait_until([&] { return b.observer().assigned > 0; }, std::chrono::seconds(60)));
  EXPECT_GT(a.observer().assigned, 0);
  EXPECT_EQ(a.observer().assigned + b.observer().assigned, kPartitions);
  produce(testing::generated_records(1500, 1500));
  ASSERT_TRUE(wait_until([&] { return testing::distinct_positions(outputs(), dead()) >= 3000; },
                         std::chrono::seconds(90)));
  EXPECT_GT(b.worker().counters().consumed, 0u);
  // What the handover did, before the stops (which rebalance again).
  const std::set<std::int32_t> handed_over = a.observer().revoked();
  const std::size_t refused = a.observer().commits_refused_in_rebalance;
  EXPECT_FALSE(handed_over.empty());
  EXPECT_EQ(b.stop(), 0);
  EXPECT_EQ(a.stop(), 0);
  auto seen = accounted_positions(outputs(), dead());
  EXPECT_EQ(std::set<SourcePos>(seen.begin(), seen.end()).size(), 3000u);
  // Handing partitions over finished their in-flight work and committed it
  // first: no duplicates. Unless the coordinator refused that commit (the
  // embedded cluster does during a rebalance, and a slow run, as under ASan,
  // delivers most records while the rebalance is in progress): then B redoes
  // what A delivered since its last commit, at least once as promised, and
  // only in the partitions A handed over.
  if (refused == 0) {
    EXPECT_EQ(seen.size(), 3000u);
  } else {
    for (const SourcePos& p : seen) {
      if (seen.count(p) > 1) {
        EXPECT_TRUE(handed_over.count(p.first)) << "duplicate outside the handed-over partitions";
      }
    }
  }
  EXPECT_EQ(committed(), input_ends());
}

TEST_F(WorkerTest, retriable_produce_errors_are_retried_without_loss) {
  produce(testing::generated_records(400));
  // Each of the next produce requests fails with a retriable error first.
  std::vector<rd_kafka_resp_err_t> errors(12, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
  rd_kafka_mock_push_request_errors_array(cluster_->mock(), kProduceApiKey, errors.size(),
                                          errors.data());
  RunningWorker w(options());
  ASSERT_TRUE(wait_until([&] { return w.worker().counters().produced >= 400; }));
  EXPECT_EQ(w.stop(), 0);
  EXPECT_EQ(outputs().size(), 400u);
  EXPECT_EQ(committed(), input_ends());
}

TEST_F(WorkerTest, a_permanent_produce_error_stops_the_worker_without_committing_past_it) {
  produce(testing::generated_records(400));
  std::vector<rd_kafka_resp_err_t> errors(200, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
  rd_kafka_mock_push_request_errors_array(cluster_->mock(), kProduceApiKey, errors.size(),
                                          errors.data());
  {
    RunningWorker w(options());
    auto code = w.wait_exit(std::chrono::seconds(60));
    ASSERT_TRUE(code.has_value()) << "the worker kept running after a permanent error";
    EXPECT_EQ(*code, 1);
  }
  expect_commits_cover_only_delivered();
  rd_kafka_mock_clear_request_errors(cluster_->mock(), kProduceApiKey);
  {
    RunningWorker w(options());
    ASSERT_TRUE(wait_until([&] { return testing::distinct_positions(outputs(), dead()) >= 400; }));
    EXPECT_EQ(w.stop(), 0);
  }
  auto seen = accounted_positions(outputs(), dead());
  EXPECT_EQ(std::set<SourcePos>(seen.begin(), seen.end()).size(), 400u);
}

TEST_F(WorkerTest, the_in_flight_bound_pauses_consumption_and_never_drops) {
  produce(testing::generated_records(600));
  auto opts = options();
  opts.batch_size = 8;
  opts.max_in_flight = 20;
  // The broker answers 1.5 s late: acknowledgements stall, the worker sits at
  // the bound for longer than the one-second rule and must pause its partitions.
  rd_kafka_mock_broker_set_rtt(cluster_->mock(), 1, 1500);  // the one broker
  RunningWorker w(opts);
  ASSERT_TRUE(wait_until([&] { return w.worker().counters().backpressure_pauses >= 1; },
                         std::chrono::seconds(30)))
      << "the worker sat at its in-flight bound and never paused";
  rd_kafka_mock_broker_set_rtt(cluster_->mock(), 1, 0);
  ASSERT_TRUE(
      wait_until([&] { return w.worker().counters().produced >= 600; }, std::chrono::seconds(60)));
  EXPECT_EQ(w.stop(), 0);
  EXPECT_LE(w.observer().max_in_flight.load(), 20u);
  EXPECT_EQ(outputs().size(), 600u);
}

TEST_F(WorkerTest, output_values_are_identical_when_the_same_input_is_processed_twice) {
  produce(testing::sample_records());
  {
    RunningWorker w(options("first"));
    ASSERT_TRUE(wait_until([&] { return w.worker().counters().produced >= 61; }));
  }
  {
    RunningWorker w(options("second"));
    ASSERT_TRUE(wait_until([&] { return w.worker().counters().produced >= 61; }));
  }
  std::map<SourcePos, std::set<std::string>> values;
  for (const auto& r : outputs()) {
    auto pos = *accounted_positions({r}, {}).begin();
    values[pos].insert(r.value);
  }
  EXPECT_EQ(values.size(), 61u);
  for (const auto& [pos, v] : values) EXPECT_EQ(v.size(), 1u) << "partition " << pos.first;
}

}  // namespace wirefeed::kafka
