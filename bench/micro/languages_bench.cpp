// The language-aware stages per language (issue #17): the same six MEANTIME
// stories of the committed samples in English and in their Spanish, Italian and
// Dutch translations (data/samples/articles.jsonl, CC BY 4.0), so MB/s compares
// languages on parallel text. Each stage's output is checked against the full
// pipeline's before timing. Argument: 0 en, 1 es, 2 it, 3 nl.
#include <benchmark/benchmark.h>

#include <array>
#include <fstream>
#include <string>
#include <vector>

#include "amounts/amounts.h"
#include "dates/dates.h"
#include "keywords/keywords.h"
#include "quotes/quotes.h"
#include "summary/summary.h"
#include "wirefeed/core/pipeline.h"
#include "wirefeed/stages/registry.h"

namespace wirefeed::bench {

namespace {

constexpr std::array<std::string_view, 4> kLanguages = {"en", "es", "it", "nl"};

struct Prepared {
  std::vector<core::Article> articles;  // segmented, before the stage
  std::vector<std::string> reference;   // the stage's member from the full pipeline
  std::size_t text_bytes = 0;
};

// The MEANTIME samples in `language`, run up to segment, with `key` of the
// full pipeline as the reference.
Prepared prepare(std::string_view language, std::string_view key) {
  std::ifstream in(std::string(WIREFEED_SOURCE_DIR) + "/data/samples/articles.jsonl");
  const std::string id_prefix = "\"id\":\"meantime-" + std::string(language) + "-";
  std::vector<std::string> records;
  for (std::string line; std::getline(in, line);) {
    if (line.find(id_prefix) != std::string::npos) records.push_back(line);
  }
  auto full = stages::build_pipeline(stages::default_stage_names(), {});
  auto earlier = stages::build_pipeline({"validate", "normalize", "language", "segment"}, {});
  core::Pipeline::ThreadState full_state(*full), earlier_state(*earlier);
  Prepared p;
  for (const auto& r : records) {
    core::Article whole;
    whole.raw = r;
    full->run(whole, full_state);
    std::string want;
    for (std::size_t i = 0; i < whole.enrichment_count; ++i) {
      if (whole.enrichments[i].key == key) want = whole.enrichments[i].json;
    }
    core::Article a;
    a.raw = r;
    earlier->run(a, earlier_state);
    if (!a.stages_run.empty() && a.stages_run.back() == "encode") a.stages_run.pop_back();
    a.output.clear();
    p.text_bytes += a.text.size();
    p.articles.push_back(std::move(a));
    p.reference.push_back(std::move(want));
  }
  return p;
}

template <typename StageT>
void bench_language(benchmark::State& state, std::string_view key) {
  const std::string_view language = kLanguages[static_cast<std::size_t>(state.range(0))];
  static const StageT stage;  // resources load once, outside the timing
  Prepared p = prepare(language, key);
  if (p.articles.empty()) {
    state.SkipWithError("no MEANTIME samples in this language");
    return;
  }
  auto scratch = stage.new_scratch();
  for (std::size_t i = 0; i < p.articles.size(); ++i) {
    p.articles[i].enrichment_count = 0;
    stage.process(p.articles[i], *scratch);
    std::string_view got = p.articles[i].enrichment_count
                               ? std::string_view(p.articles[i].enrichments[0].json)
                               : std::string_view();
    if (got != p.reference[i]) {
      state.SkipWithError("output differs from the reference");
      return;
    }
  }
  for (auto _ : state) {
    for (auto& a : p.articles) {
      a.enrichment_count = 0;
      benchmark::DoNotOptimize(stage.process(a, *scratch));
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(p.text_bytes) * state.iterations());
  state.SetItemsProcessed(static_cast<int64_t>(p.articles.size()) * state.iterations());
  state.SetLabel(std::string(language));
}

}  // namespace

static void BM_Quotes_Language(benchmark::State& state) {
  bench_language<stages::QuotesStage>(state, "quotes");
}
BENCHMARK(BM_Quotes_Language)->DenseRange(0, 3)->Unit(benchmark::kMicrosecond);

static void BM_Keywords_Language(benchmark::State& state) {
  bench_language<stages::KeywordsStage>(state, "keywords");
}
BENCHMARK(BM_Keywords_Language)->DenseRange(0, 3)->Unit(benchmark::kMicrosecond);

static void BM_Dates_Language(benchmark::State& state) {
  bench_language<stages::DatesStage>(state, "dates");
}
BENCHMARK(BM_Dates_Language)->DenseRange(0, 3)->Unit(benchmark::kMicrosecond);

static void BM_Amounts_Language(benchmark::State& state) {
  bench_language<stages::AmountsStage>(state, "amounts");
}
BENCHMARK(BM_Amounts_Language)->DenseRange(0, 3)->Unit(benchmark::kMicrosecond);

static void BM_Summary_Language(benchmark::State& state) {
  bench_language<stages::SummaryStage>(state, "summary");
}
BENCHMARK(BM_Summary_Language)->DenseRange(0, 3)->Unit(benchmark::kMicrosecond);

}  // namespace wirefeed::bench
