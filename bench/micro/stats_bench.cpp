#include "corpus.h"
#include "stats/stats.h"

namespace wirefeed::bench {

static void BM_Stats_Articles(benchmark::State& state) {
  const Corpus& c = corpus();
  auto articles = articles_before({"validate", "normalize", "segment"});
  stages::StatsStage stage;
  core::Scratch scratch;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    articles[i].enrichment_count = 0;
    stage.process(articles[i], scratch);
    if (articles[i].enrichments[0].json != c.reference[i].stats) {
      state.SkipWithError("stats differ from the reference");
      return;
    }
  }
  for (auto _ : state) {
    for (auto& a : articles) {
      a.enrichment_count = 0;
      benchmark::DoNotOptimize(stage.process(a, scratch));
    }
  }
  report(state, c.text_bytes, articles.size());
}
BENCHMARK(BM_Stats_Articles)->Unit(benchmark::kMicrosecond);

}  // namespace wirefeed::bench
