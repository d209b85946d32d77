// /metrics, /healthz and /readyz over real HTTP while a real worker runs.
#include "wirefeed/ops/http_server.h"

#include <gtest/gtest.h>

#include <regex>

#include "cluster_support.h"
#include "wirefeed/ops/metrics.h"

namespace wirefeed::ops {

namespace {

// The value of one sample in Prometheus text format, or -1 if absent.
double sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(series + " ")) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

}  // namespace

TEST(HttpServer, metrics_over_http_match_what_was_sent_and_health_endpoints_answer) {
  kafka::EmbeddedCluster cluster(1);
  cluster.create_topic("in", 2);
  cluster.create_topic("out", 2);
  cluster.create_topic("dlq", 1);
  auto records = testing::generated_records(120);
  kafka::Record bad;
  bad.key = "bad";
  bad.value = "{\"body\":";
  records.push_back(bad);
  records.push_back(bad);
  kafka::produce_records(cluster.bootstrap(), "in", records);

  Metrics metrics("in", "out", "dlq");
  auto pipeline = stages::build_pipeline(stages::default_stage_names(), {}, &metrics);
  metrics.bind_stages(pipeline->stage_names());
  kafka::WorkerOptions o;
  o.consumer = {{"bootstrap.servers", cluster.bootstrap()},
                {"group.id", "http-test"},
                {"fetch.wait.max.ms", "20"},
                {"statistics.interval.ms", "200"}};
  o.producer = {{"bootstrap.servers", cluster.bootstrap()}};
  o.input_topic = "in";
  o.output_topic = "out";
  o.dlq_topic = "dlq";
  kafka::Worker worker(o, *pipeline, &metrics);
  HttpServer http(
      "127.0.0.1:0", [&metrics] { return metrics.collect(); }, [&] { return worker.health(); });
  ASSERT_GT(http.port(), 0);

  std::string body;
  EXPECT_EQ(testing::http_get(http.port(), "/readyz", body), 503);  // not in the group yet
  EXPECT_EQ(testing::http_get(http.port(), "/healthz", body), 200);

  std::thread runner([&] { worker.run(); });
  ASSERT_TRUE(testing::wait_until([&] {
    auto c = worker.counters();
    return c.produced + c.dlq >= records.size();
  }));
  EXPECT_EQ(testing::http_get(http.port(), "/readyz", body), 200) << body;
  // Lag comes from librdkafka statistics: wait for a report after the work is done.
  ASSERT_TRUE(testing::wait_until(
      [&] {
        testing::http_get(http.port(), "/metrics", body);
        return sample(body, R"(wirefeed_consumer_lag_messages{partition="0",topic="in"})") == 0 &&
               sample(body, R"(wirefeed_consumer_lag_messages{partition="1",topic="in"})") == 0;
      },
      std::chrono::seconds(20)))
      << body;

  ASSERT_EQ(testing::http_get(http.port(), "/metrics", body), 200);
  EXPECT_EQ(sample(body, R"(wirefeed_consumer_records_total{topic="in"})"), 122);
  EXPECT_EQ(sample(body, R"(wirefeed_producer_records_total{topic="out"})"), 120);
  EXPECT_EQ(sample(body, R"(wirefeed_dlq_records_total{reason="malformed_json",topic="dlq"})"), 2);
  EXPECT_EQ(sample(body, R"(wirefeed_stage_errors_total{stage="decode"})"), 2);
  EXPECT_EQ(sample(body, R"(wirefeed_stage_duration_seconds_count{stage="encode"})"), 120);
  EXPECT_EQ(sample(body, "wirefeed_pipeline_in_flight_records"), 0);
  EXPECT_EQ(sample(body, "wirefeed_consumer_assigned_partitions"), 2);
  EXPECT_GE(sample(body, R"(wirefeed_consumer_rebalances_total{kind="assign"})"), 1);
  EXPECT_NE(body.find("wirefeed_build_info{"), std::string::npos);
  EXPECT_EQ(testing::http_get(http.port(), "/nothing-here", body), 404);

  worker.request_stop();
  runner.join();
  EXPECT_EQ(testing::http_get(http.port(), "/readyz", body), 503);
}

TEST(HttpServer, binds_only_the_configured_address) {
  Metrics metrics("in", "out", "dlq");
  HttpServer http(
      "127.0.0.1:0", [&metrics] { return metrics.collect(); },
      [] {
        return kafka::Health{true, true, ""};
      });
  std::string body;
  EXPECT_EQ(testing::http_get(http.port(), "/healthz", body), 200);
  // Another loopback address reaches any socket bound to 0.0.0.0: this one is
  // bound to 127.0.0.1 alone, so the connection must be refused.
  EXPECT_EQ(testing::http_get(http.port(), "/healthz", body, 0x7F000002), -1);
  // And a server bound to every address answers there, so the probe can tell.
  HttpServer open_to_all(
      "0.0.0.0:0", [&metrics] { return metrics.collect(); },
      [] {
        return kafka::Health{true, true, ""};
      });
  EXPECT_EQ(testing::http_get(open_to_all.port(), "/healthz", body, 0x7F000002), 200);
  EXPECT_THROW(
      HttpServer(
          "256.0.0.1:0", [&metrics] { return metrics.collect(); }, [] { return kafka::Health{}; }),
      std::runtime_error);
}

}  // namespace wirefeed::ops
