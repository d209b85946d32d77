// The in-flight bound, as a value the run loop asks each turn: how many records
// it may take now, and whether to pause or resume the assigned partitions.
// Time is passed in, so the rule is unit-tested with an injected clock.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

namespace wirefeed::kafka {

class InFlightGate {
 public:
  using Clock = std::chrono::steady_clock;

  struct Decision {
    std::size_t room = 0;  // records the loop may poll now (0 at the bound)
    bool pause = false;    // pause the assigned partitions now
    bool resume = false;   // resume them now
  };

  // `bound`: records polled and not yet acknowledged, at most (max_in_flight).
  // `batch_size`: the most records one poll takes. `pause_after`: how long the
  // loop may sit at the bound before it pauses the partitions.
  InFlightGate(std::size_t bound, std::size_t batch_size,
               Clock::duration pause_after = std::chrono::seconds(1));

  // Backpressure in two steps. At the bound the loop takes no more records (the
  // bound is strict) and waits for acknowledgements. Only if that lasts
  // `pause_after` (the output side is really stalled) does it pause, which stops
  // librdkafka's prefetch and lets the loop serve the group meanwhile; pausing
  // at once made every brief full window cost a purge and a re-fetch (17k
  // records/s instead of the broker's pace on the end-to-end benchmark). Paused,
  // it resumes once in-flight work is down to half the bound.
  // `paused`: whether the partitions are paused now (the caller applies the
  // decision and may fail to, so it says what holds).
  Decision update(std::size_t in_flight, bool paused, Clock::time_point now);

 private:
  std::size_t bound_;
  std::size_t batch_size_;
  Clock::duration pause_after_;
  std::optional<Clock::time_point> at_bound_since_;
};

}  // namespace wirefeed::kafka
