#include "wirefeed/ops/metrics.h"

#include <simdjson.h>

#include <algorithm>
#include <chrono>

#include "wirefeed/core/version.h"
#include "wirefeed/ops/process_metrics.h"

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

// Input record timestamp to emitted: milliseconds when caught up, minutes or
// hours while a backlog drains.
const std::vector<double>& latency_buckets() {
  static const std::vector<double> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                               2.5,   5,    10,    30,   60,  300,  900, 3600};
  return kBuckets;
}

// Time in a transaction's commit: a few coordinator round trips, seconds while
// it moves or retries.
const std::vector<double>& transaction_buckets() {
  static const std::vector<double> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                               0.25,  0.5,    1,     2.5,  5,     10,   30};
  return kBuckets;
}

// Published to emitted: a wire story is minutes old; a feed's archive, days.
const std::vector<double>& freshness_buckets() {
  static const std::vector<double> kBuckets = {10,    30,    60,    300,   900,    1800,   3600,
                                               10800, 21600, 43200, 86400, 172800, 604800, 2592000};
  return kBuckets;
}

std::int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
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
      lag_seconds_family_(prometheus::BuildGauge()
                              .Name("wirefeed_consumer_lag_seconds")
                              .Help("How far behind each partition is in time: age of the newest "
                                    "record emitted from it while its lag is above 0, else 0")
                              .Register(*registry_)),
      consumed_(consumed_family_.Add({{"topic", input_topic_}})),
      consumed_bytes_(consumed_bytes_family_.Add({{"topic", input_topic_}})),
      produced_(produced_family_.Add({{"topic", output_topic_}})),
      dlq_references_(prometheus::BuildCounter()
                          .Name("wirefeed_dlq_reference_records_total")
                          .Help("DLQ reference records: the DLQ refused a record's full copy, "
                                "which stays only in the input topic (also counted in "
                                "wirefeed_dlq_records_total)")
                          .Register(*registry_)
                          .Add({{"topic", dlq_topic_}})),
      in_flight_(prometheus::BuildGauge()
                     .Name("wirefeed_pipeline_in_flight_records")
                     .Help("Records polled and not yet acknowledged downstream")
                     .Register(*registry_)
                     .Add({})),
      assigned_(prometheus::BuildGauge()
                    .Name("wirefeed_consumer_assigned_partitions")
                    .Help("Partitions currently assigned to this worker")
                    .Register(*registry_)
                    .Add({})),
      record_latency_(prometheus::BuildHistogram()
                          .Name("wirefeed_record_latency_seconds")
                          .Help("From an input record's Kafka timestamp to its enriched record "
                                "being handed to the producer")
                          .Register(*registry_)
                          .Add({{"topic", input_topic_}}, latency_buckets())),
      freshness_(prometheus::BuildHistogram()
                     .Name("wirefeed_freshness_seconds")
                     .Help("From an article's published_at to its enriched record being "
                           "emitted (articles whose published_at parses)")
                     .Register(*registry_)
                     .Add({{"topic", input_topic_}}, freshness_buckets())) {
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
  for (auto& family : collect_process_metrics()) families.push_back(std::move(family));
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

void Metrics::on_emitted(std::int32_t partition, std::int64_t input_timestamp_ms,
                         std::optional<std::int64_t> published_at_ms, std::int64_t now_ms) {
  // Clocks differ between producers and us: a timestamp from the future counts
  // as 0 rather than vanishing from the histogram.
  if (input_timestamp_ms >= 0) {
    record_latency_.Observe(
        static_cast<double>(std::max<std::int64_t>(0, now_ms - input_timestamp_ms)) / 1000.0);
    std::lock_guard lock(mu_);
    auto& last = last_emitted_timestamp_ms_[partition];
    last = std::max(last, input_timestamp_ms);
  }
  if (published_at_ms) {
    freshness_.Observe(static_cast<double>(std::max<std::int64_t>(0, now_ms - *published_at_ms)) /
                       1000.0);
  }
}

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

void Metrics::on_dlq_reference() { dlq_references_.Increment(); }

void Metrics::on_transaction(std::string_view outcome, double seconds) {
  std::lock_guard lock(mu_);
  if (!transaction_seconds_) {
    auto& counts = prometheus::BuildCounter()
                       .Name("wirefeed_producer_transactions_total")
                       .Help(
                           "Exactly-once transactions (one per batch) by outcome: committed, "
                           "or aborted and redone")
                       .Register(*registry_);
    for (auto o : {"committed", "aborted"})
      transactions_.emplace(o, &counts.Add({{"topic", output_topic_}, {"outcome", o}}));
    transaction_seconds_ = &prometheus::BuildHistogram()
                                .Name("wirefeed_producer_transaction_commit_seconds")
                                .Help(
                                    "Time in a transaction's commit: sending the offsets, "
                                    "EndTxn and any retries, until committed or aborted")
                                .Register(*registry_)
                                .Add({{"topic", output_topic_}}, transaction_buckets());
  }
  if (auto it = transactions_.find(outcome); it != transactions_.end()) it->second->Increment();
  transaction_seconds_->Observe(seconds);
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
  auto seconds = lag_seconds_.find(partition);
  if (seconds != lag_seconds_.end()) {
    lag_seconds_family_.Remove(seconds->second);
    lag_seconds_.erase(seconds);
  }
  last_emitted_timestamp_ms_.erase(partition);
}

void Metrics::on_statistics(std::string_view json) {
  // librdkafka's statistics: topics.<name>.partitions.<id>.consumer_lag (-1: unknown).
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (parser.parse(padded).get(root)) return;
  simdjson::dom::object partitions;
  if (root["topics"][input_topic_]["partitions"].get(partitions)) return;
  const std::int64_t now_ms = wall_clock_ms();
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

    // Lag in time: 0 when caught up; otherwise the age of the newest record
    // emitted from the partition. Unknown (no series) until one was emitted.
    double seconds = 0;
    if (lag > 0) {
      auto last = last_emitted_timestamp_ms_.find(static_cast<std::int32_t>(partition));
      if (last == last_emitted_timestamp_ms_.end()) continue;
      seconds = static_cast<double>(std::max<std::int64_t>(0, now_ms - last->second)) / 1000.0;
    }
    auto gauge = lag_seconds_.find(static_cast<std::int32_t>(partition));
    if (gauge == lag_seconds_.end()) {
      gauge = lag_seconds_
                  .emplace(static_cast<std::int32_t>(partition),
                           &lag_seconds_family_.Add(
                               {{"topic", input_topic_}, {"partition", std::to_string(partition)}}))
                  .first;
    }
    gauge->second->Set(seconds);
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
