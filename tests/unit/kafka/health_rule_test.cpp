#include "wirefeed/kafka/health_rule.h"

#include <gtest/gtest.h>

namespace wirefeed::kafka {
namespace {

using namespace std::chrono_literals;

// A joined, idle worker whose loop turned a moment ago: alive and ready.
HealthSignals healthy() {
  HealthSignals s;
  s.now = 1000s;
  s.last_poll = 1000s - 10ms;
  s.last_progress = 1000s - 10ms;
  s.joined = true;
  return s;
}
const HealthLimits kLimits = HealthLimits::for_worker(30s, 120s);

TEST(HealthRule, a_joined_turning_worker_is_alive_and_ready) {
  const core::Health h = judge_health(healthy(), kLimits);
  EXPECT_TRUE(h.alive);
  EXPECT_TRUE(h.ready);
  EXPECT_EQ(h.reason, "");
}

TEST(HealthRule, the_liveness_window_outlasts_a_shutdown_drain) {
  EXPECT_EQ(HealthLimits::for_worker(5s, 120s).liveness_window, 30s);   // at least 30 s
  EXPECT_EQ(HealthLimits::for_worker(30s, 120s).liveness_window, 40s);  // deadline + 10 s
  HealthSignals s = healthy();
  s.last_poll = s.now - 39s;
  EXPECT_TRUE(judge_health(s, kLimits).alive);
  s.last_poll = s.now - 40s;
  const core::Health h = judge_health(s, kLimits);
  EXPECT_FALSE(h.alive);
  EXPECT_FALSE(h.ready);
  EXPECT_EQ(h.reason, "poll loop stalled");
}

TEST(HealthRule, a_fatal_error_is_not_alive_however_recent_the_poll) {
  HealthSignals s = healthy();
  s.failed = true;
  const core::Health h = judge_health(s, kLimits);
  EXPECT_FALSE(h.alive);
  EXPECT_EQ(h.reason, "fatal error");
}

TEST(HealthRule, alive_but_not_ready_while_stopping_or_before_the_join) {
  HealthSignals s = healthy();
  s.stopping = true;
  core::Health h = judge_health(s, kLimits);
  EXPECT_TRUE(h.alive);
  EXPECT_FALSE(h.ready);
  EXPECT_EQ(h.reason, "stopping");
  s = healthy();
  s.joined = false;
  h = judge_health(s, kLimits);
  EXPECT_TRUE(h.alive);
  EXPECT_FALSE(h.ready);
  EXPECT_EQ(h.reason, "not yet joined the consumer group");
}

TEST(HealthRule, in_flight_records_unacknowledged_past_stuck_after_make_it_unready) {
  HealthSignals s = healthy();
  s.in_flight = 5;
  s.last_progress = s.now - 120s;  // exactly at the limit: still ready
  EXPECT_TRUE(judge_health(s, kLimits).ready);
  s.last_progress = s.now - 120s - 1ns;
  const core::Health h = judge_health(s, kLimits);
  EXPECT_TRUE(h.alive);
  EXPECT_FALSE(h.ready);
  EXPECT_EQ(h.reason, "in-flight records have not been acknowledged for health.stuck_after");
  // Nothing in flight: an old acknowledgement is only an idle input.
  s.in_flight = 0;
  EXPECT_TRUE(judge_health(s, kLimits).ready);
}

}  // namespace
}  // namespace wirefeed::kafka
