#include "corpus.h"
#include "validate/validate.h"

namespace wirefeed::bench {

static void BM_Validate_Articles(benchmark::State& state) {
  auto articles = articles_before({});
  stages::ValidateStage stage;
  core::Scratch scratch;
  for (auto& a : articles) {
    if (!stage.process(a, scratch).ok()) {
      state.SkipWithError("a reference article failed validation");
      return;
    }
  }
  for (auto _ : state) {
    for (auto& a : articles) benchmark::DoNotOptimize(stage.process(a, scratch));
  }
  report(state, corpus().bytes, articles.size());
}
BENCHMARK(BM_Validate_Articles)->Unit(benchmark::kMicrosecond);

}  // namespace wirefeed::bench
