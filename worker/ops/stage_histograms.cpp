#include "wirefeed/ops/stage_histograms.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace wirefeed::ops {

namespace {

std::atomic<std::uint64_t> g_next_id{1};

// The shard each thread last used, per instance id. Instances are few (one per
// process in production), so a tiny vector beats a hash map.
struct ThreadCache {
  std::vector<std::pair<std::uint64_t, void*>> entries;
};
thread_local ThreadCache t_cache;

}  // namespace

StageHistograms::StageHistograms(std::string name, std::string help,
                                 std::vector<std::string> stages, std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      stages_(std::move(stages)),
      bounds_(std::move(bounds)),
      id_(g_next_id.fetch_add(1)) {
  if (bounds_.size() > kMaxBuckets) throw std::invalid_argument("too many histogram buckets");
  if (!std::is_sorted(bounds_.begin(), bounds_.end())) {
    throw std::invalid_argument("histogram bounds must be sorted");
  }
}

StageHistograms::~StageHistograms() {
  // Drop this instance from the calling thread's cache; other threads' caches
  // only hold ids, and ids are never reused.
  auto& e = t_cache.entries;
  e.erase(std::remove_if(e.begin(), e.end(), [&](const auto& p) { return p.first == id_; }),
          e.end());
}

StageHistograms::Shard& StageHistograms::shard() {
  for (const auto& [id, shard] : t_cache.entries) {
    if (id == id_) return *static_cast<Shard*>(shard);
  }
  std::lock_guard lock(mu_);
  shards_.push_back(std::make_unique<Shard>(stages_.size()));
  Shard* s = shards_.back().get();
  t_cache.entries.emplace_back(id_, s);
  return *s;
}

void StageHistograms::observe(std::size_t stage, double seconds) {
  if (stage >= stages_.size()) return;
  Cell& cell = shard().cells[stage];
  std::size_t b = static_cast<std::size_t>(
      std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin());
  // One writer per shard: a relaxed load and store, no read-modify-write.
  auto& bucket = cell.buckets[b];
  bucket.store(bucket.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  cell.sum.store(cell.sum.load(std::memory_order_relaxed) + seconds, std::memory_order_relaxed);
}

StageHistograms::Totals StageHistograms::totals(std::size_t stage) const {
  Totals t;
  std::lock_guard lock(mu_);
  for (const auto& s : shards_) {
    const Cell& c = s->cells[stage];
    for (std::size_t b = 0; b <= bounds_.size(); ++b)
      t.count += c.buckets[b].load(std::memory_order_relaxed);
    t.sum += c.sum.load(std::memory_order_relaxed);
  }
  return t;
}

prometheus::MetricFamily StageHistograms::collect() const {
  prometheus::MetricFamily family;
  family.name = name_;
  family.help = help_;
  family.type = prometheus::MetricType::Histogram;
  std::lock_guard lock(mu_);
  for (std::size_t i = 0; i < stages_.size(); ++i) {
    std::vector<std::uint64_t> counts(bounds_.size() + 1, 0);
    double sum = 0;
    for (const auto& s : shards_) {
      const Cell& c = s->cells[i];
      for (std::size_t b = 0; b <= bounds_.size(); ++b)
        counts[b] += c.buckets[b].load(std::memory_order_relaxed);
      sum += c.sum.load(std::memory_order_relaxed);
    }
    prometheus::ClientMetric metric;
    metric.label.push_back({"stage", stages_[i]});
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= bounds_.size(); ++b) {
      cumulative += counts[b];
      prometheus::ClientMetric::Bucket bucket;
      bucket.cumulative_count = cumulative;
      bucket.upper_bound =
          b < bounds_.size() ? bounds_[b] : std::numeric_limits<double>::infinity();
      metric.histogram.bucket.push_back(bucket);
    }
    metric.histogram.sample_count = cumulative;
    metric.histogram.sample_sum = sum;
    family.metric.push_back(std::move(metric));
  }
  return family;
}

}  // namespace wirefeed::ops
