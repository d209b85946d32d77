#include "wirefeed/ops/metrics.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <chrono>

namespace wirefeed::ops {

namespace {
inline std::string exposition(const Metrics& m) {
  return prometheus::TextSerializer().Serialize(m.collect());
}
}  // namespace

TEST(Metrics, names_follow_the_house_convention) {
  Metrics m("raw", "enriched", "dlq");
  m.bind_stages({"decode", "encode"});
  std::string text = exposition(m);
  for (const char* name : {"wirefeed_consumer_records_total", "wirefeed_producer_records_total",
                           "wirefeed_dlq_records_total", "wirefeed_stage_duration_seconds_bucket",
                           "wirefeed_pipeline_in_flight_records",
                           "wirefeed_consumer_rebalances_total", "wirefeed_build_info"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name;
  }
}

TEST(Metrics, counts_stage_timings_errors_and_dlq_reasons) {
  Metrics m("raw", "enriched", "dlq");
  m.bind_stages({"decode", "encode"});
  m.on_stage(0, 0.001, core::Status());
  m.on_stage(0, 0.003, core::Status(core::Code::kMalformedJson, "x"));
  m.on_dlq("malformed_json");
  m.on_dlq("malformed_json");
  m.on_dlq("empty_message");
  auto timings = m.stage_timings();
  ASSERT_EQ(timings.size(), 2u);
  EXPECT_EQ(timings[0].count, 2u);
  EXPECT_NEAR(timings[0].seconds, 0.004, 1e-9);
  EXPECT_EQ(timings[0].errors, 1u);
  EXPECT_EQ(m.dlq_by_reason().at("malformed_json"), 2u);
  EXPECT_NE(
      exposition(m).find(R"(wirefeed_dlq_records_total{reason="empty_message",topic="dlq"} 1)"),
      std::string::npos);
}

TEST(Metrics, consumer_lag_comes_from_librdkafka_statistics) {
  Metrics m("raw", "enriched", "dlq");
  m.on_statistics(R"({"name":"c","topics":{"raw":{"partitions":{
      "0":{"partition":0,"consumer_lag":12},
      "1":{"partition":1,"consumer_lag":-1},
      "-1":{"partition":-1,"consumer_lag":5}}}}})");
  std::string text = exposition(m);
  EXPECT_NE(text.find(R"(wirefeed_consumer_lag_messages{partition="0",topic="raw"} 12)"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find(R"(partition="1")"), std::string::npos);   // unknown lag
  EXPECT_EQ(text.find(R"(partition="-1")"), std::string::npos);  // internal partition
  m.on_revoked(0);
  EXPECT_EQ(exposition(m).find(R"(partition="0")"), std::string::npos);
}

TEST(Metrics, statistics_that_do_not_parse_leave_every_gauge_as_it_was) {
  Metrics m("raw", "enriched", "dlq");
  m.on_statistics(R"({"name":"c","topics":{"raw":{"partitions":{
      "3":{"partition":3,"consumer_lag":7}}}}})");
  // Only the lag series: process_* figures (memory, fds) move on their own.
  auto lag_series = [&m] {
    std::string lines, text = exposition(m);
    for (std::size_t at = text.find("\nwirefeed_consumer_lag_messages{"); at != std::string::npos;
         at = text.find("\nwirefeed_consumer_lag_messages{", at + 1))
      lines += text.substr(at + 1, text.find('\n', at + 1) - at);
    return lines;
  };
  const std::string before = lag_series();
  ASSERT_EQ(before, "wirefeed_consumer_lag_messages{partition=\"3\",topic=\"raw\"} 7\n");
  for (const char* bad : {"not json", "", R"({"topics":{"raw":{"partitions":{"3":)",
                          R"({"topics":[1,2]})", R"({"topics":{"raw":{"partitions":7}}})"}) {
    m.on_statistics(bad);
    EXPECT_EQ(lag_series(), before) << "after: " << bad;
  }
}

}  // namespace wirefeed::ops

namespace wirefeed::ops {

TEST(Metrics, replay_progress_gauges) {
  Metrics m("raw", "enriched", "dlq");
  EXPECT_EQ(exposition(m).find("wirefeed_replay_"), std::string::npos);  // only when replaying
  m.set_replay_progress("backfill-nov", 250, 0.75);
  std::string text = exposition(m);
  EXPECT_NE(
      text.find(R"(wirefeed_replay_records_remaining{replay="backfill-nov",topic="raw"} 250)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(wirefeed_replay_progress_ratio{replay="backfill-nov",topic="raw"} 0.75)"),
            std::string::npos);
}

}  // namespace wirefeed::ops

namespace wirefeed::ops {

namespace {
// The value of the first exposition line that starts with `prefix`, or -1.
double value_of(const std::string& text, const std::string& prefix) {
  auto at = text.find("\n" + prefix);
  if (at == std::string::npos) return -1;
  auto line_end = text.find('\n', at + 1);
  auto space = text.rfind(' ', line_end);
  return std::stod(text.substr(space + 1, line_end - space - 1));
}
}  // namespace

TEST(Metrics, latency_and_freshness_histograms_observe_emitted_records) {
  Metrics m("raw", "enriched", "dlq");
  const std::int64_t now = 1'700'000'000'000;
  m.on_emitted(0, now - 250, now - 3'600'000, now);  // 0.25 s after input, 1 h after publication
  m.on_emitted(0, now + 5'000, std::nullopt, now);   // a producer clock ahead of ours: 0 s
  m.on_emitted(1, -1, now - 60'000, now);            // no input timestamp: freshness only
  std::string text = exposition(m);
  EXPECT_EQ(value_of(text, R"(wirefeed_record_latency_seconds_count{topic="raw"})"), 2) << text;
  EXPECT_DOUBLE_EQ(value_of(text, R"(wirefeed_record_latency_seconds_sum{topic="raw"})"), 0.25);
  EXPECT_EQ(value_of(text, R"(wirefeed_record_latency_seconds_bucket{topic="raw",le="0.005"})"), 1);
  EXPECT_EQ(value_of(text, R"(wirefeed_freshness_seconds_count{topic="raw"})"), 2);
  EXPECT_DOUBLE_EQ(value_of(text, R"(wirefeed_freshness_seconds_sum{topic="raw"})"), 3660);
}

TEST(Metrics, lag_in_seconds_is_the_age_of_the_newest_emitted_record_while_behind) {
  Metrics m("raw", "enriched", "dlq");
  auto wall_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  // Partition 0 emitted a record written 2 minutes ago and is behind; partition
  // 1 is caught up; partition 2 is behind but has emitted nothing (unknown).
  m.on_emitted(0, wall_ms() - 120'000, std::nullopt, wall_ms());
  m.on_emitted(1, wall_ms() - 120'000, std::nullopt, wall_ms());
  m.on_statistics(R"({"topics":{"raw":{"partitions":{
      "0":{"consumer_lag":40},"1":{"consumer_lag":0},"2":{"consumer_lag":7}}}}})");
  std::string text = exposition(m);
  double behind = value_of(text, R"(wirefeed_consumer_lag_seconds{partition="0",topic="raw"})");
  EXPECT_GE(behind, 120);
  EXPECT_LT(behind, 180);
  EXPECT_EQ(value_of(text, R"(wirefeed_consumer_lag_seconds{partition="1",topic="raw"})"), 0);
  EXPECT_EQ(text.find(R"(wirefeed_consumer_lag_seconds{partition="2")"), std::string::npos);
  m.on_revoked(0);
  EXPECT_EQ(exposition(m).find(R"(wirefeed_consumer_lag_seconds{partition="0")"),
            std::string::npos);
}

TEST(Metrics, process_metrics_describe_this_process) {
  Metrics m("raw", "enriched", "dlq");
  std::string text = exposition(m);
  EXPECT_GT(value_of(text, "process_resident_memory_bytes"), 1'000'000) << text;
  EXPECT_GE(value_of(text, "process_cpu_seconds_total"), 0);
  EXPECT_GE(value_of(text, "process_open_fds"), 3);  // stdin, stdout, stderr at least
  double started = value_of(text, "process_start_time_seconds");
  double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_LE(started, now + 1);
  EXPECT_GT(started, now - 3600);  // a test binary started within the hour
}

}  // namespace wirefeed::ops

namespace wirefeed::ops {

TEST(Metrics, transactions_by_outcome_and_time_in_commit_appear_with_the_first_transaction) {
  Metrics m("raw", "enriched", "dlq");
  EXPECT_EQ(exposition(m).find("wirefeed_producer_transaction"), std::string::npos);
  m.on_transaction("committed", 0.004);
  m.on_transaction("committed", 0.02);
  m.on_transaction("aborted", 1.5);
  std::string text = exposition(m);
  EXPECT_NE(
      text.find(R"(wirefeed_producer_transactions_total{outcome="committed",topic="enriched"} 2)"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(R"(wirefeed_producer_transactions_total{outcome="aborted",topic="enriched"} 1)"),
      std::string::npos);
  EXPECT_NE(text.find(R"(wirefeed_producer_transaction_commit_seconds_count{topic="enriched"} 3)"),
            std::string::npos);
  EXPECT_NE(
      text.find(
          R"(wirefeed_producer_transaction_commit_seconds_bucket{topic="enriched",le="0.005"} 1)"),
      std::string::npos);
}

TEST(Metrics, dlq_reference_records_are_counted_from_zero) {
  Metrics m("raw", "enriched", "dlq");
  EXPECT_NE(exposition(m).find(R"(wirefeed_dlq_reference_records_total{topic="dlq"} 0)"),
            std::string::npos);
  m.on_dlq_reference();
  EXPECT_NE(exposition(m).find(R"(wirefeed_dlq_reference_records_total{topic="dlq"} 1)"),
            std::string::npos);
}

}  // namespace wirefeed::ops
