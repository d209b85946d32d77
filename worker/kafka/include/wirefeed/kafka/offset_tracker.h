// The contiguous-done watermark per partition (at-least-once commits).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>

namespace wirefeed::kafka {

// Tracks, per partition, the offsets consumed and not yet acknowledged (their
// output or DLQ record delivered). ack() returns the offset to store -- the first
// offset not yet done -- only when it advances, so an out-of-order delivery never
// lets a commit pass a record that is still in flight.
//
// Offsets must be dispatched in increasing order per partition (the consumer
// delivers them so); gaps (compaction, transaction markers) are fine. Not
// thread-safe: the worker's poll thread owns it.
class OffsetTracker {
 public:
  void assign(std::int32_t partition);
  // Forgets a revoked partition; later acks for it are ignored.
  void revoke(std::int32_t partition);
  bool assigned(std::int32_t partition) const { return partitions_.contains(partition); }

  // Records a consumed offset. Returns false if the partition is not assigned or
  // the offset does not increase.
  bool dispatch(std::int32_t partition, std::int64_t offset);

  // Marks an offset done. Returns the new commit position (the next offset to
  // consume) if the contiguous watermark advanced.
  std::optional<std::int64_t> ack(std::int32_t partition, std::int64_t offset);

  // Offsets dispatched and not yet done, over all partitions.
  std::size_t pending() const;
  std::size_t pending(std::int32_t partition) const;

 private:
  struct Entry {
    std::int64_t offset;
    bool done;
  };
  std::map<std::int32_t, std::deque<Entry>> partitions_;
};

}  // namespace wirefeed::kafka
