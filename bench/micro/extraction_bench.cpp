// The extraction stages (issue #3), each over the corpus prepared up to it and
// checked against the full pipeline's reference before timing. Throughput is
// MB of clean text per second.
#include "amounts/amounts.h"
#include "corpus.h"
#include "dates/dates.h"
#include "entities/entities.h"
#include "keywords/keywords.h"
#include "language/language.h"
#include "quotes/quotes.h"
#include "simhash/simhash.h"
#include "summary/summary.h"
#include "tone/tone.h"

namespace wirefeed::bench {

namespace {
const std::vector<std::string> kSegmented = {"validate", "normalize", "language", "segment"};
}

static void BM_Language_Articles(benchmark::State& state) {
  bench_member(state, stages::LanguageStage(), {"validate", "normalize"}, "language_detection");
}
BENCHMARK(BM_Language_Articles)->Unit(benchmark::kMicrosecond);

static void BM_Simhash_Articles(benchmark::State& state) {
  bench_member(state, stages::SimhashStage(), kSegmented, "simhash");
}
BENCHMARK(BM_Simhash_Articles)->Unit(benchmark::kMicrosecond);

static void BM_Dates_Articles(benchmark::State& state) {
  bench_member(state, stages::DatesStage(), kSegmented, "dates");
}
BENCHMARK(BM_Dates_Articles)->Unit(benchmark::kMicrosecond);

static void BM_Amounts_Articles(benchmark::State& state) {
  bench_member(state, stages::AmountsStage(), kSegmented, "amounts");
}
BENCHMARK(BM_Amounts_Articles)->Unit(benchmark::kMicrosecond);

static void BM_Entities_Articles(benchmark::State& state) {
  static const stages::EntitiesStage stage;  // the model loads once, outside the timing
  bench_member(state, stage, kSegmented, "entities");
}
BENCHMARK(BM_Entities_Articles)->Unit(benchmark::kMicrosecond);

static void BM_Quotes_Articles(benchmark::State& state) {
  bench_member(state, stages::QuotesStage(), kSegmented, "quotes");
}
BENCHMARK(BM_Quotes_Articles)->Unit(benchmark::kMicrosecond);

static void BM_Keywords_Articles(benchmark::State& state) {
  bench_member(state, stages::KeywordsStage(), kSegmented, "keywords");
}
BENCHMARK(BM_Keywords_Articles)->Unit(benchmark::kMicrosecond);

static void BM_Tone_Articles(benchmark::State& state) {
  static const stages::ToneStage stage;  // the lexicon loads once
  bench_member(state, stage, kSegmented, "tone");
}
BENCHMARK(BM_Tone_Articles)->Unit(benchmark::kMicrosecond);

static void BM_Summary_Articles(benchmark::State& state) {
  bench_member(state, stages::SummaryStage(), kSegmented, "summary");
}
BENCHMARK(BM_Summary_Articles)->Unit(benchmark::kMicrosecond);

}  // namespace wirefeed::bench
