#include "corpus.h"
#include "fingerprint/fingerprint.h"

namespace wirefeed::bench {

static void BM_Fingerprint_Articles(benchmark::State& state) {
  bench_enrichment_stage<stages::FingerprintStage>(
      state, {"validate", "normalize"},
      [](std::size_t i) { return corpus().reference[i].fingerprint; });
}
BENCHMARK(BM_Fingerprint_Articles)->Unit(benchmark::kMicrosecond);

}  // namespace wirefeed::bench
