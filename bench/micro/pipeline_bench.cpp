// The whole pipeline on one thread, reusing one Article (the worker's pattern),
// and decode + encode alone (the plumbing floor of the pipeline).
#include "corpus.h"

namespace wirefeed::bench {

static void run_pipeline(benchmark::State& state, const std::vector<std::string>& stages,
                         bool check) {
  const Corpus& c = corpus();
  auto pipeline = stages::build_pipeline(stages, {});
  core::Pipeline::ThreadState ts(*pipeline);
  core::Article a;
  if (check) {
    for (std::size_t i = 0; i < c.records.size(); ++i) {
      a.reset();
      a.raw = c.records[i];
      pipeline->run(a, ts);
      if (a.output != c.reference[i].output) {
        state.SkipWithError("output differs from the reference");
        return;
      }
    }
  }
  for (auto _ : state) {
    for (const auto& r : c.records) {
      a.reset();
      a.raw = r;
      benchmark::DoNotOptimize(pipeline->run(a, ts));
    }
  }
  report(state, c.bytes, c.records.size());
}

static void BM_Pipeline_Full(benchmark::State& state) {
  run_pipeline(state, stages::default_stage_names(), true);
}
BENCHMARK(BM_Pipeline_Full)->Unit(benchmark::kMillisecond);

static void BM_Pipeline_DecodeEncode(benchmark::State& state) { run_pipeline(state, {}, false); }
BENCHMARK(BM_Pipeline_DecodeEncode)->Unit(benchmark::kMillisecond);

}  // namespace wirefeed::bench

BENCHMARK_MAIN();
