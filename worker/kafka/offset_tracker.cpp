#include "wirefeed/kafka/offset_tracker.h"

#include <algorithm>

namespace wirefeed::kafka {

void OffsetTracker::assign(std::int32_t partition) { partitions_[partition].clear(); }

void OffsetTracker::revoke(std::int32_t partition) { partitions_.erase(partition); }

bool OffsetTracker::dispatch(std::int32_t partition, std::int64_t offset) {
  auto it = partitions_.find(partition);
  if (it == partitions_.end()) return false;
  auto& entries = it->second;
  if (!entries.empty() && entries.back().offset >= offset) return false;
  entries.push_back({offset, false});
  return true;
}

std::optional<std::int64_t> OffsetTracker::ack(std::int32_t partition, std::int64_t offset) {
  auto it = partitions_.find(partition);
  if (it == partitions_.end()) return std::nullopt;
  auto& entries = it->second;
  auto pos = std::lower_bound(entries.begin(), entries.end(), offset,
                              [](const Entry& e, std::int64_t o) { return e.offset < o; });
  if (pos == entries.end() || pos->offset != offset) return std::nullopt;
  pos->done = true;
  std::optional<std::int64_t> commit;
  while (!entries.empty() && entries.front().done) {
    commit = entries.front().offset + 1;
    entries.pop_front();
  }
  return commit;
}

std::size_t OffsetTracker::pending() const {
  std::size_t n = 0;
  for (const auto& [p, entries] : partitions_) n += entries.size();
  return n;
}

std::size_t OffsetTracker::pending(std::int32_t partition) const {
  auto it = partitions_.find(partition);
  return it == partitions_.end() ? 0 : it->second.size();
}

}  // namespace wirefeed::kafka
