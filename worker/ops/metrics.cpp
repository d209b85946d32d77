#include "wirefeed/ops/metrics.h"

#include <simdjson.h>

#include "wirefeed/core/version.h"

namespace wirefeed::ops {

namespace {

// Stage latencies run from microseconds (stats) to tens of milliseconds (large
// HTML); buckets cover 1us..1s.
const std::vector<double>& stage_buckets() {
  static const std::vector<double> kBuckets = {1e-6,   2.5e-6, 5e-6, 1e-5,   2.5e-5, 5e-5, 1e-4,
                                               2.5e-4, 5e-4,   1e-3, 2.5e-3, 5e-3,   1e-2, 2.5e-2,
                                               5e-2,   0.1,    0.25, 0.5,    1.0};
  return kBuckets;
}

}  // namespace

Metrics::Metrics(std::string input_topic, std::string output_topic, std::string dlq_topic)
    : input_topic_(std::move(input_topic)),
      output_topic_(std::move(output_topic)),
      dlq_topic_(std::move(dlq_topic)),
      registry_(std::make_shared<prometheus::Registry>()),
      consumed_family_(prometheus::BuildCounter()
                           .Name("wirefeed_consumer_records_total")
                           .Help("Input records polled from Kafka")
                           .Register(*registry_)),
      consumed_bytes_family_(prometheus::BuildCounter()
                                 .Name("wirefeed_consumer_bytes_total")
                                 .Help("Bytes of input record values polled")
                                 .Register(*registry_)),
      produced_family_(prometheus::BuildCounter()
                           .Name("wirefeed_producer_records_total")
                           .Help("Enriched records acknowledged by the output topic")
                           .Register(*registry_)),
      dlq_family_(prometheus::BuildCounter()
                      .Name("wirefeed_dlq_records_total")
                      .Help("Records acknowledged by the dead-letter topic, by reason")
                      .Register(*registry_)),
      stage_errors_family_(prometheus::BuildCounter()
                               .Name("wirefeed_stage_errors_total")
                               .Help("Records a stage failed (they go to the DLQ)")
                               .Register(*registry_)),
      rebalances_family_(prometheus::BuildCounter()
                             .Name("wirefeed_consumer_rebalances_total")
                             .Help("Consumer group rebalance events, by kind")
                             .Register(*registry_)),
      kafka_errors_family_(prometheus::BuildCounter()
                               .Name("wirefeed_kafka_errors_total")
                               .Help("Errors reported by librdkafka, by error code")
                               .Register(*registry_)),
      lag_family_(prometheus::BuildGauge()
                      .Name("wirefeed_consumer_lag_messages")
                      .Help("Consumer lag per partition, from librdkafka statistics")
                      .Register(*registry_)),
      consumed_(consumed_family_.Add({{"topic", input_topic_}})),
      consumed_bytes_(consumed_bytes_family_.Add({{"topic", input_topic_}})),
      produced_(produced_family_.Add({{"topic", output_topic_}})),
      in_flight_(prometheus::BuildGauge()
                     .Name("wirefeed_pipeline_in_flight_records")
                     .Help("Records polled and not yet acknowledged downstream")
                     .Register(*registry_)
                     .Add({})),
      assigned_(prometheus::BuildGauge()
                    .Name("wirefeed_consumer_assigned_partitions")
                    .Help("Partitions currently assigned to this worker")
                    .Register(*registry_)
                    .Add({})) {
  prometheus::BuildGauge()
      .Name("wirefeed_build_info")
      .Help("Build information; the value is always 1")
      .Register(*registry_)
      .Add({{"version", std::string(core::build_version())},
            {"pipeline_version", std::string(core::kPipelineVersion)}})
      .Set(1);
  for (auto kind : {"assign", "revoke", "lost"}) rebalances_family_.Add({{"kind", kind}});
  // Every DLQ reason exists from the start (at 0), so rates and alerts need no
  // special case for "never happened yet".
  for (auto code : {core::Code::kEmptyMessage, core::Code::kOversizeMessage,
                    core::Code::kMalformedJson, core::Code::kInvalidUtf8, core::Code::kInvalidField,
                    core::Code::kMissingBody, core::Code::kOutputTooLarge, core::Code::kInternal}) {
    std::string reason(core::code_name(code));
    dlq_.emplace(reason, &dlq_family_.Add({{"topic", dlq_topic_}, {"reason", reason}}));
  }
}

void Metrics::bind_stages(const std::vector<std::string_view>& stage_names) {
  for (auto name : stage_names) {
    stage_names_.emplace_back(name);
    stage_errors_.push_back(&stage_errors_family_.Add({{"stage", std::string(name)}}));
  }
  stage_seconds_ = std::make_unique<StageHistograms>("wirefeed_stage_duration_seconds",
                                                     "Time spent in each pipeline stage per record",
                                                     stage_names_, stage_buckets());
}

std::vector<prometheus::MetricFamily> Metrics::collect() const {
  auto families = registry_->Collect();
  if (stage_seconds_) families.push_back(stage_seconds_->collect());
  return families;
}

void Metrics::on_stage(std::size_t i, double seconds, const core::Status& status) {
  if (!stage_seconds_) return;
  stage_seconds_->observe(i, seconds);
  if (status.is_failure()) stage_errors_[i]->Increment();
}

void Metrics::on_consumed(std::int32_t, std::size_t bytes) {
  consumed_.Increment();
  consumed_bytes_.Increment(static_cast<double>(bytes));
}

void Metrics::on_produced() { produced_.Increment(); }

void Metrics::on_dlq(std::string_view reason) {
  std::lock_guard lock(mu_);
  auto it = dlq_.find(reason);
  if (it == dlq_.end()) {
    it = dlq_.emplace(std::string(reason),
                      &dlq_family_.Add({{"topic", dlq_topic_}, {"reason", std::string(reason)}}))
             .first;
  }
  it->second->Increment();
}

void Metrics::on_in_flight(std::size_t in_flight) {
  in_flight_.Set(static_cast<double>(in_flight));
}

void Metrics::on_rebalance(std::string_view kind, std::size_t partitions) {
  rebalances_family_.Add({{"kind", std::string(kind)}}).Increment();
  if (kind == "assign") {
    assigned_.Increment(static_cast<double>(partitions));
  } else {
    assigned_.Decrement(static_cast<double>(partitions));
  }
}

void Metrics::on_kafka_error(std::string_view code) {
  std::lock_guard lock(mu_);
  auto it = kafka_errors_.find(code);
  if (it == kafka_errors_.end()) {
    it = kafka_errors_
             .emplace(std::string(code), &kafka_errors_family_.Add({{"code", std::string(code)}}))
             .first;
  }
  it->second->Increment();
}

void Metrics::on_revoked(std::int32_t partition) {
  std::lock_guard lock(mu_);
  auto it = lag_.find(partition);
  if (it != lag_.end()) {
    lag_family_.Remove(it->second);
    lag_.erase(it);
  }
}

void Metrics::on_statistics(std::string_view json) {
  // librdkafka's statistics: topics.<name>.partitions.<id>.consumer_lag (-1: unknown).
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (parser.parse(padded).get(root)) return;
  simdjson::dom::object partitions;
  if (root["topics"][input_topic_]["partitions"].get(partitions)) return;
  std::lock_guard lock(mu_);
  for (auto [key, value] : partitions) {
    std::int64_t partition = -1, lag = -1;
    try {
      partition = std::stoll(std::string(key));
    } catch (...) {
      continue;
    }
    if (partition < 0) continue;  // the internal UA partition
    if (value["consumer_lag"].get(lag) || lag < 0) continue;
    auto it = lag_.find(static_cast<std::int32_t>(partition));
    if (it == lag_.end()) {
      it = lag_.emplace(static_cast<std::int32_t>(partition),
                        &lag_family_.Add(
                            {{"topic", input_topic_}, {"partition", std::to_string(partition)}}))
               .first;
    }
    it->second->Set(static_cast<double>(lag));
  }
}

void Metrics::set_replay_progress(const std::string& replay, std::int64_t remaining, double ratio) {
  std::lock_guard lock(mu_);
  if (!replay_remaining_family_) {
    replay_remaining_family_ = &prometheus::BuildGauge()
                                    .Name("wirefeed_replay_records_remaining")
                                    .Help("Records a replay still has to process")
                                    .Register(*registry_);
    replay_ratio_family_ = &prometheus::BuildGauge()
                                .Name("wirefeed_replay_progress_ratio")
                                .Help("Share of a replay's records done, 0 to 1")
                                .Register(*registry_);
  }
  replay_remaining_family_->Add({{"replay", replay}, {"topic", input_topic_}})
      .Set(static_cast<double>(remaining));
  replay_ratio_family_->Add({{"replay", replay}, {"topic", input_topic_}}).Set(ratio);
}

std::vector<StageTiming> Metrics::stage_timings() const {
  std::vector<StageTiming> out;
  for (std::size_t i = 0; i < stage_names_.size(); ++i) {
    auto totals = stage_seconds_->totals(i);
    out.push_back({stage_names_[i], totals.count, totals.sum,
                   static_cast<std::uint64_t>(stage_errors_[i]->Value())});
  }
  return out;
}

std::map<std::string, std::uint64_t> Metrics::dlq_by_reason() const {
  std::lock_guard lock(mu_);
  std::map<std::string, std::uint64_t> out;
  for (const auto& [reason, counter] : dlq_) {
    out[reason] = static_cast<std::uint64_t>(counter->Value());
  }
  return out;
}

}  // namespace wirefeed::ops
