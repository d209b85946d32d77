// No record can stall a partition: a poison pill ends in the DLQ while the
// worker keeps running; a DLQ record (or an enriched record) the broker refuses
// is replaced by a DLQ reference record; limits that contradict each other are
// refused at start. All on librdkafka's embedded mock cluster.
#include "wirefeed/kafka/dlq_reference.h"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <fstream>

#include "cluster_support.h"
#include "process.h"

namespace wirefeed::kafka {

using testing::accounted_positions;
using testing::RunningWorker;
using testing::SourcePos;
using testing::wait_until;

namespace {

constexpr const char* kIn = "in";
constexpr const char* kOut = "out";
constexpr const char* kDlq = "dlq";
constexpr std::int16_t kProduceApiKey = 0;
// Topics live on broker 1; the one a test makes refuse records on broker 2, so
// an error pushed onto broker 2's Produce requests hits that topic alone.
constexpr std::int32_t kRefusingBroker = 2;

const std::string kBin = WIREFEED_BINARY;

// A plain JSON article of about `bytes` whose body is dense with numbers: the
// amounts stage finds one amount every few words (issue 14's poison pill).
Record numbers_article(const std::string& id, std::size_t bytes) {
  static const char* kUnits[] = {"troops", "million dollars", "percent", "people", "tonnes"};
  std::string body;
  body.reserve(bytes + 64);
  std::uint32_t x = 12345;
  for (std::size_t i = 0; body.size() < bytes; ++i) {
    x = x * 1103515245u + 12345u;  // a fixed LCG: the same article every run
    body += std::to_string(x % 999983) + " " + kUnits[i % 5] + ", ";
  }
  Record r;
  r.key = id;
  r.value = R"({"id":")" + id + R"(","title":"Numbers","body":")" + body + "\"}";
  return r;
}

Record ordinary(const std::string& id) {
  Record r;
  r.key = id;
  r.value = R"({"id":")" + id +
            R"(","title":"Markets","body":"Markets moved on Thursday. Analysts said )"
            R"(the rally was broad. Shares rose 3 percent in Frankfurt."})";
  return r;
}

class NeverStuck : public ::testing::Test {
 protected:
  void SetUp() override { cluster_ = std::make_unique<EmbeddedCluster>(2); }

  // `refusing` (if any) is led by broker 2, every other topic by broker 1. A
  // refusing output topic has one partition, so the refused request is one batch.
  void topics(int input_partitions, const std::string& refusing = "") {
    std::map<std::string, int> partitions = {
        {kIn, input_partitions}, {kOut, refusing == kOut ? 1 : input_partitions}, {kDlq, 1}};
    for (const auto& [topic, n] : partitions) {
      cluster_->create_topic(topic, n);
      for (int p = 0; p < n; ++p) {
        rd_kafka_mock_partition_set_leader(cluster_->mock(), topic.c_str(), p,
                                           topic == refusing ? kRefusingBroker : 1);
      }
    }
  }
  // The next `n` Produce requests to the refusing topic's broker fail with a
  // broker-side size refusal, as a topic with a lower max.message.bytes does.
  void refuse_next_produce_requests(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_EQ(rd_kafka_mock_broker_push_request_error_rtts(
                    cluster_->mock(), kRefusingBroker, kProduceApiKey, 1,
                    RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, 0),
                RD_KAFKA_RESP_ERR_NO_ERROR);
    }
  }
  std::size_t refusals_left() const {
    size_t n = 0;
    rd_kafka_mock_broker_error_stack_cnt(cluster_->mock(), kRefusingBroker, kProduceApiKey, &n);
    return n;
  }

  WorkerOptions options(bool exactly_once = false) const {
    WorkerOptions o;
    o.consumer = {{"bootstrap.servers", cluster_->bootstrap()},
                  {"group.id", "never-stuck"},
                  {"fetch.wait.max.ms", "20"},
                  {"session.timeout.ms", "6000"},
                  {"heartbeat.interval.ms", "500"}};
    o.producer = {{"bootstrap.servers", cluster_->bootstrap()}, {"linger.ms", "2"}};
    if (exactly_once) o.producer["transactional.id"] = "never-stuck-eos";
    o.input_topic = kIn;
    o.output_topic = kOut;
    o.dlq_topic = kDlq;
    o.threads = 2;
    o.batch_size = 16;
    o.max_in_flight = 200;
    o.shutdown_deadline = std::chrono::seconds(10);
    o.statistics = false;
    o.exactly_once = exactly_once;
    return o;
  }

  std::vector<Record> outputs() const { return read_records(cluster_->bootstrap(), kOut); }
  std::vector<Record> dead() const { return read_records(cluster_->bootstrap(), kDlq); }
  std::map<std::int32_t, std::int64_t> committed() const {
    return committed_offsets(cluster_->bootstrap(), "never-stuck", kIn);
  }
  std::map<std::int32_t, std::int64_t> input_ends() const {
    return testing::end_offsets(cluster_->bootstrap(), kIn);
  }
  std::size_t accounted() const { return testing::distinct_positions(outputs(), dead()); }

  std::unique_ptr<EmbeddedCluster> cluster_;
};

std::string write_config(const std::string& bootstrap, const std::string& extra = "") {
  std::string path = testing::temp_path("config.yaml");
  std::ofstream(path) << "kafka:\n  common:\n    bootstrap.servers: " << bootstrap
                      << "\n  consumer:\n    group.id: never-stuck\n    fetch.wait.max.ms: 20\n"
                      << "topics: {input: in, output: out, dlq: dlq}\n"
                      << "metrics: {enabled: false}\n"
                      << "log: {format: json}\n"
                      << extra;
  return path;
}

}  // namespace

// Issue 14, as a new user met it: with the default limits, a 3.5 MB article
// whose enriched record would be 45 MB stopped the worker for good.
TEST_F(NeverStuck, a_3_5_mb_article_dense_with_numbers_between_two_ordinary_ones_ends_in_the_dlq) {
  topics(1);
  std::vector<Record> input = {ordinary("before"), numbers_article("numbers", 3'500'000),
                               ordinary("after")};
  for (auto& r : input) r.partition = 0;
  produce_records(cluster_->bootstrap(), kIn, input);

  // The real binary with the default limits (wirefeed run, nothing tuned).
  std::string log = testing::temp_path("run.log");
  testing::Child worker({kBin, "run", "--config", write_config(cluster_->bootstrap())}, log);
  ASSERT_TRUE(wait_until([&] { return accounted() >= 3; }, std::chrono::seconds(90)))
      << testing::read_file(log);
  EXPECT_FALSE(worker.wait(std::chrono::milliseconds(0))) << "the worker stopped by itself";

  auto out = outputs();
  auto dlq = dead();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].key, "before");
  EXPECT_EQ(out[1].key, "after");
  ASSERT_EQ(dlq.size(), 1u);
  EXPECT_EQ(dlq[0].key, "numbers");
  EXPECT_EQ(dlq[0].header("wirefeed-error-code"), "output_too_large");
  EXPECT_EQ(dlq[0].header("wirefeed-error-stage"), "encode");
  EXPECT_EQ(dlq[0].value, input[1].value) << "the DLQ keeps the original bytes";
  EXPECT_FALSE(dlq[0].header(kReferenceHeader));

  worker.signal(SIGTERM);
  auto code = worker.wait(std::chrono::seconds(30));
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 0) << testing::read_file(log);
  EXPECT_EQ(committed(), input_ends());
}

TEST_F(NeverStuck, contradictory_limits_are_refused_at_start_with_one_line_naming_both) {
  topics(1);
  produce_records(cluster_->bootstrap(), kIn, {ordinary("a")});
  std::string out;
  int code = testing::run_shell(kBin + " run --config " + write_config(cluster_->bootstrap()) +
                                    " --set kafka.producer.message.max.bytes=2000000 2>&1",
                                &out);
  EXPECT_EQ(code, 1);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  EXPECT_NE(out.find("limits.max_message_bytes (4194304)"), std::string::npos) << out;
  EXPECT_NE(out.find("kafka.producer.message.max.bytes (2000000)"), std::string::npos) << out;
  // Nothing was consumed, so nothing was committed.
  EXPECT_EQ(committed().at(0), -1);
}

TEST_F(NeverStuck, a_dlq_record_the_broker_refuses_becomes_a_reference_record_and_offsets_move_on) {
  topics(2, kDlq);
  std::vector<Record> input = testing::generated_records(40);
  Record big;
  big.key = "big";
  big.value = R"({"id":"big","body":")" + std::string(300 * 1024, 'x') + "\"}";
  big.headers = {{"x-trace-id", "t-1"}};
  big.partition = 1;
  input.insert(input.begin() + 20, big);
  produce_records(cluster_->bootstrap(), kIn, input);
  refuse_next_produce_requests(1);

  stages::StageOptions small;
  small.max_message_bytes = 256 * 1024;  // `big` goes to the DLQ as oversize_message
  RunningWorker w(options(), stages::default_stage_names(), small);
  ASSERT_TRUE(wait_until([&] { return accounted() >= input.size(); }));
  EXPECT_FALSE(w.finished()) << "the worker stopped";
  EXPECT_EQ(refusals_left(), 0u) << "the broker was never asked";
  EXPECT_EQ(w.stop(), 0);

  auto dlq = dead();
  ASSERT_EQ(dlq.size(), 1u);
  const Record& ref = dlq[0];
  EXPECT_EQ(ref.key, "big");
  EXPECT_EQ(ref.header(kReferenceHeader), "dlq");
  EXPECT_EQ(ref.header(kRefusalHeader), "Broker: Message size too large");
  EXPECT_EQ(ref.header("wirefeed-error-code"), "oversize_message");
  EXPECT_EQ(ref.header("wirefeed-source-topic"), "in");
  EXPECT_EQ(ref.header("wirefeed-source-partition"), "1");
  EXPECT_LT(ref.value.size(), 4096u);
  EXPECT_NE(ref.value.find("\"value_bytes\":" + std::to_string(big.value.size())),
            std::string::npos)
      << ref.value;
  EXPECT_NE(ref.value.find(R"("value_head":"{\"id\":\"big\",\"body\":\"xxx)"), std::string::npos);
  EXPECT_NE(ref.value.find(R"({"name":"x-trace-id","value_bytes":3})"), std::string::npos)
      << ref.value;
  std::string report;
  EXPECT_TRUE(testing::validate_against_schema({ref.value}, "dlq_reference.schema.json", &report))
      << report;

  // Every input accounted for once, and committed to the end.
  auto seen = accounted_positions(outputs(), dlq);
  EXPECT_EQ(seen.size(), input.size());
  EXPECT_EQ(committed(), input_ends());
}

TEST_F(NeverStuck, enriched_records_the_broker_refuses_are_referenced_in_the_dlq) {
  topics(2, kOut);
  std::vector<Record> input = testing::generated_records(30);
  produce_records(cluster_->bootstrap(), kIn, input);
  refuse_next_produce_requests(1);

  RunningWorker w(options());
  ASSERT_TRUE(wait_until([&] { return accounted() >= input.size(); }));
  EXPECT_FALSE(w.finished()) << "the worker stopped";
  EXPECT_EQ(w.stop(), 0);

  // The refused request's records (one batch: at least one) are references.
  auto dlq = dead();
  ASSERT_GE(dlq.size(), 1u);
  for (const auto& r : dlq) {
    EXPECT_EQ(r.header(kReferenceHeader), "output");
    EXPECT_EQ(r.header(kRefusalHeader), "Broker: Message size too large");
    EXPECT_EQ(r.header("wirefeed-error-code"), "output_too_large");
    EXPECT_NE(r.header("wirefeed-error-message").value_or("").find("the output topic refused"),
              std::string::npos);
    EXPECT_NE(r.value.find(R"("refused":"output")"), std::string::npos) << r.value;
  }
  auto seen = accounted_positions(outputs(), dlq);
  EXPECT_EQ(std::set<SourcePos>(seen.begin(), seen.end()).size(), input.size());
  EXPECT_EQ(seen.size(), input.size()) << "an input has both an output and a reference";
  EXPECT_EQ(committed(), input_ends());
}

TEST_F(NeverStuck, exactly_once_redoes_the_batch_with_a_reference_for_the_refused_dlq_record) {
  topics(2, kDlq);
  std::vector<Record> input = testing::generated_records(20);
  Record bad;
  bad.key = "bad";
  bad.value = "{\"id\":";  // malformed: a DLQ record
  input.insert(input.begin() + 10, bad);
  produce_records(cluster_->bootstrap(), kIn, input);
  refuse_next_produce_requests(1);

  RunningWorker w(options(/*exactly_once=*/true));
  ASSERT_TRUE(wait_until([&] {
    auto offsets = w.worker().transaction_offsets();
    std::int64_t sum = 0;
    for (auto [p, o] : offsets) sum += o;
    return sum >= static_cast<std::int64_t>(input.size());
  }));
  EXPECT_FALSE(w.finished()) << "the worker stopped";
  auto counters = w.worker().counters();
  EXPECT_GE(counters.transactions_aborted, 1u);
  EXPECT_EQ(w.stop(), 0);

  // The mock does not hide aborted records: the refused attempt left nothing
  // (refused), the redo wrote the reference.
  auto dlq = dead();
  ASSERT_EQ(dlq.size(), 1u);
  EXPECT_EQ(dlq[0].header(kReferenceHeader), "dlq");
  EXPECT_EQ(dlq[0].header("wirefeed-error-code"), "malformed_json");
  std::map<std::int32_t, std::int64_t> ends = input_ends();
  EXPECT_EQ(w.worker().transaction_offsets(), ends);
}

}  // namespace wirefeed::kafka
