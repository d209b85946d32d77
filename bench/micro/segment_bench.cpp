#include "corpus.h"
#include "segment/segment.h"

namespace wirefeed::bench {

static void BM_Segment_Articles(benchmark::State& state) {
  const Corpus& c = corpus();
  auto articles = articles_before({"validate", "normalize"});
  stages::SegmentStage stage;
  core::Scratch scratch;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    stage.process(articles[i], scratch);
    if (articles[i].tokens.size() != c.reference[i].tokens ||
        articles[i].sentences.size() != c.reference[i].sentences) {
      state.SkipWithError("segmentation differs from the reference");
      return;
    }
  }
  for (auto _ : state) {
    for (auto& a : articles) benchmark::DoNotOptimize(stage.process(a, scratch));
  }
  report(state, c.text_bytes, articles.size());
}
BENCHMARK(BM_Segment_Articles)->Unit(benchmark::kMillisecond);

}  // namespace wirefeed::bench
