#include "wirefeed/ops/stage_histograms.h"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>

namespace wirefeed::ops {

TEST(StageHistograms, buckets_are_cumulative_with_an_infinite_last_bucket) {
  StageHistograms h("t_seconds", "help", {"decode", "encode"}, {0.001, 0.01, 0.1});
  h.observe(0, 0.0005);
  h.observe(0, 0.001);  // on the bound: counts in that bucket (le="0.001")
  h.observe(0, 0.05);
  h.observe(0, 5.0);
  h.observe(1, 0.002);
  h.observe(7, 1.0);  // unknown stage: ignored
  auto family = h.collect();
  EXPECT_EQ(family.name, "t_seconds");
  EXPECT_EQ(family.type, prometheus::MetricType::Histogram);
  ASSERT_EQ(family.metric.size(), 2u);
  const auto& decode = family.metric[0].histogram;
  ASSERT_EQ(decode.bucket.size(), 4u);
  EXPECT_EQ(decode.bucket[0].cumulative_count, 2u);
  EXPECT_EQ(decode.bucket[1].cumulative_count, 2u);
  EXPECT_EQ(decode.bucket[2].cumulative_count, 3u);
  EXPECT_EQ(decode.bucket[3].cumulative_count, 4u);
  EXPECT_TRUE(std::isinf(decode.bucket[3].upper_bound));
  EXPECT_EQ(decode.sample_count, 4u);
  EXPECT_NEAR(decode.sample_sum, 5.0515, 1e-12);
  EXPECT_EQ(family.metric[1].label[0].value, "encode");
  EXPECT_EQ(h.totals(1).count, 1u);
}

TEST(StageHistograms, observations_from_many_threads_all_count) {
  StageHistograms h("t_seconds", "help", {"s"}, {1.0});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100000; ++i) h.observe(0, 0.5);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(h.totals(0).count, 400000u);
  EXPECT_NEAR(h.totals(0).sum, 200000.0, 1e-6);
}

TEST(StageHistograms, instances_do_not_share_shards) {
  auto a = std::make_unique<StageHistograms>("a", "h", std::vector<std::string>{"s"},
                                             std::vector<double>{1.0});
  a->observe(0, 0.1);
  a.reset();
  StageHistograms b("b", "h", {"s"}, {1.0});
  b.observe(0, 0.1);
  EXPECT_EQ(b.totals(0).count, 1u);
}

}  // namespace wirefeed::ops
