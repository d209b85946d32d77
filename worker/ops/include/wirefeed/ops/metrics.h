// Prometheus metrics of the worker and the pipeline (DESIGN.md section 5).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "wirefeed/core/pipeline.h"
#include "wirefeed/core/worker_observer.h"
#include "wirefeed/ops/stage_histograms.h"

namespace wirefeed::ops {

struct StageTiming {
  std::string stage;
  std::uint64_t count = 0;
  double seconds = 0;
  std::uint64_t errors = 0;
};

// Registers every metric at construction and keeps references for the hot path.
// Thread-safe: pipeline threads call on_stage() concurrently; the poll thread
// calls the WorkerObserver hooks. Labels are bounded: topic, partition, stage,
// reason, error code.
class Metrics final : public core::PipelineObserver, public core::WorkerObserver {
 public:
  Metrics(std::string input_topic, std::string output_topic, std::string dlq_topic);

  // Creates the per-stage series. Call once, before the pipeline runs.
  void bind_stages(const std::vector<std::string_view>& stage_names);

  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }
  // Every metric family, for the /metrics endpoint: the registry's and the
  // per-thread stage histograms'. Thread-safe.
  std::vector<prometheus::MetricFamily> collect() const;
  std::vector<StageTiming> stage_timings() const;

  // Replay progress (wirefeed replay): records left and the done ratio.
  void set_replay_progress(const std::string& replay, std::int64_t remaining, double ratio);
  std::map<std::string, std::uint64_t> dlq_by_reason() const;

  // core::PipelineObserver
  void on_stage(std::size_t stage_index, double seconds, const core::Status& status) override;

  // core::WorkerObserver
  void on_consumed(std::int32_t partition, std::size_t bytes) override;
  void on_produced() override;
  void on_emitted(std::int32_t partition, std::int64_t input_timestamp_ms,
                  std::optional<std::int64_t> published_at_ms, std::int64_t now_ms) override;
  void on_dlq(std::string_view reason) override;
  void on_dlq_reference() override;
  void on_transaction(std::string_view outcome, double seconds) override;
  void on_in_flight(std::size_t in_flight) override;
  void on_rebalance(std::string_view kind, std::size_t partitions) override;
  void on_kafka_error(std::string_view code) override;
  void on_statistics(std::string_view json) override;
  void on_revoked(std::int32_t partition) override;

 private:
  std::string input_topic_, output_topic_, dlq_topic_;
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& consumed_family_;
  prometheus::Family<prometheus::Counter>& consumed_bytes_family_;
  prometheus::Family<prometheus::Counter>& produced_family_;
  prometheus::Family<prometheus::Counter>& dlq_family_;
  prometheus::Family<prometheus::Counter>& stage_errors_family_;
  prometheus::Family<prometheus::Counter>& rebalances_family_;
  prometheus::Family<prometheus::Counter>& kafka_errors_family_;
  prometheus::Family<prometheus::Gauge>& lag_family_;
  prometheus::Family<prometheus::Gauge>& lag_seconds_family_;
  prometheus::Counter& consumed_;
  prometheus::Counter& consumed_bytes_;
  prometheus::Counter& produced_;
  prometheus::Counter& dlq_references_;
  prometheus::Gauge& in_flight_;
  prometheus::Gauge& assigned_;
  prometheus::Histogram& record_latency_;
  prometheus::Histogram& freshness_;
  std::unique_ptr<StageHistograms> stage_seconds_;
  std::vector<prometheus::Counter*> stage_errors_;
  std::vector<std::string> stage_names_;

  mutable std::mutex mu_;  // guards the lazily created, bounded label sets below
  std::map<std::string, prometheus::Counter*, std::less<>> dlq_;
  std::map<std::string, prometheus::Counter*, std::less<>> kafka_errors_;
  std::map<std::int32_t, prometheus::Gauge*> lag_;
  std::map<std::int32_t, prometheus::Gauge*> lag_seconds_;
  // Kafka timestamp (ms) of the newest record emitted per partition: with the
  // lag in messages, how far behind the worker is in time.
  std::map<std::int32_t, std::int64_t> last_emitted_timestamp_ms_;
  // Exactly-once mode, created by the first transaction (workers that never
  // run one export none).
  std::map<std::string, prometheus::Counter*, std::less<>> transactions_;
  prometheus::Histogram* transaction_seconds_ = nullptr;
  prometheus::Family<prometheus::Gauge>* replay_remaining_family_ = nullptr;
  prometheus::Family<prometheus::Gauge>* replay_ratio_family_ = nullptr;
};

}  // namespace wirefeed::ops
