#include "wirefeed/kafka/in_flight_gate.h"

#include <gtest/gtest.h>

namespace wirefeed::kafka {
namespace {

using namespace std::chrono_literals;
using Clock = InFlightGate::Clock;

TEST(InFlightGate, room_is_a_batch_at_most_and_never_past_the_bound) {
  InFlightGate gate(100, 32);
  const auto t = Clock::time_point{} + 1h;
  EXPECT_EQ(gate.update(0, false, t).room, 32u);
  EXPECT_EQ(gate.update(80, false, t).room, 20u);
  EXPECT_EQ(gate.update(99, false, t).room, 1u);
  EXPECT_EQ(gate.update(100, false, t).room, 0u);
  EXPECT_EQ(gate.update(140, false, t).room, 0u);  // past it (a rewind): still none
}

TEST(InFlightGate, pauses_only_after_a_second_at_the_bound) {
  InFlightGate gate(10, 4);
  const auto t0 = Clock::time_point{} + 1h;
  EXPECT_FALSE(gate.update(10, false, t0).pause);
  EXPECT_FALSE(gate.update(10, false, t0 + 999ms).pause);
  EXPECT_TRUE(gate.update(10, false, t0 + 1000ms).pause);
  // Already paused: no second pause.
  EXPECT_FALSE(gate.update(10, true, t0 + 1500ms).pause);
}

TEST(InFlightGate, a_brief_full_window_resets_the_pause_clock) {
  InFlightGate gate(10, 4);
  const auto t0 = Clock::time_point{} + 1h;
  gate.update(10, false, t0);
  gate.update(9, false, t0 + 600ms);  // one acknowledgement: below the bound
  EXPECT_FALSE(gate.update(10, false, t0 + 700ms).pause);
  EXPECT_FALSE(gate.update(10, false, t0 + 1600ms).pause);  // 0.9 s at the bound
  EXPECT_TRUE(gate.update(10, false, t0 + 1700ms).pause);
}

TEST(InFlightGate, resumes_at_half_the_bound_and_not_before) {
  InFlightGate gate(10, 4);
  const auto t = Clock::time_point{} + 1h;
  EXPECT_FALSE(gate.update(6, true, t).resume);
  EXPECT_EQ(gate.update(6, true, t).room, 4u);  // paused partitions fetch nothing anyway
  EXPECT_TRUE(gate.update(5, true, t).resume);
  EXPECT_FALSE(gate.update(5, false, t).resume);  // not paused: nothing to resume
}

TEST(InFlightGate, the_pause_delay_is_configurable) {
  InFlightGate gate(2, 2, 0ms);
  EXPECT_TRUE(gate.update(2, false, Clock::time_point{} + 1h).pause);
}

}  // namespace
}  // namespace wirefeed::kafka
