// What the worker's /healthz and /readyz report, as a pure function of what the
// run loop records: times are passed in, so the rule is unit-tested without a
// broker (the worker reads its atomics and the clock and asks this).
#pragma once

#include <chrono>
#include <cstddef>

#include "wirefeed/core/worker_observer.h"

namespace wirefeed::kafka {

struct HealthSignals {
  using Duration = std::chrono::nanoseconds;
  Duration now{};            // steady clock, the same epoch as the two below
  Duration last_poll{};      // when the poll loop last turned
  Duration last_progress{};  // when an in-flight record was last acknowledged
  bool failed = false;       // the fatal latch is set
  bool stopping = false;     // shutdown has begun
  bool joined = false;       // the group has assigned partitions (or replay started)
  std::size_t in_flight = 0;
};

struct HealthLimits {
  // A loop that has not turned for this long is not alive: at least 30 s, and
  // longer than a shutdown's drain (which does not turn it).
  std::chrono::nanoseconds liveness_window;
  // In-flight records unacknowledged for this long make the worker unready
  // (health.stuck_after): the output side is stuck, not just slow.
  std::chrono::nanoseconds stuck_after;

  static HealthLimits for_worker(std::chrono::milliseconds shutdown_deadline,
                                 std::chrono::milliseconds stuck_after);
};

// Alive unless failed or stalled; ready when alive, not stopping, joined, and
// not stuck; `reason` says why not.
core::Health judge_health(const HealthSignals& s, const HealthLimits& limits);

}  // namespace wirefeed::kafka
