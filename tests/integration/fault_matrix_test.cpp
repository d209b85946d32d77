// The fault matrix: the worker against the embedded cluster while librdkafka's
// mock fault API (rdkafka_mock.h) breaks things: brokers down, request errors
// on every API the worker uses, leader and coordinator moves, a slow broker, an
// unavailable DLQ topic. In each case the worker either recovers or exits
// non-zero without committing past an unprocessed record, and a restart then
// finishes with every input record accounted for (an output or a DLQ record).
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
constexpr const char* kGroup = "wirefeed-faults";
constexpr int kPartitions = 4;
constexpr int kBrokers = 3;
constexpr std::size_t kGood = 600;

// Kafka protocol ApiKeys.
constexpr std::int16_t kProduce = 0, kFetch = 1, kOffsetCommit = 8, kJoinGroup = 11,
                       kHeartbeat = 12;

class FaultMatrix : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<EmbeddedCluster>(kBrokers);
    cluster_->create_topic(kIn, kPartitions, kBrokers);
    cluster_->create_topic(kOut, kPartitions, kBrokers);
    cluster_->create_topic(kDlq, 1, kBrokers);
    records_ = testing::generated_records(kGood);
    // Every few records a malformed one, so DLQ traffic runs through the faults too.
    for (std::size_t i = 0; i < 20; ++i) {
      Record bad;
      bad.key = "bad-" + std::to_string(i);
      bad.value = R"({"id":"bad-)" + std::to_string(i) + R"(","body":)";
      records_.push_back(std::move(bad));
    }
    produce_records(cluster_->bootstrap(), kIn, records_);
  }

  // `delivery_timeout`: how long the producer keeps trying a record. Transient
  // faults get librdkafka's default-like patience; permanent ones fail fast.
  WorkerOptions options(
      std::chrono::milliseconds delivery_timeout = std::chrono::minutes(2)) const {
    WorkerOptions o;
    o.consumer = {{"bootstrap.servers", cluster_->bootstrap()},
                  {"group.id", kGroup},
                  {"fetch.wait.max.ms", "20"},
                  {"session.timeout.ms", "6000"},
                  {"heartbeat.interval.ms", "300"},
                  {"topic.metadata.refresh.interval.ms", "1000"}};
    o.producer = {{"bootstrap.servers", cluster_->bootstrap()},
                  {"linger.ms", "2"},
                  {"message.timeout.ms", std::to_string(delivery_timeout.count())},
                  {"reconnect.backoff.max.ms", "1000"},
                  {"topic.metadata.refresh.interval.ms", "1000"}};
    o.input_topic = kIn;
    o.output_topic = kOut;
    o.dlq_topic = kDlq;
    o.threads = 2;
    o.batch_size = 16;
    o.max_in_flight = 100;
    o.shutdown_deadline = std::chrono::seconds(15);
    o.statistics = false;
    return o;
  }

  std::vector<Record> outputs() const { return read_records(cluster_->bootstrap(), kOut); }
  std::vector<Record> dead() const { return read_records(cluster_->bootstrap(), kDlq); }
  std::size_t accounted() const { return testing::distinct_positions(outputs(), dead()); }

  // No committed offset may pass an input record without an output or DLQ record.
  void expect_commits_cover_only_delivered() {
    auto seen = accounted_positions(outputs(), dead());
    for (auto [partition, offset] : committed_offsets(cluster_->bootstrap(), kGroup, kIn))
      for (std::int64_t o = 0; o < offset; ++o)
        EXPECT_TRUE(seen.count({partition, o}))
            << "committed past undelivered partition " << partition << " offset " << o;
  }

  struct Outcome {
    bool exited = false;  // the first worker stopped by itself (non-zero)
  };

  // Runs a worker, applies `inject` once `after` records are out (0: before it
  // starts), `clear` `hold` later; if the worker exits, checks its commits and
  // runs a second one. Ends with every input accounted for and committed.
  Outcome run_with_fault(std::size_t after, const std::function<void()>& inject,
                         const std::function<void()>& clear,
                         std::chrono::milliseconds hold = std::chrono::seconds(3),
                         std::chrono::milliseconds delivery_timeout = std::chrono::minutes(2)) {
    Outcome outcome;
    const std::size_t total = records_.size();
    if (after == 0) inject();
    {
      RunningWorker w(options(delivery_timeout));
      if (after > 0) {
        EXPECT_TRUE(wait_until([&] {
          auto c = w.worker().counters();
          return c.produced + c.dlq >= after || w.finished();
        }));
        inject();
      }
      wait_until([&] { return w.finished(); }, hold);
      clear();
      const bool done = wait_until(
          [&] {
            auto c = w.worker().counters();
            return w.finished() || c.produced + c.dlq >= total;
          },
          std::chrono::seconds(90));
      EXPECT_TRUE(done) << "the worker neither finished nor exited";
      if (w.finished()) {
        outcome.exited = true;
        auto code = w.wait_exit(std::chrono::seconds(1));
        EXPECT_TRUE(code.has_value());
        if (code) {
          EXPECT_NE(*code, 0) << "a worker that stops by itself must say it failed";
        }
      } else {
        EXPECT_EQ(w.stop(), 0);
      }
    }
    expect_commits_cover_only_delivered();
    // A restart finishes the job: after an exit, or when a fault made the last
    // commit fail (at-least-once: the restart reprocesses, never skips).
    if (outcome.exited || accounted() < total || !fully_committed()) {
      RunningWorker again(options());
      EXPECT_TRUE(wait_until([&] { return accounted() >= total && fully_committed(); },
                             std::chrono::seconds(90)));
      EXPECT_EQ(again.stop(), 0);
    }
    EXPECT_EQ(accounted(), total) << "lost records";
    expect_commits_cover_only_delivered();
    EXPECT_TRUE(fully_committed());
    return outcome;
  }

  bool fully_committed() const {
    return committed_offsets(cluster_->bootstrap(), kGroup, kIn) ==
           testing::end_offsets(cluster_->bootstrap(), kIn);
  }

  void push_errors(std::int16_t api, std::vector<rd_kafka_resp_err_t> errors) {
    rd_kafka_mock_push_request_errors_array(cluster_->mock(), api, errors.size(), errors.data());
  }
  void clear_errors(std::int16_t api) { rd_kafka_mock_clear_request_errors(cluster_->mock(), api); }

  std::unique_ptr<EmbeddedCluster> cluster_;
  std::vector<Record> records_;
};

}  // namespace

TEST_F(FaultMatrix, a_broker_down_and_back_up_mid_stream) {
  auto outcome = run_with_fault(
      100, [&] { rd_kafka_mock_broker_set_down(cluster_->mock(), 1); },
      [&] { rd_kafka_mock_broker_set_up(cluster_->mock(), 1); }, std::chrono::seconds(4));
  EXPECT_FALSE(outcome.exited) << "a broker outage is transient: the worker rides it out";
}

TEST_F(FaultMatrix, every_broker_down_and_back_up) {
  run_with_fault(
      100,
      [&] {
        for (int b = 1; b <= kBrokers; ++b) rd_kafka_mock_broker_set_down(cluster_->mock(), b);
      },
      [&] {
        for (int b = 1; b <= kBrokers; ++b) rd_kafka_mock_broker_set_up(cluster_->mock(), b);
      },
      std::chrono::seconds(4));
}

TEST_F(FaultMatrix, retriable_produce_errors) {
  auto outcome = run_with_fault(
      50,
      [&] {
        push_errors(kProduce,
                    std::vector<rd_kafka_resp_err_t>(10, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS));
      },
      [&] {});
  EXPECT_FALSE(outcome.exited);
}

TEST_F(FaultMatrix, a_non_retriable_produce_error_stops_the_worker) {
  auto outcome = run_with_fault(
      50,
      [&] {
        push_errors(kProduce, std::vector<rd_kafka_resp_err_t>(
                                  40, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED));
      },
      [&] { clear_errors(kProduce); }, std::chrono::seconds(20), std::chrono::seconds(8));
  EXPECT_TRUE(outcome.exited) << "an authorization failure cannot be retried away";
}

TEST_F(FaultMatrix, fetch_errors) {
  auto outcome = run_with_fault(
      50,
      [&] {
        push_errors(kFetch,
                    {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                     RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
                     RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR__TRANSPORT});
      },
      [&] {});
  EXPECT_FALSE(outcome.exited);
}

TEST_F(FaultMatrix, offset_commit_errors) {
  auto outcome = run_with_fault(
      50,
      [&] {
        push_errors(
            kOffsetCommit,
            {RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
             RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS});
      },
      [&] {});
  EXPECT_FALSE(outcome.exited);
}

TEST_F(FaultMatrix, join_group_errors_before_the_first_join) {
  auto outcome = run_with_fault(
      0,
      [&] {
        push_errors(kJoinGroup, {RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
                                 RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
                                 RD_KAFKA_RESP_ERR_NOT_COORDINATOR});
      },
      [&] {});
  EXPECT_FALSE(outcome.exited);
}

TEST_F(FaultMatrix, heartbeat_errors_force_rejoins) {
  auto outcome = run_with_fault(
      50,
      [&] {
        push_errors(kHeartbeat,
                    {RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
                     RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID});
      },
      [&] {});
  EXPECT_FALSE(outcome.exited);
}

TEST_F(FaultMatrix, partition_leaders_move_mid_stream) {
  auto move = [&](int shift) {
    for (const char* topic : {kIn, kOut})
      for (int p = 0; p < kPartitions; ++p)
        rd_kafka_mock_partition_set_leader(cluster_->mock(), topic, p, (p + shift) % kBrokers + 1);
  };
  auto outcome = run_with_fault(
      100, [&] { move(1); }, [&] { move(2); });
  EXPECT_FALSE(outcome.exited);
}

TEST_F(FaultMatrix, the_group_coordinator_moves_mid_stream) {
  auto outcome = run_with_fault(
      100, [&] { rd_kafka_mock_coordinator_set(cluster_->mock(), "group", kGroup, 2); },
      [&] { rd_kafka_mock_coordinator_set(cluster_->mock(), "group", kGroup, 3); });
  EXPECT_FALSE(outcome.exited);
}

TEST_F(FaultMatrix, a_slow_broker) {
  auto outcome = run_with_fault(
      100,
      [&] {
        for (int b = 1; b <= kBrokers; ++b) rd_kafka_mock_broker_set_rtt(cluster_->mock(), b, 400);
      },
      [&] {
        for (int b = 1; b <= kBrokers; ++b) rd_kafka_mock_broker_set_rtt(cluster_->mock(), b, 0);
      },
      std::chrono::seconds(5));
  EXPECT_FALSE(outcome.exited);
}

TEST_F(FaultMatrix, the_dlq_topic_unavailable) {
  // The DLQ topic refuses writes: records bound for it cannot be delivered,
  // so the worker must stop without committing past them.
  auto outcome = run_with_fault(
      0,
      [&] {
        rd_kafka_mock_topic_set_error(cluster_->mock(), kDlq,
                                      RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
      },
      [&] { rd_kafka_mock_topic_set_error(cluster_->mock(), kDlq, RD_KAFKA_RESP_ERR_NO_ERROR); },
      std::chrono::seconds(20), std::chrono::seconds(8));
  EXPECT_TRUE(outcome.exited);
}

}  // namespace wirefeed::kafka
