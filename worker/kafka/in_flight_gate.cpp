#include "wirefeed/kafka/in_flight_gate.h"

#include <algorithm>

namespace wirefeed::kafka {

InFlightGate::InFlightGate(std::size_t bound, std::size_t batch_size, Clock::duration pause_after)
    : bound_(bound), batch_size_(batch_size), pause_after_(pause_after) {}

InFlightGate::Decision InFlightGate::update(std::size_t in_flight, bool paused,
                                            Clock::time_point now) {
  Decision d;
  if (in_flight >= bound_) {
    if (!at_bound_since_) at_bound_since_ = now;
    d.pause = !paused && now - *at_bound_since_ >= pause_after_;
    return d;  // room stays 0: the bound is strict
  }
  at_bound_since_.reset();
  d.resume = paused && in_flight <= bound_ / 2;
  d.room = std::min(batch_size_, bound_ - in_flight);
  return d;
}

}  // namespace wirefeed::kafka
