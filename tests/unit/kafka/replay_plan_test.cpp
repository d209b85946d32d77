#include "wirefeed/kafka/replay_plan.h"

#include <gtest/gtest.h>

namespace wirefeed::kafka {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::chrono::system_clock::time_point at_ms(std::int64_t ms) {
  return std::chrono::system_clock::time_point(milliseconds(ms));
}

// A log held in memory: per partition, (offset, timestamp) records in order. The
// planner's logic is tested against it; the Kafka-backed source is exercised by
// the integration tests on the embedded cluster.
struct MemoryLog {
  std::map<std::int32_t, std::vector<std::pair<std::int64_t, std::int64_t>>> records;
  std::map<std::int32_t, std::int64_t> broker_answers;  // offsets-for-times, else -1
  std::map<std::int32_t, std::pair<std::int64_t, std::int64_t>> checkpoints;
  int fetches = 0;

  PlanSource source() {
    PlanSource s;
    s.partitions = [this] {
      std::vector<std::int32_t> out;
      for (const auto& [p, r] : records) out.push_back(p);
      return out;
    };
    s.watermarks = [this](std::int32_t p) {
      const auto& r = records.at(p);
      if (r.empty()) return std::make_pair<std::int64_t, std::int64_t>(0, 0);
      return std::make_pair(r.front().first, r.back().first + 1);
    };
    s.offset_for_time = [this](std::int32_t p, std::int64_t) -> std::int64_t {
      auto it = broker_answers.find(p);
      return it == broker_answers.end() ? -1 : it->second;
    };
    s.record_at = [this](
                      std::int32_t p,
                      std::int64_t offset) -> std::optional<std::pair<std::int64_t, std::int64_t>> {
      ++fetches;
      for (const auto& rec : records.at(p)) {
        if (rec.first >= offset) return rec;
      }
      return std::nullopt;
    };
    s.checkpoints = [this] { return checkpoints; };
    return s;
  }
};

// 1000 records at offsets 0..999 with timestamps 1000 + 10*offset.
MemoryLog linear_log(int partitions = 1) {
  MemoryLog log;
  for (int p = 0; p < partitions; ++p) {
    for (std::int64_t o = 0; o < 1000; ++o) log.records[p].push_back({o, 1000 + 10 * o});
  }
  return log;
}

}  // namespace

TEST(ParsePosition, accepts_every_documented_form) {
  auto now = at_ms(1'000'000'000);
  EXPECT_EQ(parse_position("beginning", now).kind, PositionSpec::Kind::kBeginning);
  EXPECT_EQ(parse_position("end", now).kind, PositionSpec::Kind::kEnd);
  auto ts = parse_position("2021-12-29T12:30:00Z", now);
  EXPECT_EQ(ts.kind, PositionSpec::Kind::kTimestamp);
  EXPECT_EQ(ts.timestamp_ms, 1640781000000);
  EXPECT_EQ(parse_position("2021-12-29T14:30:00.250+02:00", now).timestamp_ms, 1640781000250);
  EXPECT_EQ(parse_position("2021-12-29", now).timestamp_ms, 1640736000000);
  EXPECT_EQ(parse_position("6h", now).timestamp_ms, 1'000'000'000 - 6 * 3'600'000);
  EXPECT_EQ(parse_position("7d", now).timestamp_ms, 1'000'000'000 - 7 * 86'400'000LL);
  EXPECT_EQ(parse_position("90s", now).timestamp_ms, 1'000'000'000 - 90'000);
  auto offsets = parse_position("0:1200,3:88", now);
  EXPECT_EQ(offsets.kind, PositionSpec::Kind::kOffsets);
  EXPECT_EQ(offsets.offsets, (std::map<std::int32_t, std::int64_t>{{0, 1200}, {3, 88}}));
}

TEST(ParsePosition, rejects_what_it_cannot_read_with_one_line) {
  auto now = at_ms(0);
  for (const char* bad : {"yesterday", "2021-13-01", "2021-12-29T25:00:00Z", "2021-12-29T12:00:00",
                          "0:", ":5", "0:-1", "6y", ""}) {
    try {
      parse_position(bad, now);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
  }
}

TEST(FindOffsetForTime, binary_search_finds_the_first_record_at_or_after_the_time) {
  MemoryLog log = linear_log();
  auto source = log.source();
  int fetches = 0;
  EXPECT_EQ(find_offset_for_time(source, 0, 0, 1000, 1000 + 10 * 417, &fetches), 417);
  EXPECT_LE(fetches, 11);  // log2(1000) rounded up, plus one
  EXPECT_EQ(find_offset_for_time(source, 0, 0, 1000, 1000 + 10 * 417 - 5), 417);  // between records
  EXPECT_EQ(find_offset_for_time(source, 0, 0, 1000, 0), 0);                      // before all
  EXPECT_EQ(find_offset_for_time(source, 0, 0, 1000, 99'999'999), 1000);          // after all
}

TEST(FindOffsetForTime, gaps_in_offsets_are_skipped) {
  MemoryLog log;
  // Offsets 0..99 even only (odd ones compacted away), timestamps = offset.
  for (std::int64_t o = 0; o < 100; o += 2) log.records[0].push_back({o, o});
  auto source = log.source();
  EXPECT_EQ(find_offset_for_time(source, 0, 0, 99, 51), 52);
  EXPECT_EQ(find_offset_for_time(source, 0, 0, 99, 52), 52);
  EXPECT_EQ(find_offset_for_time(source, 0, 0, 99, 99), 99);
}

TEST(MakePlan, uses_the_brokers_offsets_for_times_answer_when_it_has_one) {
  MemoryLog log = linear_log();
  log.broker_answers[0] = 400;
  auto plan = make_plan("t", "n", log.source(), parse_position("2000-01-01T00:00:00Z", at_ms(0)),
                        std::nullopt, {}, false);
  ASSERT_EQ(plan.partitions.size(), 1u);
  EXPECT_EQ(plan.partitions[0].start, 400);
  EXPECT_EQ(log.fetches, 0);  // no search needed
}

TEST(MakePlan, searches_the_log_when_the_broker_answers_minus_one) {
  MemoryLog log = linear_log(2);
  PositionSpec from;
  from.kind = PositionSpec::Kind::kTimestamp;
  from.timestamp_ms = 1000 + 10 * 250;
  PositionSpec to;
  to.kind = PositionSpec::Kind::kTimestamp;
  to.timestamp_ms = 1000 + 10 * 750;
  auto plan = make_plan("t", "n", log.source(), from, to, {}, false);
  ASSERT_EQ(plan.partitions.size(), 2u);
  for (const auto& p : plan.partitions) {
    EXPECT_EQ(p.start, 250);
    EXPECT_EQ(p.end, 750);
    EXPECT_EQ(p.records(), 500);
  }
  EXPECT_GT(log.fetches, 0);
  EXPECT_LE(log.fetches, 2 * 2 * 11);
  EXPECT_EQ(plan.records(), 1000);
}

TEST(MakePlan, default_end_is_the_log_end_at_planning_and_offsets_are_clamped) {
  MemoryLog log = linear_log(3);
  auto plan = make_plan("t", "n", log.source(), parse_position("0:10,2:5000", at_ms(0)),
                        std::nullopt, {}, false);
  EXPECT_EQ(plan.partitions[0].start, 10);
  EXPECT_EQ(plan.partitions[1].start, 0);     // not named: its whole range
  EXPECT_EQ(plan.partitions[2].start, 1000);  // past the end: nothing
  EXPECT_EQ(plan.partitions[2].records(), 0);
  for (const auto& p : plan.partitions) EXPECT_EQ(p.end, 1000);
}

TEST(MakePlan, filters_partitions_and_rejects_unknown_ones) {
  MemoryLog log = linear_log(4);
  auto plan = make_plan("t", "n", log.source(), parse_position("beginning", at_ms(0)), std::nullopt,
                        {3, 1, 3}, false);
  ASSERT_EQ(plan.partitions.size(), 2u);
  EXPECT_EQ(plan.partitions[0].partition, 1);
  EXPECT_EQ(plan.partitions[1].partition, 3);
  EXPECT_THROW(make_plan("t", "n", log.source(), parse_position("beginning", at_ms(0)),
                         std::nullopt, {9}, false),
               std::invalid_argument);
}

TEST(MakePlan, resumes_from_checkpoints_with_the_saved_end_unless_restarted) {
  MemoryLog log = linear_log(2);
  log.checkpoints[0] = {600, 800};  // an interrupted run planned [x, 800)
  auto from = parse_position("beginning", at_ms(0));
  auto plan = make_plan("t", "n", log.source(), from, std::nullopt, {}, false);
  EXPECT_EQ(plan.partitions[0].start, 600);
  EXPECT_EQ(plan.partitions[0].end, 800);
  EXPECT_TRUE(plan.partitions[0].resumed);
  EXPECT_EQ(plan.partitions[1].start, 0);
  EXPECT_FALSE(plan.partitions[1].resumed);
  EXPECT_EQ(plan.records(), 200 + 1000);
  EXPECT_EQ(plan.total(), 800 + 1000);
  auto fresh = make_plan("t", "n", log.source(), from, std::nullopt, {}, true);
  EXPECT_EQ(fresh.partitions[0].start, 0);
  EXPECT_EQ(fresh.partitions[0].end, 1000);
}

TEST(CheckpointMetadata, round_trips_and_ignores_foreign_metadata) {
  EXPECT_EQ(parse_checkpoint_metadata(checkpoint_metadata(12345)), 12345);
  EXPECT_EQ(parse_checkpoint_metadata(""), std::nullopt);
  EXPECT_EQ(parse_checkpoint_metadata("something else"), std::nullopt);
}

TEST(RateLimiter, allows_the_rate_with_a_one_second_burst_under_an_injected_clock) {
  using Clock = RateLimiter::Clock;
  Clock::time_point t0{};
  RateLimiter limiter(100, t0);
  EXPECT_EQ(limiter.acquire(500, t0), 100u);  // the burst
  EXPECT_EQ(limiter.acquire(10, t0), 0u);
  EXPECT_EQ(limiter.wait_time(t0), std::chrono::milliseconds(10));
  EXPECT_EQ(limiter.acquire(10, t0 + milliseconds(50)), 5u);
  limiter.refund(3);
  EXPECT_EQ(limiter.acquire(10, t0 + milliseconds(50)), 3u);
  // Over 10 simulated seconds, at most rate * time + burst records pass.
  std::size_t total = 0;
  for (int ms = 51; ms <= 10'050; ++ms) total += limiter.acquire(1000, t0 + milliseconds(ms));
  EXPECT_EQ(total, 1000u);
  // Idle time refills at most one second's worth.
  EXPECT_EQ(limiter.acquire(1000, t0 + seconds(100)), 100u);
}

TEST(RateLimiter, zero_means_unlimited) {
  RateLimiter limiter(0, {});
  EXPECT_TRUE(limiter.unlimited());
  EXPECT_EQ(limiter.acquire(12345, {}), 12345u);
  EXPECT_EQ(limiter.wait_time({}), std::chrono::nanoseconds(0));
}

}  // namespace wirefeed::kafka
