// Input headers flow through to the enriched records (output.headers.propagate),
// through librdkafka and the embedded mock cluster.
#include "wirefeed/kafka/header_propagation.h"

#include <gtest/gtest.h>

#include "cluster_support.h"

namespace wirefeed::kafka {

using testing::RunningWorker;
using testing::wait_until;

namespace {

constexpr const char* kIn = "in";
constexpr const char* kOut = "out";
constexpr const char* kDlq = "dlq";
constexpr const char* kParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

class HeadersFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<EmbeddedCluster>(1);
    cluster_->create_topic(kIn, 2);
    cluster_->create_topic(kOut, 2);
    cluster_->create_topic(kDlq, 1);
    input_ = testing::generated_records(10);
    for (std::size_t i = 0; i < input_.size(); ++i) {
      input_[i].headers = {{"x-trace-id", "trace-" + std::to_string(i)},
                           {"traceparent", kParent},
                           {"tracestate", "congo=t61rcWkgMzE"},
                           {"x-tenant", "acme"}};
    }
    Record bad;
    bad.key = "bad";
    bad.value = "{\"id\":";
    bad.headers = {{"x-trace-id", "trace-bad"}};
    input_.push_back(bad);
    produce_records(cluster_->bootstrap(), kIn, input_);
  }

  // Runs a worker with `policy` until every input is accounted for.
  void run(const HeaderPropagation& policy) {
    WorkerOptions o;
    o.consumer = {{"bootstrap.servers", cluster_->bootstrap()},
                  {"group.id", "headers"},
                  {"fetch.wait.max.ms", "20"}};
    o.producer = {{"bootstrap.servers", cluster_->bootstrap()}, {"linger.ms", "2"}};
    o.input_topic = kIn;
    o.output_topic = kOut;
    o.dlq_topic = kDlq;
    o.threads = 2;
    o.statistics = false;
    o.shutdown_deadline = std::chrono::seconds(10);
    o.output_headers = policy;
    RunningWorker w(std::move(o));
    ASSERT_TRUE(wait_until([&] {
      auto c = w.worker().counters();
      return c.produced + c.dlq >= input_.size();
    }));
    EXPECT_EQ(w.stop(), 0);
    outputs_ = read_records(cluster_->bootstrap(), kOut);
    dlq_ = read_records(cluster_->bootstrap(), kDlq);
    ASSERT_EQ(outputs_.size(), input_.size() - 1);
    ASSERT_EQ(dlq_.size(), 1u);
  }

  // The names of a record's headers, in order.
  static std::vector<std::string> names(const Record& r) {
    std::vector<std::string> out;
    for (const auto& [k, v] : r.headers) out.push_back(k);
    return out;
  }

  std::unique_ptr<EmbeddedCluster> cluster_;
  std::vector<Record> input_;
  std::vector<Record> outputs_, dlq_;
};

}  // namespace

TEST_F(HeadersFlow, by_default_every_input_header_follows_wirefeeds_own_on_the_output) {
  run(HeaderPropagation());
  for (const auto& r : outputs_) {
    EXPECT_EQ(names(r), (std::vector<std::string>{"wirefeed-processed-at-ms", "x-trace-id",
                                                  "traceparent", "tracestate", "x-tenant"}));
    std::string i = r.key->substr(4);  // gen-<i>
    EXPECT_EQ(r.header("x-trace-id"), "trace-" + i);
    EXPECT_EQ(r.header("traceparent"), kParent);  // byte for byte
    EXPECT_EQ(r.header("tracestate"), "congo=t61rcWkgMzE");
  }
  // The DLQ record keeps its input's headers, as before.
  EXPECT_EQ(dlq_[0].header("x-trace-id"), "trace-bad");
}

TEST_F(HeadersFlow, a_list_carries_only_the_named_headers_and_the_trace_context_pair) {
  run(HeaderPropagation::list({"x-trace-id", "traceparent"}));
  for (const auto& r : outputs_) {
    EXPECT_EQ(names(r), (std::vector<std::string>{"wirefeed-processed-at-ms", "x-trace-id",
                                                  "traceparent", "tracestate"}));
  }
}

TEST_F(HeadersFlow, none_carries_only_wirefeeds_own) {
  run(HeaderPropagation::none());
  for (const auto& r : outputs_)
    EXPECT_EQ(names(r), (std::vector<std::string>{"wirefeed-processed-at-ms"}));
  EXPECT_EQ(dlq_[0].header("x-trace-id"), "trace-bad");  // the DLQ is not an output
}

}  // namespace wirefeed::kafka
