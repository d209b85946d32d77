// What the parts of the worker share on its poll thread: the options, the
// observer, the offset tracker, the fatal-error latch and the counters the
// worker reports. One per Worker; the consumer, producer, record router and
// commit policy each hold a reference.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "wirefeed/kafka/handles.h"
#include "wirefeed/kafka/offset_tracker.h"
#include "wirefeed/kafka/worker.h"

namespace wirefeed::kafka {

// Offsets and partitions above these do not fit a delivery ticket.
inline constexpr std::int32_t kMaxPartition = 0x7FFF;
// Budget of each transactional call (init, send offsets, commit, abort) and of
// the reads an abort's rewind makes.
inline constexpr int kTransactionTimeoutMs = 30000;

std::int64_t steady_now_ns();

// Sends a client's librdkafka log lines to wirefeed's log, at the matching level.
void forward_client_logs(rd_kafka_conf_t* conf);

struct WorkerState {
  WorkerState(const WorkerOptions& worker_options, WorkerObserver* worker_observer)
      : options(worker_options), observer(worker_observer) {}

  // Stops the worker: nothing is stored or committed past this point, and the
  // run loop ends at its next turn. The first message is logged.
  void fail(std::string message);
  void add_in_flight(std::int64_t delta);
  void kafka_error(const char* name) const {
    if (observer) observer->on_kafka_error(name);
  }
  // The error callback of both clients: a fatal error stops the worker, any
  // other is logged (librdkafka recovers from those by itself).
  void on_client_error(rd_kafka_t* rk, rd_kafka_resp_err_t err, const char* reason);

  const WorkerOptions& options;
  WorkerObserver* const observer;
  OffsetTracker tracker;  // dispatched and acknowledged input offsets

  bool fatal = false;  // poll thread only; `failed` is its copy for health()
  std::atomic<bool> failed{false};
  std::atomic<bool> joined{false};  // partitions assigned (group) or replay ranges taken
  std::atomic<std::uint64_t> in_flight{0};
  std::atomic<std::uint64_t> consumed{0}, produced{0}, dlq{0};
  std::atomic<std::uint64_t> txn_committed{0}, txn_aborted{0};
  std::atomic<std::uint64_t> backpressure_pauses{0};
  std::atomic<std::int64_t> last_progress_ns{0};  // a delivery report, or nothing in flight
};

// A delivery report names its input record by an opaque pointer-sized value:
// partition (15 bits) and offset (48 bits), so no allocation per message.
inline constexpr int kTicketOffsetBits = 48;
inline void* make_ticket(std::int32_t partition, std::int64_t offset) {
  constexpr std::uint64_t mask = (std::uint64_t{1} << kTicketOffsetBits) - 1;
  return reinterpret_cast<void*>((static_cast<std::uint64_t>(partition) << kTicketOffsetBits) |
                                 (static_cast<std::uint64_t>(offset) & mask));
}
inline std::int32_t ticket_partition(void* t) {
  return static_cast<std::int32_t>(reinterpret_cast<std::uint64_t>(t) >> kTicketOffsetBits);
}
inline std::int64_t ticket_offset(void* t) {
  constexpr std::uint64_t mask = (std::uint64_t{1} << kTicketOffsetBits) - 1;
  return static_cast<std::int64_t>(reinterpret_cast<std::uint64_t>(t) & mask);
}

}  // namespace wirefeed::kafka
