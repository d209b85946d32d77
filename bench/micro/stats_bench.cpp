#include "corpus.h"
#include "stats/stats.h"

namespace wirefeed::bench {

static void BM_Stats_Articles(benchmark::State& state) {
  bench_enrichment_stage<stages::StatsStage>(
      state, {"validate", "normalize", "segment"},
      [](std::size_t i) { return corpus().reference[i].stats; });
}
BENCHMARK(BM_Stats_Articles)->Unit(benchmark::kMicrosecond);

}  // namespace wirefeed::bench
