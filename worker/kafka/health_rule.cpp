#include "wirefeed/kafka/health_rule.h"

#include <algorithm>

namespace wirefeed::kafka {

HealthLimits HealthLimits::for_worker(std::chrono::milliseconds shutdown_deadline,
                                      std::chrono::milliseconds stuck_after) {
  return {std::max<std::chrono::nanoseconds>(std::chrono::seconds(30),
                                             shutdown_deadline + std::chrono::seconds(10)),
          stuck_after};
}

core::Health judge_health(const HealthSignals& s, const HealthLimits& limits) {
  core::Health h;
  h.alive = !s.failed && s.now - s.last_poll < limits.liveness_window;
  if (!h.alive) {
    h.reason = s.failed ? "fatal error" : "poll loop stalled";
  } else if (s.stopping) {
    h.reason = "stopping";
  } else if (!s.joined) {
    h.reason = "not yet joined the consumer group";
  } else if (s.in_flight > 0 && s.now - s.last_progress > limits.stuck_after) {
    h.reason = "in-flight records have not been acknowledged for health.stuck_after";
  } else {
    h.ready = true;
  }
  return h;
}

}  // namespace wirefeed::kafka
