#include "corpus.h"
#include "normalize/normalize.h"

namespace wirefeed::bench {

static void BM_Normalize_Articles(benchmark::State& state) {
  const Corpus& c = corpus();
  auto articles = articles_before({"validate"});
  stages::NormalizeStage stage;
  auto scratch = stage.new_scratch();
  std::size_t body_bytes = 0;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    body_bytes += articles[i].body.size();
    if (!stage.process(articles[i], *scratch).ok() || articles[i].text != c.reference[i].text) {
      state.SkipWithError("normalize differs from the reference");
      return;
    }
  }
  for (auto _ : state) {
    for (auto& a : articles) benchmark::DoNotOptimize(stage.process(a, *scratch));
  }
  report(state, body_bytes, articles.size());
}
BENCHMARK(BM_Normalize_Articles)->Unit(benchmark::kMillisecond);

}  // namespace wirefeed::bench
