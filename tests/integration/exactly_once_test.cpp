// Exactly-once mode on the embedded cluster. librdkafka's mock cluster runs the
// transaction protocol (InitProducerId, AddPartitionsToTxn, TxnOffsetCommit,
// EndTxn) but neither hides aborted records from readers nor stores the offsets
// a TxnOffsetCommit carries. So these tests check the client's side: which
// offsets its committed transactions carried (Worker::transaction_offsets),
// that an abort rewinds and redoes, that a fenced producer stops, and that
// nothing is lost.
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
constexpr const char* kGroup = "wirefeed-eos";
constexpr int kPartitions = 3;
// Kafka protocol ApiKeys of the transaction requests.
constexpr std::int16_t kAddPartitionsToTxn = 24, kEndTxn = 26, kTxnOffsetCommit = 28;

class ExactlyOnce : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<EmbeddedCluster>(1);
    cluster_->create_topic(kIn, kPartitions);
    cluster_->create_topic(kOut, kPartitions);
    cluster_->create_topic(kDlq, 1);
    records_ = testing::generated_records(300);
    for (int i = 0; i < 6; ++i) {
      Record bad;
      bad.key = "bad-" + std::to_string(i);
      bad.value = "{\"id\":";
      records_.push_back(std::move(bad));
    }
    produce_records(cluster_->bootstrap(), kIn, records_);
  }

  WorkerOptions options(const std::string& txn_id = "wirefeed-eos-test") const {
    WorkerOptions o;
    o.consumer = {{"bootstrap.servers", cluster_->bootstrap()},
                  {"group.id", kGroup},
                  {"fetch.wait.max.ms", "20"},
                  {"session.timeout.ms", "6000"},
                  {"heartbeat.interval.ms", "500"}};
    o.producer = {{"bootstrap.servers", cluster_->bootstrap()},
                  {"linger.ms", "2"},
                  {"transactional.id", txn_id}};
    o.input_topic = kIn;
    o.output_topic = kOut;
    o.dlq_topic = kDlq;
    o.threads = 2;
    o.batch_size = 32;
    o.max_in_flight = 200;
    o.shutdown_deadline = std::chrono::seconds(10);
    o.statistics = false;
    o.exactly_once = true;
    return o;
  }

  std::vector<Record> outputs() const { return read_records(cluster_->bootstrap(), kOut); }
  std::vector<Record> dead() const { return read_records(cluster_->bootstrap(), kDlq); }
  std::size_t accounted() const { return testing::distinct_positions(outputs(), dead()); }
  std::map<std::int32_t, std::int64_t> ends() const {
    return testing::end_offsets(cluster_->bootstrap(), kIn);
  }
  // Every copy of a record (an aborted transaction's and its redo) is identical.
  void expect_copies_identical() {
    std::map<SourcePos, std::string> first;
    for (const auto& r : outputs()) {
      const auto pos = *accounted_positions({r}, {}).begin();
      auto [it, inserted] = first.emplace(pos, r.value);
      if (!inserted) {
        EXPECT_EQ(it->second, r.value) << pos.first << "/" << pos.second;
      }
    }
  }
  void push_errors(std::int16_t api, std::vector<rd_kafka_resp_err_t> errors) {
    rd_kafka_mock_push_request_errors_array(cluster_->mock(), api, errors.size(), errors.data());
  }

  std::unique_ptr<EmbeddedCluster> cluster_;
  std::vector<Record> records_;
};

}  // namespace

TEST_F(ExactlyOnce, each_batch_commits_its_records_and_offsets_in_one_transaction) {
  RunningWorker w(options());
  ASSERT_TRUE(wait_until([&] { return w.worker().transaction_offsets() == ends(); }));
  const auto c = w.worker().counters();
  EXPECT_EQ(w.stop(), 0);
  EXPECT_EQ(c.produced + c.dlq, records_.size());
  EXPECT_GT(c.transactions_committed, 0u);
  EXPECT_EQ(c.transactions_aborted, 0u);
  EXPECT_EQ(c.in_flight, 0u);
  // No abort, so no copies: each input once, as an output or a DLQ record.
  EXPECT_EQ(outputs().size() + dead().size(), records_.size());
  EXPECT_EQ(accounted(), records_.size());
}

TEST_F(ExactlyOnce, an_abortable_error_aborts_rewinds_and_redoes_the_batch) {
  // The next AddPartitionsToTxn is refused: the transaction must be aborted.
  push_errors(kAddPartitionsToTxn, {RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED});
  RunningWorker w(options());
  ASSERT_TRUE(wait_until([&] { return w.worker().transaction_offsets() == ends(); }));
  const auto c = w.worker().counters();
  EXPECT_EQ(w.stop(), 0);
  EXPECT_GE(c.transactions_aborted, 1u);
  EXPECT_GT(c.transactions_committed, 0u);
  EXPECT_EQ(accounted(), records_.size());
  // The rewind made the aborted batch come again: more records consumed than
  // there are. (Its first copies never left the producer: the refused
  // AddPartitionsToTxn came first, and the abort purged them.)
  EXPECT_GT(c.consumed, records_.size());
  expect_copies_identical();
}

TEST_F(ExactlyOnce, coordinator_errors_in_commit_are_retried_without_an_abort) {
  push_errors(kEndTxn,
              {RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR});
  push_errors(kTxnOffsetCommit, {RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS});
  RunningWorker w(options());
  ASSERT_TRUE(wait_until([&] { return w.worker().transaction_offsets() == ends(); }));
  EXPECT_EQ(w.stop(), 0);
  // librdkafka (2.0) retries these coordinator errors inside commit_transaction
  // and send_offsets_to_transaction; what the worker must add is not treating
  // them as abortable. An abort would rewind and produce the batch again, so:
  // no abort, at least one commit, and exactly one record per input.
  EXPECT_EQ(w.observer().transactions_aborted.load(), 0u);
  EXPECT_GE(w.observer().transactions_committed.load(), 1u);
  EXPECT_EQ(outputs().size() + dead().size(), records_.size());
  EXPECT_EQ(accounted(), records_.size());
  expect_copies_identical();
}

TEST_F(ExactlyOnce, a_fenced_producer_stops_the_worker_and_a_restart_finishes) {
  push_errors(kEndTxn, {RD_KAFKA_RESP_ERR_PRODUCER_FENCED});
  std::map<std::int32_t, std::int64_t> committed_at_exit;
  {
    RunningWorker w(options());
    auto code = w.wait_exit(std::chrono::seconds(60));
    ASSERT_TRUE(code.has_value()) << "a fenced producer kept running";
    EXPECT_EQ(*code, 1);
    committed_at_exit = w.worker().transaction_offsets();
  }
  // The first transaction was fenced: it carried no offsets, and none after it.
  EXPECT_TRUE(committed_at_exit.empty());
  {
    RunningWorker w(options());
    ASSERT_TRUE(wait_until([&] { return w.worker().transaction_offsets() == ends(); }));
    EXPECT_EQ(w.stop(), 0);
  }
  EXPECT_EQ(accounted(), records_.size());
  expect_copies_identical();
}

}  // namespace wirefeed::kafka
