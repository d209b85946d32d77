#include "corpus.h"
#include "topics/topics.h"
#include "wirefeed/stages/topics/model.h"

namespace wirefeed::bench {

// The topics stage with the default model, checked against the full pipeline's
// `topics` member for every article first.
static void BM_Topics_Articles(benchmark::State& state) {
  static const stages::TopicsStage stage("iptc-top", 3, 0.1);
  bench_member(state, stage, {"validate", "normalize", "language"}, "topics");
}
BENCHMARK(BM_Topics_Articles)->Unit(benchmark::kMicrosecond);

// The multi-label Reuters model: 90 labels per feature row.
static void BM_Topics_Reuters_Articles(benchmark::State& state) {
  static const stages::TopicsStage stage("reuters21578", 3, 0.1);
  auto articles = articles_before({"validate", "normalize", "language"});
  auto scratch = stage.new_scratch();
  for (auto _ : state) {
    for (auto& a : articles) {
      a.enrichment_count = 0;
      benchmark::DoNotOptimize(stage.process(a, *scratch));
    }
  }
  report(state, corpus().text_bytes, articles.size());
}
BENCHMARK(BM_Topics_Reuters_Articles)->Unit(benchmark::kMillisecond);

// Start-up cost: parse, checksum and copy a shipped model.
static void BM_Topics_LoadModel(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(
        stages::topics::load_model(state.range(0) ? "reuters21578" : "iptc-top"));
}
BENCHMARK(BM_Topics_LoadModel)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace wirefeed::bench
