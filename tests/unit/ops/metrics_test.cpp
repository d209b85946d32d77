#include "wirefeed/ops/metrics.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

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
  m.on_statistics("not json");  // ignored, no crash
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
