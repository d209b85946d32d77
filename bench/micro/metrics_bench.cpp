// The metrics' own cost on the hot path: what one counter increment and one
// histogram observation cost, on one thread and two (contention), and the
// pipeline observer the runner calls once per stage per record.
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "corpus.h"
#include "wirefeed/ops/metrics.h"

namespace wirefeed::bench {

namespace {

prometheus::Registry& registry() {
  static prometheus::Registry r;
  return r;
}
prometheus::Counter& counter() {
  static auto& c = prometheus::BuildCounter().Name("bench_total").Register(registry()).Add({});
  return c;
}
prometheus::Histogram& histogram() {
  static auto& h =
      prometheus::BuildHistogram()
          .Name("bench_seconds")
          .Register(registry())
          .Add({}, prometheus::Histogram::BucketBoundaries{1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1.0});
  return h;
}

}  // namespace

static void BM_Metrics_CounterIncrement(benchmark::State& state) {
  double before = counter().Value();
  for (auto _ : state) counter().Increment();
  if (state.thread_index() == 0 &&
      counter().Value() < before + static_cast<double>(state.iterations())) {
    state.SkipWithError("the counter lost increments");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Metrics_CounterIncrement)->Threads(1)->Threads(2);

static void BM_Metrics_HistogramObserve(benchmark::State& state) {
  double value = 3e-5;
  for (auto _ : state) histogram().Observe(value);
  auto collected = histogram().Collect();
  if (collected.histogram.sample_count < static_cast<std::uint64_t>(state.iterations())) {
    state.SkipWithError("the histogram lost observations");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Metrics_HistogramObserve)->Threads(1)->Threads(2);

// What the runner calls per stage per record: a histogram observation and an
// error check through the observer interface.
static void BM_Metrics_StageObserver(benchmark::State& state) {
  static ops::Metrics metrics("in", "out", "dlq");
  static bool bound = [] {
    metrics.bind_stages({"decode", "encode"});
    return true;
  }();
  (void)bound;
  core::Status ok;
  for (auto _ : state) metrics.on_stage(0, 2e-5, ok);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Metrics_StageObserver)->Threads(1)->Threads(2);

}  // namespace wirefeed::bench
