#include "corpus.h"
#include "encode/encode.h"
#include "wirefeed/core/version.h"

namespace wirefeed::bench {

static void BM_Encode_Articles(benchmark::State& state) {
  const Corpus& c = corpus();
  auto articles = articles_before(stages::default_stage_names());
  stages::EncodeStage stage{std::string(core::kPipelineVersion)};
  core::Scratch scratch;
  std::size_t out_bytes = 0;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    stage.process(articles[i], scratch);
    out_bytes += articles[i].output.size();
    if (articles[i].output != c.reference[i].output) {
      state.SkipWithError("encoded record differs from the reference");
      return;
    }
  }
  for (auto _ : state) {
    for (auto& a : articles) benchmark::DoNotOptimize(stage.process(a, scratch));
  }
  report(state, out_bytes, articles.size());
}
BENCHMARK(BM_Encode_Articles)->Unit(benchmark::kMillisecond);

}  // namespace wirefeed::bench
